"""A reader is told a report is superseded (or supersedes another) only by a version they may open.

A "Superseded" tag on a report whose successor a committee member cannot open would tell them a
restricted successor exists.
"""

import pytest
from django.urls import reverse

from reports import rendering, services
from reports.models import Report
from reports.selectors import published_for_reader
from tests.factories import theme
from tests.reports.factories import ReportFactory, publish

pytestmark = pytest.mark.django_db

SUPERSEDED_TAG = 'govuk-tag--grey">Superseded'
SUPERSEDED_NOTICE = "Superseded: version 2 of this report"
SUPERSEDES_NOTICE = "This report supersedes version 1"


def _reader_sees(client, report):
    """The report's page and print preview, as this reader gets them."""
    pages = [
        client.get(reverse(name, args=[report.pk]))
        for name in ("reports:report-detail", "reports:report-preview")
    ]
    assert all(page.status_code == 200 for page in pages)
    return "\n".join(page.content.decode() for page in pages)


@pytest.fixture
def restricted_successor(cleared_planner, django_capture_on_commit_callbacks):
    """An open published report, then a version 2 that embeds the covert theme, published."""
    with django_capture_on_commit_callbacks(execute=True):
        original = ReportFactory(created_by=cleared_planner, title="Progress, first version")
        publish(original, cleared_planner)
        successor = services.report_supersede(
            Report.objects.get(pk=original.pk), user=cleared_planner
        )
        services.block_add(
            successor, user=cleared_planner, kind="theme-milestones", theme=theme("covert")
        )
        publish(successor, cleared_planner)
    original.refresh_from_db()
    successor.refresh_from_db()
    assert successor.restricted and not original.restricted
    return original, successor


def test_committee_member_is_not_told_of_a_restricted_successor(
    client_as, committee_member, restricted_successor
):
    original, _ = restricted_successor
    client = client_as(committee_member)
    listing = client.get(reverse("reports:index")).content.decode()
    assert original.title in listing and "Superseded" not in listing
    assert SUPERSEDED_NOTICE not in _reader_sees(client, original)
    assert SUPERSEDED_NOTICE not in rendering.report_document_html(original, user=committee_member)
    assert not published_for_reader(committee_member).get(pk=original.pk).is_superseded


def test_uncleared_planner_is_not_told_of_a_restricted_successor(
    client_as, planner, restricted_successor
):
    original, _ = restricted_successor
    assert SUPERSEDED_NOTICE not in _reader_sees(client_as(planner), original)


def test_cleared_planner_is_told_of_the_restricted_successor(
    client_as, cleared_planner, restricted_successor
):
    original, successor = restricted_successor
    client = client_as(cleared_planner)
    assert SUPERSEDED_NOTICE in _reader_sees(client, original)
    assert SUPERSEDES_NOTICE in _reader_sees(client, successor)
    listing = client.get(reverse("reports:index")).content.decode()
    assert SUPERSEDED_TAG in listing


def test_committee_member_is_told_of_an_open_successor(
    client_as, committee_member, planner, published_report, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        successor = services.report_supersede(published_report, user=planner)
        publish(successor, planner)
    client = client_as(committee_member)
    assert SUPERSEDED_TAG in client.get(reverse("reports:index")).content.decode()
    assert SUPERSEDED_NOTICE in _reader_sees(client, published_report)
    assert SUPERSEDES_NOTICE in _reader_sees(client, successor)


def test_committee_member_is_not_told_of_a_restricted_predecessor(
    client_as, committee_member, cleared_planner, django_capture_on_commit_callbacks
):
    # Version 1 embedded the covert theme; version 2 dropped it and is open to the committee.
    with django_capture_on_commit_callbacks(execute=True):
        original = ReportFactory(created_by=cleared_planner)
        services.block_add(
            original, user=cleared_planner, kind="theme-milestones", theme=theme("covert")
        )
        publish(original, cleared_planner)
        successor = services.report_supersede(
            Report.objects.get(pk=original.pk), user=cleared_planner
        )
        services.block_remove(successor.blocks.get(), user=cleared_planner)
        publish(successor, cleared_planner)
    successor.refresh_from_db()
    assert not successor.restricted
    client = client_as(committee_member)
    assert SUPERSEDES_NOTICE not in _reader_sees(client, successor)
    assert SUPERSEDES_NOTICE in _reader_sees(client_as(cleared_planner), successor)
