"""Redis stopped, or hung: pages still work, asking for a PDF answers at once that rendering is
delayed and keeps the job, and once Redis is back beat's sweep sends the job and it is rendered.
"""

import signal

import pytest
from django.urls import reverse

from reports import services
from reports.choices import JobState
from reports.models import ReportJob
from tests.integration.support import wait_for
from tests.reports.factories import ReportFactory, second_pair_of_eyes

pytestmark = [
    pytest.mark.integration,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

FAST = 5  # seconds: a request while Redis is down must answer within this


def _delayed_job_page(browser, reply):
    assert reply.status == 302, reply.status
    page = browser.get(reply.location)
    assert page.status == 200
    assert "Rendering is delayed" in page.text
    return ReportJob.objects.get(pk=int(reply.location.rstrip("/").split("/")[-1]))


def test_with_redis_down_pages_work_and_pdf_jobs_wait_for_its_return(stack, planner):
    report = services.report_approve(
        ReportFactory(created_by=planner), user=second_pair_of_eyes(planner)
    )
    worker = stack.worker()
    web = stack.web()
    worker.wait_ready()
    web.wait_ready()
    browser = stack.browser(web, planner)
    report_url = reverse("reports:report-detail", args=[report.pk])

    # Redis stopped (connection refused).
    stack.redis.stop()
    timings = {}
    for name, url in [
        ("home", reverse("home")),
        ("delivery log", reverse("presentations:delivery-list")),
        ("statistics", reverse("presentations:statistics")),
        ("report", report_url),
    ]:
        page = browser.get(url)
        assert page.status == 200, (name, page.status)
        timings[name] = page.seconds
    page = browser.get(report_url)
    reply = browser.submit(
        page, reverse("reports:report-publish", args=[report.pk]), {"confirm": "on"}
    )
    timings["publish (Redis stopped)"] = reply.seconds
    published = _delayed_job_page(browser, reply)
    assert published.state == JobState.QUEUED and published.is_delayed
    assert "could not be reached" in published.error

    # Redis hung (the process paused: connections open, nothing answers).
    stack.redis.start()
    worker_reconnected = len(worker.log())
    stack.redis.process.send_signal(signal.SIGSTOP)
    try:
        page = browser.get(report_url)
        assert page.status == 200
        timings["report (Redis hung)"] = page.seconds
        reply = browser.submit(page, reverse("reports:report-render", args=[report.pk]))
        timings["render proof (Redis hung)"] = reply.seconds
        proof = _delayed_job_page(browser, reply)
    finally:
        stack.redis.process.send_signal(signal.SIGCONT)
    print("seconds per request with Redis down:", {k: round(v, 3) for k, v in timings.items()})
    assert all(seconds < FAST for seconds in timings.values()), timings

    # Redis is back: beat's sweep sends the jobs the web could not, and the worker renders them.
    assert ReportJob.objects.get(pk=published.pk).state == JobState.QUEUED
    stack.beat(PDF_JOB_SWEEP_SECONDS=1)
    for job in (published, proof):
        wait_for(
            lambda job=job: ReportJob.objects.get(pk=job.pk).state == JobState.DONE,
            60,
            f"job {job.pk} to be rendered once Redis is back",
            0.25,
        )
    published.refresh_from_db()
    assert published.enqueued_at is not None and published.attempts >= 1
    report.refresh_from_db()
    assert report.pdf_sha256 == published.pdf_sha256
    assert "Connected to redis" in worker.log()[worker_reconnected:]
