"""Report → HTML → PDF, and the job that does it. The Celery task only calls `run_report_job`.

The web page, the browser's print preview and the PDF all render the same body template
(`reports/includes/report_body.html`) from the same context, so what the author previews is
what the committee gets.
"""

import hashlib
import logging

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import OperationalError, transaction
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.safestring import mark_safe

from dps.pdf import PDF_BASE_URL, render_to_pdf
from reports import formatting
from reports.blocks import rendered_block
from reports.choices import JobPurpose, JobState
from reports.models import Report, ReportJob

logger = logging.getLogger(__name__)

# Errors worth retrying: the database or the disk hiccuped, the report itself is fine.
TRANSIENT_ERRORS = (OperationalError, ConnectionError, TimeoutError)

# A job not finished settings.PDF_JOB_STUCK_AFTER after it was queued or started is presumed
# lost (worker killed before it could be redelivered, broker down when queued) and is queued
# again by the sweep.
# After this many starts a job is failed for good rather than retried forever.
MAX_ATTEMPTS = 4


def _safe(fragment):
    # `fragment` comes from reports.formatting: author text escaped, then nh3-cleaned.
    return mark_safe(fragment)  # noqa: S308


def document_context(report, *, user):
    """Everything the report body template needs, with blocks resolved for `user`."""
    blocks = {
        block.position: rendered_block(block, user)
        for block in report.blocks.select_related("theme")
    }
    supporting = []
    placed = set()
    for piece in formatting.pieces(report.supporting_information):
        if piece.block is None:
            supporting.append({"html": _safe(piece.html)})
        elif piece.block in blocks and piece.block not in placed:
            placed.add(piece.block)
            supporting.append({"block": blocks[piece.block]})
    # Blocks the text does not place still belong to the report: they follow the text.
    for position, block in sorted(blocks.items()):
        if position not in placed:
            supporting.append({"block": block})
    superseded_by = Report.objects.filter(supersedes=report, status="published").first()
    return {
        "report": report,
        "committee": report.meeting.committee,
        "meeting": report.meeting,
        "summary_html": _safe(formatting.to_html(report.summary)),
        "recommendations_html": _safe(formatting.to_html(report.recommendations)),
        "supporting": supporting,
        "race_equality_html": _safe(formatting.to_html(report.race_equality_impact)),
        "financial_html": _safe(formatting.to_html(report.financial_implications)),
        "background_html": _safe(formatting.to_html(report.background_papers)),
        "contact_lines": [line for line in report.contact_details.splitlines() if line.strip()],
        "superseded_by": superseded_by,
    }


def report_document_html(report, *, user):
    """The whole stand-alone HTML document the PDF is made from (also the print preview)."""
    context = document_context(report, user=user)
    context["print_stylesheet"] = f"{settings.STATIC_URL}css/report-print.css"
    return render_to_string("reports/report_document.html", context)


def render_report(report, *, user):
    """Render one report to PDF; returns the PDF bytes and the HTML they were made from."""
    html = report_document_html(report, user=user)
    return render_to_pdf(html, base_url=PDF_BASE_URL)


def sha256_of(content):
    return hashlib.sha256(content).hexdigest()


def _file_name(report, sha):
    return f"report-{report.pk}-v{report.version}-{sha[:12]}.pdf"


def run_report_job(job_id):
    """Render a job's report and store the PDF. Safe to run twice: a done job is left alone.

    Raises TRANSIENT_ERRORS for the caller (the Celery task) to retry; any other error fails the
    job with its reason, which the job page shows.
    """
    with transaction.atomic():
        job = ReportJob.objects.select_for_update().get(pk=job_id)
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

    report = Report.objects.select_related("meeting__committee").get(pk=job.report_id)
    try:
        rendered = render_report(report, user=job.requested_by)
    except TRANSIENT_ERRORS:
        raise
    except Exception as error:
        logger.exception("PDF job %s failed", job_id)
        return fail_job(job_id, f"{type(error).__name__}: {error}")
    return _store(job_id, rendered.pdf)


def _give_up(job):
    job.state = JobState.FAILED
    job.error = f"Gave up after {job.attempts} attempts without finishing."
    job.finished_at = timezone.now()
    job.save(update_fields=["state", "error", "finished_at", "updated_at"])
    return job


def fail_job(job_id, reason):
    with transaction.atomic():
        job = ReportJob.objects.select_for_update().get(pk=job_id)
        if job.state == JobState.DONE:
            return job
        job.state = JobState.FAILED
        job.error = reason[:2000]
        job.finished_at = timezone.now()
        job.save(update_fields=["state", "error", "finished_at", "updated_at"])
        return job


def _store(job_id, pdf):
    sha = sha256_of(pdf)
    with transaction.atomic():
        job = ReportJob.objects.select_for_update().get(pk=job_id)
        if job.state == JobState.DONE:
            return job  # another run finished first: keep its file
        report = Report.objects.select_for_update().get(pk=job.report_id)
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
    unfinished = ReportJob.objects.filter(state__in=[JobState.QUEUED, JobState.RENDERING])
    never_enqueued = unfinished.filter(state=JobState.QUEUED, enqueued_at__isnull=True)
    overdue = unfinished.filter(updated_at__lt=now - settings.PDF_JOB_STUCK_AFTER)
    return (never_enqueued | overdue).order_by("pk")


def sweep_stuck_jobs(now=None):
    """Queue stuck jobs again (or fail them after MAX_ATTEMPTS). Returns the ids re-queued."""
    from reports.services import send_job

    requeued = []
    for job in stuck_jobs(now):
        if job.attempts >= MAX_ATTEMPTS:
            fail_job(job.pk, f"Gave up after {job.attempts} attempts without finishing.")
            continue
        ReportJob.objects.filter(pk=job.pk, state=job.state).update(
            state=JobState.QUEUED, updated_at=timezone.now()
        )
        if send_job(job.pk):
            requeued.append(job.pk)
    return requeued
