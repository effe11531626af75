"""Benchmark: report 10 rendered end to end (request → PDF stored) vs WeasyPrint alone.

Run: DATABASE_URL=postgres://…/dps_issueN .venv/bin/python scripts/bench_reports.py [--runs 7]

It creates its own throw-away database (test_<name>, like the test runner), loads the demo
(2007 delivery log, reports 6 and 10), then times:
- end to end: a planner's POST asking for a PDF of report 10 (job row, queue hand-off, task,
  HTML from the frozen blocks, WeasyPrint, storing the file and its SHA-256), with Celery run
  in-process so the request returns when the PDF is stored;
- WeasyPrint alone: `render_to_pdf` on the very HTML the job renders.
The app's overhead is the difference, as a share of WeasyPrint's own time (target < 30%).
Medians of --runs runs after one warm-up each. The database is dropped at the end.
"""

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "dps.settings")
os.environ.pop("REDIS_URL", None)  # tasks in-process: the request returns once the PDF is stored


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()

    import tempfile

    import django

    django.setup()
    from django.conf import settings
    from django.db import connection
    from django.test.utils import setup_test_environment

    if connection.vendor != "postgresql":
        sys.exit("Set DATABASE_URL to a PostgreSQL database of your own.")
    setup_test_environment()
    settings.ALLOWED_HOSTS = ["testserver"]
    settings.MEDIA_ROOT = Path(tempfile.mkdtemp(prefix="bench-reports-"))
    old_name = connection.settings_dict["NAME"]
    connection.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        run(args.runs)
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)


def _timed(action):
    started = time.perf_counter()
    action()
    return time.perf_counter() - started


def _compare(first, second, runs):
    """Alternate the two so machine load (a shared box) hits both alike; one warm-up each."""
    first()
    second()
    timings = ([], [])
    for _ in range(runs):
        timings[0].append(_timed(first))
        timings[1].append(_timed(second))
    return [(statistics.median(t), min(t), max(t)) for t in timings]


def run(runs):
    from django.contrib.auth import get_user_model
    from django.core.management import call_command
    from django.test import Client
    from django.urls import reverse

    from dps.pdf import render_to_pdf
    from reports import rendering
    from reports.choices import JobState
    from reports.models import Report, ReportJob

    call_command("load_demo", verbosity=0, stdout=open(os.devnull, "w"))  # noqa: SIM115
    report = Report.objects.get(number="10", version=1)
    planner = get_user_model().objects.get(username="planner")
    assert report.pdf_sha256, "the demo should have published report 10 with its PDF"
    client = Client()
    client.force_login(planner)
    url = reverse("reports:report-render", args=[report.pk])

    def end_to_end():
        response = client.post(url)
        job = ReportJob.objects.get(pk=int(response.url.rstrip("/").split("/")[-1]))
        assert job.state == JobState.DONE and job.pdf_sha256, job.error

    html = rendering.report_document_html(report, user=planner)

    def weasyprint_alone():
        render_to_pdf(html)

    (e2e, e2e_min, e2e_max), (weasy, weasy_min, weasy_max) = _compare(
        end_to_end, weasyprint_alone, runs
    )
    overhead = e2e - weasy
    pages = len(__import__("pypdf").PdfReader(report.pdf.path).pages)
    print(f"Report 10 ({pages} pages, {len(html):,} bytes of HTML), medians of {runs} runs:")
    print(
        f"  end to end (POST → PDF stored): {e2e * 1000:8.1f} ms"
        f"  (min {e2e_min * 1000:.1f}, max {e2e_max * 1000:.1f})"
    )
    print(
        f"  WeasyPrint alone, same HTML:    {weasy * 1000:8.1f} ms"
        f"  (min {weasy_min * 1000:.1f}, max {weasy_max * 1000:.1f})"
    )
    print(
        f"  app overhead: {overhead * 1000:.1f} ms = {100 * overhead / weasy:.1f}% of "
        f"WeasyPrint's time (target < 30%)"
    )


if __name__ == "__main__":
    main()
