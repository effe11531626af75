"""End to end on PostgreSQL with a real Celery worker consuming from Redis.

Run with DATABASE_URL=postgres://… and REDIS_URL=redis://…; skipped otherwise. The worker is a
subprocess pointed at the test database pytest-django created, so the test is transactional:
rows must be committed for the worker to see them. serialized_rollback restores the reference
data (boroughs, products, themes) that flushing would otherwise remove for later tests.
"""

import io
import os
import subprocess
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, HTTPServer

import pytest
from django.conf import settings
from django.urls import reverse
from pypdf import PdfReader

from reports.choices import JobState
from reports.models import Report, ReportJob
from tests.factories import UserFactory
from tests.reports.factories import ReportFactory

ON_POSTGRES = settings.DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql"
REDIS_URL = os.environ.get("REDIS_URL", "")

pytestmark = [
    pytest.mark.integration,
    pytest.mark.skipif(
        not (ON_POSTGRES and REDIS_URL), reason="needs DATABASE_URL=postgres://… and REDIS_URL"
    ),
]

PUBLISHED_TOTALS = ("6071", "1776", "7847", "1407", "5663", "287", "5414", "1293")


class _CountingHandler(BaseHTTPRequestHandler):
    requests = []

    def do_GET(self):  # noqa: N802 - http.server's naming
        self.requests.append(self.path)
        self.send_response(200)
        self.send_header("Content-Type", "image/png")
        self.end_headers()

    def log_message(self, *args):
        pass


@pytest.fixture
def watched_http_server():
    """A local web server the report's user text points at: it must receive no request."""
    _CountingHandler.requests = []
    server = HTTPServer(("127.0.0.1", 0), _CountingHandler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}", _CountingHandler.requests
    server.shutdown()


def _test_database_url():
    db = settings.DATABASES["default"]
    auth = db["USER"] + (f":{db['PASSWORD']}" if db.get("PASSWORD") else "")
    return f"postgres://{auth}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


@pytest.fixture
def celery_worker_process(tmp_path):
    import redis

    redis.Redis.from_url(REDIS_URL).delete("pdf", "celery")  # no stale jobs from earlier runs
    env = {
        **os.environ,
        "DATABASE_URL": _test_database_url(),
        "REDIS_URL": REDIS_URL,
        "MEDIA_ROOT": str(settings.MEDIA_ROOT),
    }
    log = tmp_path / "worker.log"
    with log.open("w") as output:
        worker = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "celery",
                "-A",
                "dps",
                "worker",
                "-Q",
                "pdf,celery",
                "--pool=solo",
                "--loglevel=INFO",
                "--without-heartbeat",
                "--without-gossip",
                "--without-mingle",
            ],
            cwd=settings.BASE_DIR,
            env=env,
            stdout=output,
            stderr=subprocess.STDOUT,
        )
    yield log
    worker.terminate()
    try:
        worker.wait(timeout=20)
    except subprocess.TimeoutExpired:
        worker.kill()


def _wait_for_job(client, job, timeout=180):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        status = client.get(reverse("reports:job-status", args=[job.pk])).json()
        if status["finished"]:
            return status
        time.sleep(1)
    raise AssertionError(f"job {job.pk} not finished after {timeout}s: {status}")


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_real_worker_renders_the_published_report(
    client, planner, committee_member, celery_worker_process, watched_http_server
):
    from presentations import demo as delivery_demo
    from reports import services

    origin, requests_seen = watched_http_server
    delivery_demo.load({"staff": UserFactory(username="s1"), "staff2": UserFactory(username="s2")})
    hostile = (
        f'<img src="file:///etc/passwd"> <img src="{origin}/img.png"> '
        f"see {origin}/bare.png and [the log]({origin}/link)"
    )
    report = ReportFactory(
        created_by=planner,
        summary=f"PSSP one year on. {hostile}",
        supporting_information=f"8. The tables below. {hostile}\n\n[block 1]",
    )
    import datetime

    services.block_add(
        report,
        user=planner,
        kind="monthly-tables",
        period_start=datetime.date(2007, 1, 1),
        period_end=datetime.date(2007, 11, 30),
    )
    client.force_login(planner)
    assert client.post(reverse("reports:report-approve", args=[report.pk])).status_code == 302
    response = client.post(reverse("reports:report-publish", args=[report.pk]))
    job = ReportJob.objects.get(report=report)
    assert response.url == reverse("reports:job-detail", args=[job.pk])
    assert job.enqueued_at is not None and job.task_id  # handed to Redis, not run in-process

    status = _wait_for_job(client, job)
    job.refresh_from_db()
    worker_log = celery_worker_process.read_text()
    assert status["state"] == JobState.DONE, (job.error, worker_log[-3000:])
    assert job.task_id in worker_log  # the worker subprocess did it

    client.force_login(committee_member)
    download = client.get(reverse("reports:report-pdf", args=[report.pk]))
    assert download.status_code == 200
    reader = PdfReader(io.BytesIO(b"".join(download.streaming_content)))
    pages = [page.extract_text() for page in reader.pages]
    text = "\n".join(pages)
    for total in PUBLISHED_TOTALS:
        assert total in text, total
    for number, page in enumerate(pages, start=1):
        assert f"Page {number} of {len(pages)}" in page
    assert '<img src="file:///etc/passwd">' in " ".join(text.split())  # shown as text
    assert all(len(page.images) == 0 for page in reader.pages)  # nothing drawn as an image
    assert requests_seen == []  # the http:// references were never fetched
    assert "Failed to load image" not in worker_log
    assert Report.objects.get(pk=report.pk).pdf_sha256 == job.pdf_sha256
