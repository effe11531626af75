import datetime
import re

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils import timezone

from dps import demo as dps_demo
from tests.factories import theme
from tests.themes.factories import MilestoneFactory
from themes import demo as themes_demo
from themes.models import Milestone, MilestoneReforecast, Risk, ThemeStatusUpdate

pytestmark = pytest.mark.django_db


def test_timeline_svg_has_no_style_attributes_and_marks_the_date(client_as, planner):
    MilestoneFactory(
        title="Go-live <b>", baseline_date=datetime.date(2008, 4, 1),
        forecast_date=datetime.date(2008, 12, 1),
    )  # fmt: skip
    page = client_as(planner).get(reverse("themes:timeline")).text
    svg = page[page.index("<svg") : page.index("</svg>")]
    assert "style=" not in svg
    assert 'role="img"' in svg and "<title" in svg
    assert "Go-live &lt;b&gt;" in svg
    assert ">Red<" in svg


def test_dashboard_title_is_only_its_name(client_as, planner):
    page = client_as(planner).get(reverse("themes:dashboard")).text
    title = page[page.index("<title>") + len("<title>") : page.index("</title>")]
    assert title == "Planning dashboard – DPS Programme Manager"
    assert page.count('id="actions-overdue"') == 1


def test_status_update_becomes_the_current_rag_and_history_is_kept(client_as, planner):
    client = client_as(planner)
    url = reverse("themes:status-create", args=["taylor"])
    client.post(url, {"as_at": "2007-12-01", "rag": "green", "reason": "On track"})
    client.post(url, {"as_at": "2008-01-25", "rag": "amber", "reason": "Regulations deferred"})
    updates = ThemeStatusUpdate.objects.filter(theme=theme("taylor"))
    assert [u.rag for u in updates] == ["amber", "green"]
    assert updates[0].author == planner
    page = client.get(reverse("themes:theme-detail", args=["taylor"])).text
    assert "Regulations deferred" in page and "On track" in page


def test_risk_form_reports_missing_fields_by_name(client_as, planner):
    response = client_as(planner).post(
        reverse("themes:risk-create", args=["taylor"]), {"title": "Untitled risk"}
    )
    assert response.status_code == 200
    assert "govuk-error-summary" in response.text
    assert not Risk.objects.exists()


def test_planning_manager_creates_a_milestone_with_baseline_as_forecast(client_as, planner):
    client = client_as(planner)
    deliverable = theme("taylor").deliverables.create(title="Readiness")
    response = client.post(
        reverse("themes:milestone-create", args=["taylor"]),
        {
            "deliverable": deliverable.pk,
            "title": "Guidance issued",
            "baseline_date": "2008-02-29",
            "status": "not-started",
        },
    )
    assert response.status_code == 302, response.text
    milestone = Milestone.objects.get(title="Guidance issued")
    assert milestone.forecast_date == milestone.baseline_date
    assert milestone.rag == "green"


def test_milestone_list_filters_match_dashboard_links(client_as, planner):
    # Today's dashboard links to the list filtered to the rows it counts (a past date's
    # dashboard is rebuilt from history: tests/themes/test_as_at_pages.py).
    today = timezone.localdate()
    MilestoneFactory(
        title="Late one",
        baseline_date=today - datetime.timedelta(days=45),
        forecast_date=today - datetime.timedelta(days=45),
    )
    MilestoneFactory(
        title="Due soon",
        baseline_date=today + datetime.timedelta(days=5),
        forecast_date=today + datetime.timedelta(days=5),
    )
    dashboard = client_as(planner).get(reverse("themes:dashboard") + f"?as_at={today}")
    links = re.findall(r'href="(/themes/milestones/\?[^"]+)"', dashboard.text)
    overdue = next(link for link in links if "overdue_on" in link).replace("&amp;", "&")
    page = client_as(planner).get(overdue).text
    assert "Late one" in page and "Due soon" not in page
    due = next(link for link in links if "due_before" in link).replace("&amp;", "&")
    page = client_as(planner).get(due).text
    assert "Due soon" in page and "Late one" not in page


def load_demo():
    themes_demo.load(dps_demo.load(get_user_model()))


def test_demo_loads_every_panel_and_is_idempotent(client_as, cleared_planner):
    load_demo()
    counts = (Milestone.history.count(), MilestoneReforecast.objects.count(), Risk.objects.count())
    load_demo()
    assert (
        Milestone.history.count(),
        MilestoneReforecast.objects.count(),
        Risk.objects.count(),
    ) == counts
    context = client_as(cleared_planner).get(reverse("themes:dashboard")).context
    for panel in ("overdue", "due_30", "due_90", "slipped", "risks_for_review", "actions_overdue"):
        assert context[panel]["count"] > 0, panel
    assert context["summary"]["exception_count"] > 0
    assert context["cost_exceptions"]
    assert context["dependency_warnings"]["count"] > 0


def test_finance_year_cannot_be_entered_twice_for_a_theme(client_as, planner):
    client = client_as(planner)
    url = reverse("themes:finance-create", args=["overt"])
    row = {"financial_year": "2008/09", "budget": "450000", "forecast": "520000"}
    assert client.post(url, {**row, "savings_committed": "0"}).status_code == 302
    again = client.post(url, {**row, "savings_committed": "0"})
    assert "This theme already has figures for 2008/09" in again.text
    bad = client.post(url, {**row, "financial_year": "08-09", "savings_committed": "0"})
    assert "Enter the year like 2007/08" in bad.text


def test_cost_tolerance_breach_is_an_exception_on_the_dashboard(client_as, planner):
    overt = theme("overt")
    overt.cost_tolerance_percent = 10
    overt.save()
    overt.finances.create(financial_year="2008/09", budget=100000, forecast=111000)
    context = client_as(planner).get(reverse("themes:dashboard")).context
    assert [row["theme__code"] for row in context["cost_exceptions"]] == ["overt"]
    assert context["cost_exceptions"][0]["over_percent"] == 11


def test_theme_and_programme_pages_show_the_embedded_blocks(client_as, planner):
    MilestoneFactory(title="Guidance published", baseline_date=datetime.date(2008, 1, 15))
    page = client_as(planner).get(reverse("themes:theme-detail", args=["taylor"])).text
    assert "Guidance published" in page
    assert "milestones as at" in page
    programme = client_as(planner).get(reverse("themes:programme")).text
    assert "themes as at" in programme
    assert "Taylor Report" in programme
