"""What the page benchmarks and the load run share (imported after django.setup()): timing
helpers, and the COPY that fills the log with a realistic number of sessions."""

import datetime
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


STREAMS = ("pssp", "pssp", "non-pssp", "civil-actions", "accident-claims")
OCCASIONS = ("mandatory-training", "supervisors-meeting", "management-meeting", "seminar")
PRESENTERS = ("PS Karen Doyle", "DS Martin Achebe", "Insp Ruth Kellner", "PC Imran Shah")
# Topics of presentation sessions: every session one of the first two, every third a second one.
TOPICS = ("computer-misuse", "deaths-in-custody", "complaints-misconduct", "taylor-reforms")


def add_sessions(count, first_day, days):
    """Add `count` sessions to the log by COPY, spread evenly over `days` days from `first_day`
    and over every borough and unit, streams, occasions and presenters, with products as the
    streams require (their own for civil actions and accident claims, one or two topics for
    presentations); then VACUUM ANALYZE, so the planner sees the table as it now is.

    COPY is some twenty times faster than saving a million sessions one by one; it writes no
    history rows and bumps no month versions, so every month's kept statistics are dropped
    (presentations.models.MonthFigures: the next read counts them again).
    Returns the seconds it took."""
    from dps.models import Borough, Product
    from presentations.models import Delivery, MonthFigures

    started = time.perf_counter()
    boroughs = list(Borough.objects.order_by("id").values_list("id", flat=True))
    products = dict(Product.objects.values_list("code", "id"))
    table = Delivery._meta.db_table
    through = Delivery.products.through._meta.db_table
    columns = (
        "created_at, updated_at, delivered_on, borough_id, stream, attendees, occasion, "
        "presenters, staff_associations_briefed, feedback_very_satisfied, feedback_satisfied, "
        "feedback_neutral, feedback_dissatisfied, feedback_very_dissatisfied, notes"
    )
    now = datetime.datetime.now(datetime.UTC)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT COALESCE(MAX(id), 0) FROM {table}")  # noqa: S608 - model's table
        last_id = cursor.fetchone()[0]
    raw = connection.connection
    with raw.cursor() as cursor, cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
        for index in range(count):
            attendees = 5 + (index * 7) % 40
            copy.write_row(
                (
                    now,
                    now,
                    first_day + datetime.timedelta(days=(index * days) // count),
                    boroughs[(index * 7) % len(boroughs)],
                    STREAMS[index % len(STREAMS)],
                    attendees,
                    OCCASIONS[index % len(OCCASIONS)],
                    PRESENTERS[index % len(PRESENTERS)],
                    index % 9 != 0,
                    attendees // 3,
                    attendees // 4,
                    attendees // 20,
                    0,
                    0,
                    "",
                )
            )
    # The new rows' ids follow COPY order after last_id (nothing else writes meanwhile: a
    # bench database), so (id - last_id - 1) is the index above and products follow from it.
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {through} (delivery_id, product_id) "  # noqa: S608 - model's tables
            "SELECT id, CASE stream WHEN 'civil-actions' THEN %(civil)s "
            "WHEN 'accident-claims' THEN %(accident)s "
            "ELSE CASE WHEN (id - %(last)s - 1) %% 2 = 0 THEN %(first)s ELSE %(second)s END END "
            f"FROM {table} WHERE id > %(last)s "
            "UNION ALL "
            "SELECT id, CASE WHEN (id - %(last)s - 1) %% 2 = 0 THEN %(third)s ELSE %(fourth)s END "
            f"FROM {table} WHERE id > %(last)s AND (id - %(last)s - 1) %% 3 = 0 "
            "AND stream IN ('pssp', 'non-pssp')",
            {
                "civil": products["civil-actions"],
                "accident": products["accident-claims"],
                "first": products[TOPICS[0]],
                "second": products[TOPICS[1]],
                "third": products[TOPICS[2]],
                "fourth": products[TOPICS[3]],
                "last": last_id,
            },
        )
    raw.commit()
    MonthFigures.objects.all().delete()
    with connection.cursor() as cursor:
        cursor.execute(f"VACUUM ANALYZE {table}")
        cursor.execute(f"VACUUM ANALYZE {through}")
    return time.perf_counter() - started
