import time
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

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
            raise CommandError(f"{file}: {len(result.errors)} problem(s) found; nothing was saved.")
        seconds = time.monotonic() - started
        if dry_run:
            sessions = "1 session is" if result.total == 1 else f"{result.total} sessions are"
            self.stdout.write(
                f"{file}: {sessions} valid ({result.new} new, "
                f"{result.matching_existing} matching an existing reference). "
                f"Dry run: nothing saved."
            )
        else:
            self.stdout.write(
                f"{file}: imported {result.total} sessions ({result.created} created, "
                f"{result.updated} updated, {result.unchanged} unchanged) in {seconds:.1f} s."
            )
