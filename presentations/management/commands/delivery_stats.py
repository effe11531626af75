import csv
import datetime
import io
import json

from django.core.management.base import BaseCommand, CommandError

from presentations import stats
from presentations.models import Delivery


def _date(value):
    try:
        return datetime.date.fromisoformat(value)
    except ValueError as error:
        raise CommandError(f"{value!r} is not a date in the form YYYY-MM-DD") from error


def tables_as_csv(tables, keys):
    """Each table with its header row and Total row; tables separated by a blank line."""
    blocks = []
    for key in keys:
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\n")
        columns = ("month", *stats.TABLE_COLUMNS[key])
        writer.writerow(columns)
        for row in tables[key]:
            writer.writerow([row[column] for column in columns])
        blocks.append(out.getvalue())
    return "\n".join(blocks)


class Command(BaseCommand):
    help = (
        "Print the PSSP monthly tables (presentations, civil actions, accident claims) for a "
        "year or a date range, each with a Total row."
    )

    def add_arguments(self, parser):
        parser.add_argument("--year", type=int, help="A calendar year, such as 2007.")
        parser.add_argument("--from", dest="start", type=_date, help="First day, YYYY-MM-DD.")
        parser.add_argument("--to", dest="end", type=_date, help="Last day, YYYY-MM-DD.")
        parser.add_argument("--format", choices=("json", "csv"), default="json")
        parser.add_argument(
            "--table",
            choices=stats.TABLE_KEYS,
            help="Only this table (default: all three).",
        )

    def handle(self, *args, year=None, start=None, end=None, **options):
        if year is not None and (start or end):
            raise CommandError("Give either --year or --from and --to, not both.")
        if year is not None:
            if not 1900 <= year <= 9999:
                raise CommandError(f"--year must be a four-digit year, got {year}")
            start, end = stats.year_range(year)
        elif start is None or end is None:
            raise CommandError("Give --year, or both --from and --to.")
        if start > end:
            raise CommandError("--from must not be after --to.")
        tables = stats.figures_only(stats.monthly_tables(Delivery.objects.all(), start, end))
        keys = (options["table"],) if options["table"] else stats.TABLE_KEYS
        if options["format"] == "csv":
            self.stdout.write(tables_as_csv(tables, keys), ending="")
        else:
            self.stdout.write(json.dumps({key: tables[key] for key in keys}, indent=2))
