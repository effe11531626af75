"""The life of a PDF job: requested, sent to Celery, rendered, stored or failed, swept when stuck.

`ReportJob` is the source of truth for a job's progress; the Celery tasks (reports.tasks) only
call `job_run` and `sweep_stuck_jobs`. This module sends the render task by its registered name,
as any Celery producer does, so it never imports the tasks that import it.
"""

import logging
import uuid

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import OperationalError, transaction
from django.utils import timezone

from dps.celery import app as celery_app
from dps.permissions import can_see_restricted
from dps.visibility import enforce_visibility
from reports.choices import JobPurpose, JobState
from reports.models import Report, ReportJob
from reports.rendering import render_report, sha256_of

logger = logging.getLogger(__name__)

# The Celery name of reports.tasks.render_report_job: the queue routes and the integration tests
# name it too, so it does not change when code moves.
RENDER_TASK = "reports.tasks.render_report_job"

# Errors worth retrying: the database or the disk hiccuped, the report itself is fine.
TRANSIENT_ERRORS = (OperationalError, ConnectionError, TimeoutError)

# A job not finished settings.PDF_JOB_STUCK_AFTER after it was queued or started is presumed
# lost (worker killed before it could be redelivered, broker down when queued) and is queued
# again by the sweep.
# After this many starts a job is failed for good rather than retried forever.
MAX_ATTEMPTS = 4

# The runner is a system job: it reads the job it was handed, and renders as the requester.
RUNNER = "the job runner acts for the requester it records"


def job_is_restricted(*, purpose, requested_by):
    """Whether only cleared users may read what this job renders.

    A proof renders the report as its requester sees it now: for a cleared requester that can
    include restricted rows (a programme summary listing the covert theme, figures counting its
    sessions, a successor version others may not open). A publication renders the frozen blocks
    that every reader of the published report reads, so it is scoped like the report itself.
    """
    return purpose == JobPurpose.PROOF and can_see_restricted(requested_by)


def job_request(report, *, user, purpose=JobPurpose.PROOF):
    """Record a PDF job and hand it to the queue once the transaction commits."""
    job = ReportJob.objects.create(
        report=report,
        requested_by=user,
        purpose=purpose,
        restricted=job_is_restricted(purpose=purpose, requested_by=user),
    )
    transaction.on_commit(lambda: job_send(job.pk))
    return job


def job_send(job_id):
    """Give a job to the broker. If the broker is down the job stays queued and says so;
    the periodic sweep sends it when the broker is back. Returns whether it was sent."""
    task_id = str(uuid.uuid4())
    ReportJob.objects.filter(pk=job_id).update(task_id=task_id)
    try:
        # retry=False: a web request must not hang waiting for a broker that is down.
        celery_app.signature(RENDER_TASK).apply_async(args=[job_id], task_id=task_id, retry=False)
    except Exception as error:  # kombu/redis raise several types; any means "not sent"
        if settings.CELERY_TASK_ALWAYS_EAGER:
            raise  # in-process: this is the task's own failure, not the broker's
        logger.warning("PDF job %s not sent to the queue: %s", job_id, error)
        ReportJob.objects.filter(pk=job_id).update(
            error=f"The job queue could not be reached ({type(error).__name__}); "
            "rendering will start automatically when it is back."
        )
        return False
    ReportJob.objects.filter(pk=job_id, enqueued_at__isnull=True).update(enqueued_at=timezone.now())
    return True


def job_run(job_id):
    """Render a job's report and store the PDF. Safe to run twice: a done job is left alone.

    Raises TRANSIENT_ERRORS for the caller (the Celery task) to retry; any other error fails the
    job with its reason, which the job page shows.
    """
    with transaction.atomic():
        job = ReportJob.objects.every_row(RUNNER).select_for_update().get(pk=job_id)
        if job.state == JobState.DONE:
            return job
        if job.attempts >= MAX_ATTEMPTS:
            # A report that kills its worker (out of memory, say) is handed back by Celery each
            # time the worker dies; without this it would be rendered, and kill it, for ever.
            return _give_up(job)
        job.state = JobState.RENDERING
        job.started_at = timezone.now()
        job.attempts += 1
        job.error = ""
        job.save(update_fields=["state", "started_at", "attempts", "error", "updated_at"])

    report = (
        Report.objects.every_row(RUNNER).select_related("meeting__committee").get(pk=job.report_id)
    )
    try:
        # Rendered as the requester: every read inside goes through the visibility layer, as
        # on a page, so a block that forgets it fails the job rather than printing covert rows.
        with enforce_visibility():
            rendered = render_report(report, user=job.requested_by)
    except TRANSIENT_ERRORS:
        raise
    except Exception as error:
        logger.exception("PDF job %s failed", job_id)
        return job_fail(job_id, reason=f"{type(error).__name__}: {error}")
    return job_store_pdf(job_id, pdf=rendered.pdf)


def _give_up(job):
    job.state = JobState.FAILED
    job.error = f"Gave up after {job.attempts} attempts without finishing."
    job.finished_at = timezone.now()
    job.save(update_fields=["state", "error", "finished_at", "updated_at"])
    return job


def job_fail(job_id, *, reason):
    with transaction.atomic():
        job = ReportJob.objects.every_row(RUNNER).select_for_update().get(pk=job_id)
        if job.state == JobState.DONE:
            return job
        job.state = JobState.FAILED
        job.error = reason[:2000]
        job.finished_at = timezone.now()
        job.save(update_fields=["state", "error", "finished_at", "updated_at"])
        return job


def _file_name(report, sha):
    return f"report-{report.pk}-v{report.version}-{sha[:12]}.pdf"


def job_store_pdf(job_id, *, pdf):
    """Keep a rendered PDF on its job; a publication's first PDF becomes the report's own."""
    sha = sha256_of(pdf)
    with transaction.atomic():
        job = ReportJob.objects.every_row(RUNNER).select_for_update().get(pk=job_id)
        if job.state == JobState.DONE:
            return job  # another run finished first: keep its file
        report = Report.objects.every_row(RUNNER).select_for_update().get(pk=job.report_id)
        job.pdf.save(_file_name(report, sha), ContentFile(pdf), save=False)
        job.pdf_sha256 = sha
        job.state = JobState.DONE
        job.finished_at = timezone.now()
        job.error = ""
        job.save(update_fields=["pdf", "pdf_sha256", "state", "finished_at", "error", "updated_at"])
        # The published PDF is set once; later renders never replace it.
        if job.purpose == JobPurpose.PUBLICATION and report.is_published and not report.pdf_sha256:
            report.pdf.name = job.pdf.name
            report.pdf_sha256 = sha
            report.save(update_fields=["pdf", "pdf_sha256", "updated_at"])
        return job


def stuck_jobs(now=None):
    """Jobs that should have finished by now: never enqueued, or queued/rendering too long."""
    now = now or timezone.now()
    unfinished = ReportJob.objects.every_row("the sweep looks after every job").filter(
        state__in=[JobState.QUEUED, JobState.RENDERING]
    )
    never_enqueued = unfinished.filter(state=JobState.QUEUED, enqueued_at__isnull=True)
    overdue = unfinished.filter(updated_at__lt=now - settings.PDF_JOB_STUCK_AFTER)
    return (never_enqueued | overdue).order_by("pk")


def sweep_stuck_jobs(now=None):
    """Queue stuck jobs again (or fail them after MAX_ATTEMPTS). Returns the ids re-queued."""
    requeued = []
    for job in stuck_jobs(now):
        if job.attempts >= MAX_ATTEMPTS:
            job_fail(job.pk, reason=f"Gave up after {job.attempts} attempts without finishing.")
            continue
        ReportJob.objects.filter(pk=job.pk, state=job.state).update(
            state=JobState.QUEUED, updated_at=timezone.now()
        )
        if job_send(job.pk):
            requeued.append(job.pk)
    return requeued
