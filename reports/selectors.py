"""Reads for committee reports. Every one starts from `Report.objects.visible_to(user)`."""

from django.contrib.auth.models import Group
from django.db.models import Exists, OuterRef

from reports.choices import ReportStatus
from reports.models import Report


def visible_successor(report, user):
    """The published version that replaces `report`, if this user may open it, else None.

    A successor the reader may not open (a restricted one, for a committee member) is not
    mentioned at all: "superseded" alone would tell them it exists.
    """
    return (
        Report.objects.visible_to(user)
        .filter(supersedes=report, status=ReportStatus.PUBLISHED)
        .first()
    )


def visible_predecessor(report, user):
    """The version `report` supersedes, if this user may open it, else None."""
    if report.supersedes_id is None:
        return None
    return Report.objects.visible_to(user).filter(pk=report.supersedes_id).first()


def published_for_reader(user):
    """Published reports this user may read, newest meeting first, each with `is_superseded`:
    whether a published successor this user may open replaces it."""
    visible = Report.objects.visible_to(user)
    replaced = visible.filter(supersedes=OuterRef("pk"), status=ReportStatus.PUBLISHED)
    return (
        visible.filter(status=ReportStatus.PUBLISHED)
        .annotate(is_superseded=Exists(replaced))
        .select_related("meeting__committee")
        .order_by("-meeting__date", "meeting__committee__name", "agenda_order", "-version")
    )


def latest_published(user, limit=10):
    return list(
        Report.objects.visible_to(user)
        .filter(status=ReportStatus.PUBLISHED)
        .select_related("meeting__committee")
        .order_by("-meeting__date", "agenda_order", "-version")[:limit]
    )


def report_list_lines(reports):
    """One line per report for operators: id, committee, meeting date, number, title, status."""
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


def reader_roles():
    """The roles whose members may read a published report, by name."""
    codenames = ("view_report", "view_published_report")
    return sorted(
        Group.objects.filter(
            permissions__content_type__app_label="reports", permissions__codename__in=codenames
        )
        .values_list("name", flat=True)
        .distinct()
    )


def publication_summary(report):
    """What publishing `report` freezes and who will be able to read it, for the page that asks
    for confirmation."""
    blocks = []
    for block in report.blocks.select_related("theme"):
        if block.theme_id:
            covers = block.theme.name
        elif block.period_start:
            covers = f"{block.period_start:%-d %B %Y} to {block.period_end:%-d %B %Y}"
        else:
            covers = "as they stand when published"
        blocks.append(
            {"position": block.position, "kind": block.get_kind_display(), "covers": covers}
        )
    return {
        "blocks": blocks,
        "committee": report.meeting.committee,
        "cleared_only": report.restricted,
        "roles": reader_roles(),
    }
