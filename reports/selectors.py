"""Reads for committee reports. Every one starts from `Report.objects.visible_to(user)`."""

from reports.choices import ReportStatus
from reports.models import Report


def latest_published(user, limit=10):
    return list(
        Report.objects.visible_to(user)
        .filter(status=ReportStatus.PUBLISHED)
        .select_related("meeting__committee")
        .order_by("-meeting__date", "agenda_order", "-version")[:limit]
    )


def report_list_lines(reports=None):
    """One line per report for operators: id, committee, meeting date, number, title, status."""
    reports = reports if reports is not None else Report.objects.all()
    for report in reports.select_related("meeting__committee").order_by(
        "meeting__date", "agenda_order", "pk"
    ):
        yield "\t".join(
            [
                str(report.pk),
                report.meeting.committee.short_name or report.meeting.committee.name,
                report.meeting.date.isoformat(),
                report.number,
                report.title,
                report.status + (f" (v{report.version})" if report.version > 1 else ""),
            ]
        )
