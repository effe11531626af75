"""Celery tasks, kept thin: each calls one function of reports.jobs (which tests call directly).

Their names (reports.tasks.…) are what the queue routes, the beat schedule and reports.jobs send.
"""

from celery import shared_task
from celery.exceptions import SoftTimeLimitExceeded

from reports import jobs


@shared_task(
    bind=True,
    # Acknowledge only after the PDF is stored: a worker that dies mid-render leaves the message
    # on the queue for another worker (the job row lock makes the second run harmless).
    acks_late=True,
    # ...and a worker killed by the OS or the hard time limit hands the message back too.
    reject_on_worker_lost=True,
    # Only the database or disk hiccuping is worth retrying; a broken report fails at once.
    autoretry_for=jobs.TRANSIENT_ERRORS,
    retry_backoff=5,
    retry_backoff_max=120,
    retry_jitter=True,
    max_retries=5,
    # A report renders in seconds; one still going after 2 minutes is stuck, so stop it.
    soft_time_limit=120,
    time_limit=150,
)
def render_report_job(self, job_id):
    try:
        job = jobs.job_run(job_id)
    except SoftTimeLimitExceeded:
        job = jobs.job_fail(job_id, reason="Rendering took longer than 2 minutes and was stopped.")
    return job.state


@shared_task(ignore_result=True)
def sweep_report_jobs():
    """Run by celery beat: re-queue jobs stuck past their deadline or never sent (broker down)."""
    return jobs.sweep_stuck_jobs()
