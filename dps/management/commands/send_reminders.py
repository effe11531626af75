import datetime

from django.core.management.base import BaseCommand, CommandError

from dps import notices


def iso_date(text):
    try:
        return datetime.date.fromisoformat(text)
    except ValueError as error:
        raise CommandError(f"--as-at: {text!r} is not a date like 2008-03-31") from error


class Command(BaseCommand):
    help = (
        "Send the email notices due (reminders, digests, published reports) not sent before; "
        "failed ones are tried again. One line per message, then the total."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--as-at", help="Act as on this date (YYYY-MM-DD) instead of today.", default=None
        )
        parser.add_argument(
            "--dry-run", action="store_true", help="List the messages; send and record nothing."
        )

    def handle(self, *args, as_at=None, dry_run=False, **options):
        on = iso_date(as_at) if as_at else notices.today()
        outcomes = notices.send_notices(on, dry_run=dry_run)
        for outcome in outcomes:
            self.stdout.write(outcome.line())
        failed = sum(outcome.status == "failed" for outcome in outcomes)
        if dry_run:
            self.stdout.write(f"Total: {len(outcomes)} messages to send as at {on} (dry run)")
        else:
            sent = len(outcomes) - failed
            self.stdout.write(
                f"Total: {sent} messages sent as at {on}"
                + (f", {failed} failed (tried again next run)" if failed else "")
            )
