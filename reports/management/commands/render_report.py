from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from reports import rendering
from reports.models import Report
from reports.selectors import report_list_lines


class Command(BaseCommand):
    help = (
        "Render one committee report to a PDF file, synchronously, with the same function the "
        "Celery task uses (the stored published PDF is never touched). --list shows the reports."
    )

    def add_arguments(self, parser):
        parser.add_argument("report_id", nargs="?", type=int, help="The report's id (see --list).")
        parser.add_argument("--output", "-o", help="Where to write the PDF.")
        parser.add_argument(
            "--list",
            action="store_true",
            help="Print one line per report: id, committee, meeting date, number, title, status.",
        )

    def handle(self, *args, report_id=None, output=None, **options):
        if options["list"]:
            for line in report_list_lines(
                Report.objects.every_row("the operator's list, on the server's console")
            ):
                self.stdout.write(line)
            return
        if report_id is None or not output:
            raise CommandError("Give a report id and --output FILE (or --list).")
        report = (
            Report.objects.select_related("meeting__committee", "published_by", "created_by")
            .filter(pk=report_id)
            .first()
        )
        if report is None:
            raise CommandError(f"No report with id {report_id}. Try --list.")
        # Published reports render from their frozen blocks; a draft's live blocks are
        # computed as its author would see them.
        reader = report.published_by or report.created_by
        if reader is None:
            raise CommandError("The report has no author to compute its live blocks for.")
        rendered = rendering.render_report(report, user=reader)
        Path(output).write_bytes(rendered.pdf)
        self.stdout.write(
            f"Wrote {output}: {len(rendered.pdf)} bytes, "
            f"SHA-256 {rendering.sha256_of(rendered.pdf)}"
        )
