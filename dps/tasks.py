"""Celery tasks of the core, kept thin: each calls one function (which tests call directly)."""

from celery import shared_task

from dps import notices


@shared_task(ignore_result=True)
def send_reminders():
    """Run daily by celery beat: every notice due today not sent before (failed ones again)."""
    outcomes = notices.send_notices(notices.today())
    return sum(outcome.status == "sent" for outcome in outcomes)
