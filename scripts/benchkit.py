"""Timing helpers the page benchmarks share (imported after django.setup())."""

import statistics
import sys
import time

from django.db import connection


def time_page(client, url, runs):
    """Median, fastest and slowest of `runs` requests for `url`, after one warm-up request
    (template loading, connection, caches), in milliseconds of server time."""
    client.get(url, HTTP_HOST="localhost")
    timings = []
    for _ in range(runs):
        began = time.perf_counter()
        response = client.get(url, HTTP_HOST="localhost")
        timings.append((time.perf_counter() - began) * 1000)
        assert response.status_code == 200, (url, response.status_code)
    return statistics.median(timings), min(timings), max(timings)


def profile_queries(client, url, slowest=5):
    """Each query's time for one request, slowest first (to see where the time goes); `-v` on
    the command line prints whole statements."""
    timings = []

    def timed(execute, sql, params, many, context):
        began = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            timings.append(((time.perf_counter() - began) * 1000, sql))

    with connection.execute_wrapper(timed):
        client.get(url, HTTP_HOST="localhost")
    total = sum(ms for ms, _ in timings)
    print(f"  {len(timings)} queries, {total:.1f} ms in the database; slowest:")
    for ms, sql in sorted(timings, reverse=True)[:slowest]:
        print(f"    {ms:6.1f} ms  {sql if '-v' in sys.argv else sql[:160]}")
