"""Committee members are told when a report is published: a link to it, never the PDF.

Each member's list is read through `Report.objects.visible_to(member)`: a report embedding
restricted content is only announced to members cleared to read it.
"""

import datetime

from django.conf import settings
from django.contrib.auth import get_user_model
from django.urls import reverse

from dps.audit import person_name
from dps.notices import Draft, NoticeKind, absolute_url, register
from dps.roles import COMMITTEE_MEMBER
from reports.choices import ReportStatus
from reports.models import Report

REPORT_PUBLISHED = "report-published"


def published_report_notices(as_at):
    """Reports published in the few days up to `as_at` (NOTICE_REPORT_WITHIN_DAYS): a run
    missed for a day or two still tells members, and switching notices on does not announce
    every paper ever published."""
    since = as_at - datetime.timedelta(days=settings.NOTICE_REPORT_WITHIN_DAYS)
    members = (
        get_user_model()
        .objects.filter(groups__name=COMMITTEE_MEMBER, is_active=True)
        .exclude(email="")
        .order_by("pk")
    )
    for member in members:
        reports = (
            Report.objects.visible_to(member)
            .filter(
                status=ReportStatus.PUBLISHED,
                published_at__date__gte=since,
                published_at__date__lte=as_at,
            )
            .select_related("meeting__committee")
            .order_by("published_at", "pk")
        )
        for report in reports:
            meeting = report.meeting
            yield Draft(
                recipient=member,
                kind=REPORT_PUBLISHED,
                subject_key=f"reports.report:{report.pk}",
                occasion="published",
                subject=f"Published for {meeting.committee.name}: report {report.number}",
                body=(
                    f"Dear {person_name(member)},\n\n"
                    f'Report {report.number}, "{report.title}", has been published for the '
                    f"{meeting.committee.name} meeting of {meeting.date:%-d %B %Y}.\n\n"
                    "Read it, or download its PDF, once signed in:\n"
                    + absolute_url(reverse("reports:report-detail", args=[report.pk]))
                ),
                due_date=meeting.date,
                restricted=report.restricted,
            )


def register_all():
    register(
        NoticeKind(
            REPORT_PUBLISHED,
            "Committee reports: when one is published",
            "A link to each report published for your committees (never the document itself).",
            "reports.view_published_report",
            published_report_notices,
            order=60,
            role=COMMITTEE_MEMBER,
        )
    )
