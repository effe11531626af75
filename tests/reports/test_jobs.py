"""PDF jobs: the job row is the truth; the task is thin, idempotent, retried only when transient."""

from datetime import timedelta
from unittest import mock

import pytest
from django.conf import settings
from django.db import OperationalError
from django.urls import reverse
from django.utils import timezone

from reports import jobs, tasks
from reports.choices import JobState
from reports.models import ReportJob

pytestmark = pytest.mark.django_db


def test_running_a_job_twice_renders_once(planner, draft_report):
    job = ReportJob.objects.create(report=draft_report, requested_by=planner)
    with mock.patch.object(jobs, "render_report", wraps=jobs.render_report) as render:
        first = jobs.job_run(job.pk)
        second = jobs.job_run(job.pk)
    assert render.call_count == 1
    assert first.state == second.state == JobState.DONE
    assert second.pdf_sha256 == first.pdf_sha256
    assert first.attempts == 1
    assert first.pdf.read().startswith(b"%PDF")


def test_a_broken_report_fails_the_job_with_its_reason(planner, draft_report):
    job = ReportJob.objects.create(report=draft_report, requested_by=planner)
    with mock.patch.object(jobs, "render_report", side_effect=ValueError("bad table")):
        result = jobs.job_run(job.pk)
    assert result.state == JobState.FAILED
    assert "bad table" in result.error
    assert result.finished_at is not None


def test_a_transient_error_is_raised_for_the_task_to_retry(planner, draft_report):
    job = ReportJob.objects.create(report=draft_report, requested_by=planner)
    with (
        mock.patch.object(jobs, "render_report", side_effect=OperationalError("gone")),
        pytest.raises(OperationalError),
    ):
        jobs.job_run(job.pk)
    job.refresh_from_db()
    assert job.state == JobState.RENDERING  # the sweep picks it up if retries run out


def test_a_job_handed_back_after_its_last_attempt_is_failed_not_rendered_again(
    planner, draft_report
):
    # Celery hands a job back each time its worker dies (reject_on_worker_lost), and each
    # start counts: a report that kills its worker must not be rendered, and kill, for ever.
    job = ReportJob.objects.create(
        report=draft_report,
        requested_by=planner,
        state=JobState.RENDERING,
        attempts=jobs.MAX_ATTEMPTS,
    )
    with mock.patch.object(jobs, "render_report") as render:
        result = jobs.job_run(job.pk)
    render.assert_not_called()
    assert result.state == JobState.FAILED
    assert f"Gave up after {jobs.MAX_ATTEMPTS} attempts" in result.error
    assert result.finished_at is not None


def test_task_reliability_options():
    task = tasks.render_report_job
    assert task.acks_late is True
    assert task.reject_on_worker_lost is True
    assert OperationalError in task.autoretry_for
    assert task.soft_time_limit < task.time_limit
    assert settings.CELERY_WORKER_PREFETCH_MULTIPLIER == 1
    assert settings.CELERY_TASK_ROUTES["reports.tasks.render_report_job"] == {"queue": "pdf"}
    schedule = settings.CELERY_BEAT_SCHEDULE["sweep-report-jobs"]
    assert schedule["task"] == tasks.sweep_report_jobs.name
    # Results are never read (the job row is the truth), so sending never touches a backend.
    assert tasks.render_report_job.ignore_result is True
    options = settings.CELERY_BROKER_TRANSPORT_OPTIONS
    assert options["socket_timeout"] <= 2 and options["socket_connect_timeout"] <= 2
    assert settings.PDF_JOB_STUCK_AFTER.total_seconds() > task.time_limit


def test_the_job_is_queued_only_when_the_transaction_commits(
    planner, draft_report, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        job = jobs.job_request(draft_report, user=planner)
    assert len(callbacks) == 1
    job.refresh_from_db()
    assert job.state == JobState.QUEUED and job.enqueued_at is None
    callbacks[0]()
    job.refresh_from_db()
    assert job.state == JobState.DONE
    assert job.task_id and job.enqueued_at is not None


def test_broker_down_leaves_the_job_queued_and_the_page_says_it_is_delayed(
    client_as, planner, draft_report, settings, django_capture_on_commit_callbacks
):
    client = client_as(planner)
    settings.CELERY_TASK_ALWAYS_EAGER = False  # a real broker, which is down
    with (
        mock.patch.object(
            tasks.render_report_job, "apply_async", side_effect=ConnectionRefusedError("redis")
        ),
        django_capture_on_commit_callbacks(execute=True),
    ):
        response = client.post(reverse("reports:report-render", args=[draft_report.pk]))
    job = draft_report.jobs.get()
    assert response.url == reverse("reports:job-detail", args=[job.pk])
    assert job.state == JobState.QUEUED and job.is_delayed
    status = client.get(reverse("reports:job-status", args=[job.pk])).json()
    assert status["delayed"] is True and status["finished"] is False
    assert "delayed" in status["message"]
    page = client.get(reverse("reports:job-detail", args=[job.pk])).content.decode()
    assert "Rendering is delayed" in page
    assert "js/report-job.mjs" in page

    # The broker is back: the periodic sweep sends it, and it is rendered.
    settings.CELERY_TASK_ALWAYS_EAGER = True
    assert jobs.sweep_stuck_jobs() == [job.pk]
    job.refresh_from_db()
    assert job.state == JobState.DONE


def test_sweep_requeues_jobs_stuck_past_the_deadline_and_gives_up_eventually(planner, draft_report):
    stuck = ReportJob.objects.create(
        report=draft_report, requested_by=planner, state=JobState.RENDERING, attempts=1
    )
    hopeless = ReportJob.objects.create(
        report=draft_report, requested_by=planner, state=JobState.RENDERING, attempts=4
    )
    fresh = ReportJob.objects.create(
        report=draft_report,
        requested_by=planner,
        state=JobState.RENDERING,
        enqueued_at=timezone.now(),
    )
    later = timezone.now() + settings.PDF_JOB_STUCK_AFTER + timedelta(minutes=1)
    ReportJob.objects.filter(pk=fresh.pk).update(updated_at=later - timedelta(minutes=1))
    assert jobs.sweep_stuck_jobs(now=later) == [stuck.pk]
    stuck.refresh_from_db()
    hopeless.refresh_from_db()
    fresh.refresh_from_db()
    assert stuck.state == JobState.DONE
    assert hopeless.state == JobState.FAILED and "Gave up" in hopeless.error
    assert fresh.state == JobState.RENDERING


def test_status_endpoint_reports_failures(client_as, planner, draft_report):
    job = ReportJob.objects.create(
        report=draft_report, requested_by=planner, state=JobState.FAILED, error="Font missing"
    )
    status = client_as(planner).get(reverse("reports:job-status", args=[job.pk])).json()
    assert status == {
        "id": job.pk,
        "state": "failed",
        "label": "Failed",
        "finished": True,
        "delayed": False,
        "error": "Font missing",
        "message": "Rendering failed. The reason is below; fix the report and try again.",
        "download_url": "",
    }


def test_proof_pdf_download_is_recorded(client_as, planner, draft_report):
    from dps.models import AccessRecord

    job = ReportJob.objects.create(report=draft_report, requested_by=planner)
    jobs.job_run(job.pk)
    response = client_as(planner).get(reverse("reports:job-pdf", args=[job.pk]))
    assert response.status_code == 200
    assert AccessRecord.objects.filter(user=planner, kind="download").count() == 1
