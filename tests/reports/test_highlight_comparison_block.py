"""The 'what changed between two dates' block: live in a draft, frozen when the report is
published, restricted when it names a restricted theme's changes."""

import datetime

import pytest

from reports import rendering, services
from reports.choices import BlockKind
from tests.factories import theme
from tests.reports.factories import ReportFactory, publish
from tests.themes.factories import MilestoneFactory, deliverable_in
from tests.themes.history import dated
from themes.models import Milestone
from themes.services import milestone_update

pytestmark = pytest.mark.django_db


@pytest.fixture
def deferred(planner):
    with dated(datetime.date(2007, 7, 2), Milestone):
        milestone = MilestoneFactory(
            deliverable=deliverable_in("taylor"),
            title="Go-live",
            baseline_date=datetime.date(2008, 4, 1),
        )
    with dated(datetime.date(2008, 1, 21), Milestone):
        milestone_update(
            milestone_id=milestone.pk,
            user=planner,
            version=1,
            forecast_date=datetime.date(2008, 12, 1),
            reason="Home Office deferral",
        )
    return milestone


def _comparison_report(user, **dates):
    report = ReportFactory(created_by=user)
    block = services.block_add(
        report,
        user=user,
        kind=BlockKind.BASELINE_COMPARISON,
        period_start=dates.get("start", datetime.date(2007, 11, 30)),
        period_end=dates.get("end", datetime.date(2008, 3, 31)),
    )
    return report, block


def test_the_block_is_frozen_on_publication(planner, deferred, django_capture_on_commit_callbacks):
    report, block = _comparison_report(planner)
    html = " ".join(rendering.report_document_html(report, user=planner).split())
    assert "What changed from 30 November 2007 to 31 March 2008" in html
    assert "Home Office deferral" in html and "+244" in html
    with django_capture_on_commit_callbacks(execute=True):
        publish(report, planner)
    block.refresh_from_db()
    assert block.frozen_data["moved"][0]["days"] == 244
    # A later re-forecast, recorded as made in the compared period, changes nothing published.
    with dated(datetime.date(2008, 2, 1), Milestone):
        milestone_update(
            milestone_id=deferred.pk,
            user=planner,
            version=2,
            forecast_date=datetime.date(2009, 1, 5),
            reason="Parliament",
        )
    html = " ".join(rendering.report_document_html(report, user=planner).split())
    assert "+244" in html and "Parliament" not in html


def test_a_block_with_covert_changes_makes_the_report_restricted(cleared_planner, planner):
    with dated(datetime.date(2008, 2, 1), Milestone):
        MilestoneFactory(deliverable=deliverable_in("covert"), title="Covert cut-over")
    report, _ = _comparison_report(cleared_planner)
    report.refresh_from_db()
    assert report.restricted
    open_report, _ = _comparison_report(planner)
    open_report.refresh_from_db()
    assert not open_report.restricted
    assert theme("covert").restricted
