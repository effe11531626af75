"""The blocks committee reports embed: JSON-safe, permission-aware, and renderable when frozen."""

import datetime
import json

import pytest
from django.template.loader import render_to_string
from django.utils import timezone

from tests.factories import theme
from tests.themes.factories import (
    MilestoneFactory,
    RiskFactory,
    StatusUpdateFactory,
    deliverable_in,
)
from tests.themes.history import dated
from themes.asat import highlight_report_content
from themes.models import Milestone, Risk, Theme
from themes.selectors import programme_summary_block, theme_milestones_block
from themes.services import milestone_update

pytestmark = pytest.mark.django_db


@pytest.fixture
def taylor_plan(planner):
    # Planned in July 2007, so a highlight report for a period in 2007 finds it.
    with dated(datetime.date(2007, 7, 2), Milestone, Risk):
        return _taylor_plan()


def _taylor_plan():
    plan = deliverable_in("taylor", title="Misconduct procedures ready")
    done = MilestoneFactory(
        deliverable=plan,
        title="Project plan agreed",
        baseline_date=datetime.date(2007, 10, 1),
        forecast_date=datetime.date(2007, 10, 1),
        actual_date=datetime.date(2007, 10, 5),
        status="complete",
    )
    late = MilestoneFactory(
        deliverable=plan,
        title="Guidance published",
        baseline_date=datetime.date(2008, 1, 15),
        forecast_date=datetime.date(2008, 1, 15),
    )
    MilestoneFactory(
        deliverable=plan,
        title="Procedures mandatory",
        baseline_date=datetime.date(2008, 4, 1),
        forecast_date=datetime.date(2008, 4, 1),
    )
    StatusUpdateFactory(theme=theme("taylor"), as_at=datetime.date(2007, 9, 1), rag="green")
    StatusUpdateFactory(
        theme=theme("taylor"), as_at=datetime.date(2007, 12, 1), rag="amber", reason="Slipping"
    )
    RiskFactory(theme=theme("taylor"), title="Regulations late")
    return {"done": done, "late": late}


def test_theme_block_lists_milestones_with_rag_and_is_json_safe(planner, taylor_plan):
    block = theme_milestones_block(planner, "taylor")
    assert json.loads(json.dumps(block)) == block
    titles = [row["title"] for row in block["milestones"]]
    assert titles == ["Project plan agreed", "Guidance published", "Procedures mandatory"]
    first = block["milestones"][0]
    assert first["rag"] == "complete"
    assert first["rag_label"] == "Complete"
    assert first["baseline"] == "2007-10-01"
    assert first["actual"] == "2007-10-05"


def test_frozen_theme_block_renders_the_same_as_live(planner, taylor_plan):
    block = theme_milestones_block(planner, "taylor")
    live = render_to_string("themes/includes/milestone_table.html", {"block": block})
    frozen = render_to_string(
        "themes/includes/milestone_table.html", {"block": json.loads(json.dumps(block))}
    )
    assert live == frozen
    assert "Guidance published" in live
    assert "govuk-tag--blue" in live and ">Complete<" in live


def test_programme_summary_counts_by_rag_and_reports_latest_update(planner, taylor_plan):
    block = programme_summary_block(planner)
    assert json.loads(json.dumps(block)) == block
    taylor_row = next(row for row in block["themes"] if row["code"] == "taylor")
    assert taylor_row["rag"]["value"] == "amber"
    assert taylor_row["rag_reason"] == "Slipping"
    counts = {cell["value"]: cell["count"] for cell in taylor_row["counts"]}
    assert counts == {"red": 0, "amber": 0, "green": 2, "complete": 1}
    html = render_to_string("themes/includes/programme_summary.html", {"block": block})
    assert "Slipping" in html


def test_highlight_content_has_completed_due_slipped_and_risks(planner, taylor_plan):
    milestone_update(
        milestone_id=taylor_plan["late"].pk,
        user=planner,
        version=1,
        forecast_date=datetime.date(2008, 2, 28),
        reason="ACPO guidance delayed",
    )
    today = timezone.localdate()
    content = highlight_report_content(
        planner, "taylor", datetime.date(2007, 10, 1), datetime.date(2007, 12, 31)
    )
    assert json.loads(json.dumps(content)) == content
    assert [m["title"] for m in content["completed"]] == ["Project plan agreed"]
    assert [m["title"] for m in content["due_next_period"]] == [
        "Guidance published",
        "Procedures mandatory",
    ]
    assert content["status"]["rag"]["value"] == "amber"
    assert [r["title"] for r in content["risks"]] == ["Regulations late"]
    # The re-forecast was made today, so it appears in a period that includes today.
    current = highlight_report_content(planner, "taylor", today, today)
    assert current["slipped"][0]["reforecasts"][0]["reason"] == "ACPO guidance delayed"
    assert current["slipped"][0]["reforecasts"][0]["days"] == 44


@pytest.mark.parametrize(
    "block",
    [
        lambda user: theme_milestones_block(user, "covert"),
        lambda user: highlight_report_content(
            user, "covert", datetime.date(2007, 1, 1), datetime.date(2009, 1, 1)
        ),
    ],
)
def test_restricted_theme_block_raises_for_uncleared_user(planner, block):
    MilestoneFactory(deliverable=deliverable_in("covert"), title="Covert restructure")
    with pytest.raises(Theme.DoesNotExist):
        block(planner)


def test_restricted_theme_block_is_available_to_cleared_user(cleared_planner):
    MilestoneFactory(deliverable=deliverable_in("covert"), title="Covert restructure")
    block = theme_milestones_block(cleared_planner, "covert")
    assert [m["title"] for m in block["milestones"]] == ["Covert restructure"]


def test_programme_summary_leaves_out_restricted_theme_and_its_counts(planner, cleared_planner):
    MilestoneFactory(
        deliverable=deliverable_in("covert"),
        baseline_date=datetime.date(2008, 1, 1),
        forecast_date=datetime.date(2008, 6, 1),
    )
    hidden = programme_summary_block(planner)
    assert "covert" not in [row["code"] for row in hidden["themes"]]
    assert hidden["exception_count"] == 0 and hidden["exceptions"] == []
    seen = programme_summary_block(cleared_planner)
    assert seen["exception_count"] == 1
    assert "covert" in [row["code"] for row in seen["themes"]]


def test_user_without_theme_permission_gets_nothing(staff_user, taylor_plan):
    with pytest.raises(Theme.DoesNotExist):
        theme_milestones_block(staff_user, "taylor")
    assert programme_summary_block(staff_user)["themes"] == []


def test_frozen_highlight_content_renders_the_same_as_live(planner, taylor_plan):
    content = highlight_report_content(
        planner, "taylor", datetime.date(2007, 10, 1), datetime.date(2007, 12, 31)
    )
    template = "themes/includes/highlight_report.html"
    live = render_to_string(template, {"block": content})
    assert live == render_to_string(template, {"block": json.loads(json.dumps(content))})
    assert "Project plan agreed" in live and "Regulations late" in live


def test_highlight_page_shows_the_period(client_as, planner, taylor_plan):
    from django.urls import reverse

    page = client_as(planner).get(
        reverse("themes:highlight", args=["taylor"]) + "?start=2007-10-01&end=2007-12-31"
    )
    assert page.status_code == 200
    assert "1 October 2007 to 31 December 2007" in page.text
    assert "Project plan agreed" in page.text
