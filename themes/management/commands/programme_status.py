import datetime
import json

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from themes.asat import milestone_status_rows, programme_as_at

# Without --as-user this is an operator's read of the whole programme, restricted themes included.
OPERATOR = "operator's programme_status"


def _date(value):
    try:
        return datetime.date.fromisoformat(value)
    except ValueError as error:
        raise CommandError(f"{value!r} is not a date in the form YYYY-MM-DD") from error


class Command(BaseCommand):
    help = (
        "Print the programme's milestones as they stood on a date: baseline, forecast, actual and "
        "RAG then. With --as-user, only what that person may see."
    )

    def add_arguments(self, parser):
        parser.add_argument("--as-at", dest="as_at", type=_date, required=True, help="YYYY-MM-DD")
        parser.add_argument("--theme", help="A theme code, such as taylor (default: every theme).")
        parser.add_argument("--as-user", dest="as_user", help="Show what this username may see.")
        parser.add_argument("--format", choices=("json",), default="json")

    def handle(self, *args, as_at, theme=None, as_user=None, **options):
        user = None
        if as_user is not None:
            user = get_user_model().objects.filter(username=as_user).first()
            if user is None:
                raise CommandError(f"No user with username {as_user!r}")
        state = programme_as_at(user, as_at, theme=theme, every_row=OPERATOR)
        if theme is not None and not state.themes:
            # The same words whether the theme is missing or hidden from this user.
            raise CommandError(f"No theme with code {theme!r}")
        payload = {"as_at": as_at.isoformat(), "milestones": milestone_status_rows(state)}
        self.stdout.write(json.dumps(payload, indent=2))
