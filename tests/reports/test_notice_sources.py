"""Committee members are told of a report when it is published (reports/notices.py)."""

import datetime

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.utils import timezone

from reports import notices as sources
from reports.choices import ReportStatus
from reports.models import Report
from tests.reports.factories import ReportFactory

pytestmark = pytest.mark.django_db

AS_AT = datetime.date(2008, 3, 31)


def published(title, *, on, restricted=False):
    report = ReportFactory(title=title)
    Report.objects.every_row("test set-up").filter(pk=report.pk).update(
        status=ReportStatus.PUBLISHED,
        published_at=timezone.make_aware(datetime.datetime.combine(on, datetime.time(11))),
        restricted=restricted,
    )
    return report


def test_members_get_a_link_to_each_report_published_in_the_week(committee_member, planner):
    fresh = published("Progress report, March", on=AS_AT - datetime.timedelta(days=2))
    published("Progress report, January", on=AS_AT - datetime.timedelta(days=30))  # old news
    published("Published tomorrow", on=AS_AT + datetime.timedelta(days=1))
    ReportFactory(title="Still a draft")

    drafts = list(sources.published_report_notices(AS_AT))

    # Committee members only: planning managers publish them and read them in the app.
    assert [(d.recipient, d.subject_key, d.occasion) for d in drafts] == [
        (committee_member, f"reports.report:{fresh.pk}", "published")
    ]
    [draft] = drafts
    assert "Progress report, March" in draft.body
    assert f"/reports/{fresh.pk}/" in draft.body
    assert "/pdf/" not in draft.body  # a link to the page, never the document


def test_a_restricted_report_is_announced_only_to_a_cleared_member(committee_member):
    covert = published("Operation Kestrel referral outcomes", on=AS_AT, restricted=True)
    assert list(sources.published_report_notices(AS_AT)) == []

    committee_member.user_permissions.add(Permission.objects.get(codename="view_restricted_theme"))
    cleared = get_user_model().objects.get(pk=committee_member.pk)  # fresh permission cache
    [draft] = sources.published_report_notices(AS_AT)
    assert draft.recipient == cleared and draft.subject_key == f"reports.report:{covert.pk}"
    assert draft.restricted


def test_the_window_comes_from_settings(committee_member, settings):
    settings.NOTICE_REPORT_WITHIN_DAYS = 40
    published("Progress report, January", on=AS_AT - datetime.timedelta(days=30))
    assert len(list(sources.published_report_notices(AS_AT))) == 1
