"""The normal path, end to end: gunicorn (DEBUG off) → Redis → a prefork Celery worker → PDF.

The message on the queue is JSON, the worker refuses anything else, and it runs the render task
with its time limits; the published PDF holds the 2007 figures and the report's hostile URLs
were never fetched.
"""

import base64
import datetime
import hashlib
import io
import json
import threading
from http.server import BaseHTTPRequestHandler, HTTPServer

import pytest
from celery import Celery
from django.urls import reverse
from pypdf import PdfReader

from reports import services
from reports.choices import JobState
from reports.models import Report, ReportJob
from tests.factories import UserFactory
from tests.integration.support import wait_for
from tests.reports.factories import ReportFactory, second_pair_of_eyes

pytestmark = [
    pytest.mark.integration,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
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


@pytest.fixture
def probe(redis_server):
    """A bare Celery client on the private broker, apart from the app's own configuration."""
    app = Celery("probe", broker=redis_server.url, set_as_current=False)
    yield app
    app.close()


def _finished(job):
    job.refresh_from_db()
    return job.state in (JobState.DONE, JobState.FAILED)


def test_a_published_report_is_rendered_by_a_real_worker(
    stack, probe, planner, committee_member, watched_http_server
):
    from presentations import demo as delivery_demo

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
    services.block_add(
        report,
        user=planner,
        kind="monthly-tables",
        period_start=datetime.date(2007, 1, 1),
        period_end=datetime.date(2007, 11, 30),
    )
    services.report_approve(report, user=second_pair_of_eyes(planner))

    web = stack.web()
    web.wait_ready()
    browser = stack.browser(web, planner)
    page = browser.get(reverse("reports:report-detail", args=[report.pk]))
    response = browser.submit(
        page, reverse("reports:report-publish", args=[report.pk]), {"confirm": "on"}
    )
    job = ReportJob.objects.get(report=report)
    assert response.status == 302
    assert response.location == reverse("reports:job-detail", args=[job.pk])
    assert job.enqueued_at is not None and job.task_id  # handed to Redis, not run in-process

    # No worker yet: the message waits on the pdf queue, as JSON naming only the job id.
    (raw,) = stack.redis.client().lrange("pdf", 0, -1)
    message = json.loads(raw)
    assert message["content-type"] == "application/json"
    assert message["headers"]["task"] == "reports.tasks.render_report_job"
    assert message["headers"]["id"] == job.task_id
    args, kwargs, _ = json.loads(base64.b64decode(message["body"]))
    assert (args, kwargs) == ([job.pk], {})

    worker = stack.worker()
    worker.wait_ready()
    registered = probe.control.inspect(timeout=3).registered("time_limit", "soft_time_limit")
    (tasks,) = registered.values()
    assert "reports.tasks.render_report_job [time_limit=150 soft_time_limit=120]" in tasks

    wait_for(lambda: _finished(job), 120, "the job to finish", 0.25)
    worker_log = worker.log()
    assert job.state == JobState.DONE, (job.error, worker_log[-3000:])
    assert job.task_id in worker_log  # the worker subprocess did it
    assert hashlib.sha256(job.pdf.read()).hexdigest() == job.pdf_sha256

    reader_browser = stack.browser(web, committee_member)
    download = reader_browser.get(reverse("reports:report-pdf", args=[report.pk]))
    assert download.status == 200
    assert download.headers["Content-Type"] == "application/pdf"
    reader = PdfReader(io.BytesIO(download.content))
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

    # A pickled message (the kind that runs code when loaded) is refused, not run.
    proof = ReportJob.objects.create(report=report, requested_by=planner)
    probe.send_task(
        "reports.tasks.render_report_job", args=[proof.pk], queue="pdf", serializer="pickle"
    )
    wait_for(lambda: "untrusted content" in worker.log(), 15, "the worker to refuse pickle")
    proof.refresh_from_db()
    assert proof.state == JobState.QUEUED and proof.attempts == 0
