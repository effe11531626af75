"""Theme highlight reports pre-filled from the theme's data; blocks from the menu render."""

import datetime

import pytest
from django.urls import reverse

from reports import rendering, services
from reports.models import Report
from tests.factories import theme
from tests.reports.factories import CommitteeFactory, ReportFactory, second_pair_of_eyes
from tests.themes.factories import (
    MilestoneFactory,
    RiskFactory,
    StatusUpdateFactory,
    deliverable_in,
)
from tests.themes.history import dated
from themes.models import Milestone, Risk

pytestmark = pytest.mark.django_db


@pytest.fixture
def taylor_progress(planner):
    # Planned in July 2007: the report for September to November 2007 states it as it stood.
    with dated(datetime.date(2007, 7, 2), Milestone, Risk):
        _taylor_progress()


def _taylor_progress():
    plan = deliverable_in("taylor", title="Misconduct procedures ready")
    MilestoneFactory(
        deliverable=plan,
        title="Project plan agreed",
        baseline_date=datetime.date(2007, 10, 1),
        forecast_date=datetime.date(2007, 10, 1),
        actual_date=datetime.date(2007, 10, 5),
        status="complete",
    )
    MilestoneFactory(
        deliverable=plan,
        title="Guidance <b>drafted</b>",
        baseline_date=datetime.date(2008, 1, 15),
        forecast_date=datetime.date(2008, 1, 15),
    )
    StatusUpdateFactory(
        as_at=datetime.date(2007, 11, 20), rag="amber", reason="Awaiting Home Office regulations"
    )
    RiskFactory(title="Regulations published late")


def test_planner_drafts_a_highlight_report_from_the_theme(client_as, planner, taylor_progress):
    committee = CommitteeFactory()
    response = client_as(planner).post(
        reverse("reports:highlight-create"),
        {
            "theme": theme("taylor").pk,
            "period_start": "2007-09-01",
            "period_end": "2007-11-30",
            "committee": committee.pk,
            "meeting_date": "2008-01-17",
            "number": "11",
            "report_date": "2008-01-17",
            "by": "Assistant Commissioner Operational Services",
        },
    )
    report = Report.objects.get(number="11")
    assert response.url == reverse("reports:report-edit", args=[report.pk])
    assert report.kind == "highlight" and report.theme == theme("taylor")
    text = report.supporting_information
    assert "**Amber**" in text and "Awaiting Home Office regulations" in text
    assert "Project plan agreed" in text  # completed this period
    assert "Guidance <b>drafted</b>" in text  # due next period, as typed (escaped when shown)
    assert "Regulations published late" in text
    assert report.blocks.get().kind == "theme-milestones"

    html = rendering.report_document_html(report, user=planner)
    assert "Guidance &lt;b&gt;drafted&lt;/b&gt;" in html
    assert "Project plan agreed" in html


def test_highlight_form_keeps_what_was_typed_on_error(client_as, planner):
    response = client_as(planner).post(
        reverse("reports:highlight-create"),
        {"theme": theme("taylor").pk, "period_start": "2007-12-01", "period_end": "2007-11-01"},
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert "The period must end on or after its start." in body
    assert 'value="2007-12-01"' in body


def test_uncleared_planner_cannot_draft_a_covert_highlight(client_as, planner):
    response = client_as(planner).post(
        reverse("reports:highlight-create"), {"theme": theme("covert").pk}
    )
    assert "Select theme from the list" in response.content.decode()


@pytest.mark.parametrize(
    ("kind", "expected"),
    [
        ("monthly-tables", "Number of presentations given in"),
        ("borough-coverage", "London boroughs received PSSP input"),
        ("monthly-chart", "<svg"),
        ("programme-summary", "themes as at"),
        ("theme-milestones", "milestones as at"),
        ("figures-revised", "No figure published in an earlier report has been revised since"),
        ("baseline-comparison", "What changed from 1 January 2007 to 31 January 2007"),
    ],
)
def test_every_block_on_the_menu_renders_and_freezes(
    planner, january_deliveries, kind, expected, django_capture_on_commit_callbacks
):
    report = ReportFactory(created_by=planner)
    block = services.block_add(
        report,
        user=planner,
        kind=kind,
        theme=theme("taylor"),
        period_start=datetime.date(2007, 1, 1),
        period_end=datetime.date(2007, 1, 31),
    )
    assert expected in rendering.report_document_html(report, user=planner)
    services.report_approve(report, user=second_pair_of_eyes(planner))
    with django_capture_on_commit_callbacks(execute=True):
        job = services.report_publish(report, user=planner)
    block.refresh_from_db()
    job.refresh_from_db()
    assert block.frozen_data
    assert job.state == "done", job.error
    assert expected in rendering.report_document_html(report, user=planner)


def test_block_needs_its_period_or_theme(client_as, planner, draft_report):
    client = client_as(planner)
    response = client.post(
        reverse("reports:block-add", args=[draft_report.pk]),
        {"kind": "monthly-tables"},
        follow=True,
    )
    assert "Enter the period the figures cover." in response.content.decode()
    response = client.post(
        reverse("reports:block-add", args=[draft_report.pk]),
        {"kind": "theme-milestones"},
        follow=True,
    )
    assert "Choose the theme whose milestones to show." in response.content.decode()
    assert draft_report.blocks.count() == 0
