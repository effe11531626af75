import time
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import ngettext

from presentations import imports


class Command(BaseCommand):
    help = (
        "Import PSSP sessions from a CSV (UTF-8 or Windows-1252, comma or semicolon separated, "
        "header row) or XLSX file. All or nothing: any error and nothing is saved. Rows with a "
        "reference already imported update that session."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)
        parser.add_argument(
            "--dry-run", action="store_true", help="Check every row and report; save nothing."
        )

    def handle(self, *args, file, dry_run, **options):
        if not file.is_file():
            raise CommandError(f"{file}: no such file")
        started = time.monotonic()
        try:
            result = imports.import_file(file.name, file.read_bytes(), dry_run=dry_run)
        except imports.ImportRejected as rejected:
            raise CommandError(f"{file}: {rejected}") from rejected
        if result.errors:
            for error in result.errors:
                self.stderr.write(error)
            count = len(result.errors)
            problems = ngettext("%(count)d problem", "%(count)d problems", count) % {"count": count}
            raise CommandError(f"{file}: {problems} found; nothing was saved.")
        seconds = time.monotonic() - started
        if dry_run:
            self.stdout.write(
                f"{file}: "
                + ngettext(
                    "%(count)d session is valid", "%(count)d sessions are valid", result.total
                )
                % {"count": result.total}
                + f" ({result.new} new, "
                f"{result.matching_existing} matching an existing reference). "
                f"Dry run: nothing saved."
            )
        else:
            self.stdout.write(
                f"{file}: imported "
                + ngettext("%(count)d session", "%(count)d sessions", result.total)
                % {"count": result.total}
                + f" ({result.created} created, "
                f"{result.updated} updated, {result.unchanged} unchanged) in {seconds:.1f} s."
            )
