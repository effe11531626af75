"""A worker killed while rendering does not leave the job "rendering": it is rendered again.

Two ways a worker dies: its pool process alone (the OOM killer picking the biggest process), and
the whole worker (the machine or container gone). In the first Celery's main process hands the
message back at once (acks_late + reject_on_worker_lost); in the second nobody is left to hand it
back and Redis would redeliver it only after the 15-minute visibility timeout, so the beat sweep
(PDF_JOB_STUCK_AFTER_SECONDS, shortened here through the environment) is what recovers it.
"""

import hashlib
import os
import signal
import time

import pytest
from django.urls import reverse

from reports import services
from reports.choices import JobState
from reports.models import Report, ReportJob
from tests.integration.support import wait_for
from tests.reports.factories import ReportFactory, second_pair_of_eyes

pytestmark = [
    pytest.mark.integration,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

STUCK_AFTER_SECONDS = 6


def _job(report):
    return ReportJob.objects.filter(report=report).first()


def _rendering(report, attempt):
    job = _job(report)
    return job if job and job.state == JobState.RENDERING and job.attempts == attempt else None


def long_report(planner):
    """About 40 pages: a couple of seconds of WeasyPrint, time enough to kill the worker."""
    paragraph = "The programme continued to deliver sessions across the boroughs. " * 6
    text = "\n\n".join(f"{number}. {paragraph}" for number in range(1, 251))
    report = ReportFactory(created_by=planner, supporting_information=text)
    return services.report_approve(report, user=second_pair_of_eyes(planner))


def test_a_job_whose_worker_is_killed_mid_render_is_rendered_again(stack, planner):
    report = long_report(planner)
    first_worker = stack.worker("worker-a")
    web = stack.web()
    first_worker.wait_ready()
    web.wait_ready()
    browser = stack.browser(web, planner)
    page = browser.get(reverse("reports:report-detail", args=[report.pk]))
    published = browser.submit(
        page, reverse("reports:report-publish", args=[report.pk]), {"confirm": "on"}
    )
    assert published.status == 302

    # 1. The pool process dies mid-render: the worker's main process hands the job back.
    wait_for(lambda: _rendering(report, 1), 60, "the first attempt to start rendering", 0.01)
    (child,) = first_worker.pool_children()
    os.kill(child, signal.SIGKILL)
    job = _job(report)
    assert job.state == JobState.RENDERING and job.attempts == 1 and not job.pdf  # mid-render
    killed_at = time.monotonic()
    wait_for(lambda: _rendering(report, 2), 30, "the job handed back to start again", 0.01)
    print(f"pool process killed; second attempt started {time.monotonic() - killed_at:.2f}s later")
    assert "WorkerLostError" in first_worker.log() or "SIGKILL" in first_worker.log()

    # 2. The whole worker dies mid-render: nobody hands the message back.
    first_worker.kill(signal.SIGKILL)
    job = _job(report)
    assert job.state == JobState.RENDERING and job.attempts == 2 and not job.pdf
    second_worker = stack.worker("worker-b", PDF_JOB_STUCK_AFTER_SECONDS=STUCK_AFTER_SECONDS)
    second_worker.wait_ready()
    time.sleep(2)
    assert _rendering(report, 2), "a new worker alone does not pick up the lost message"

    # 3. Beat's sweep re-queues it once it is overdue; the new worker renders it.
    stack.beat(PDF_JOB_SWEEP_SECONDS=1)
    swept_at = time.monotonic()
    wait_for(
        lambda: _job(report).state in (JobState.DONE, JobState.FAILED), 60, "the job to finish"
    )
    job = _job(report)
    print(f"sweep started; job {job.state} {time.monotonic() - swept_at:.2f}s later")
    print(f"attempts recorded: {job.attempts}")
    assert job.state == JobState.DONE, job.error
    assert job.attempts == 3
    assert "reports.tasks.sweep_report_jobs[" in second_worker.log()
    content = job.pdf.read()
    assert content.startswith(b"%PDF")
    assert hashlib.sha256(content).hexdigest() == job.pdf_sha256
    assert Report.objects.get(pk=report.pk).pdf_sha256 == job.pdf_sha256
