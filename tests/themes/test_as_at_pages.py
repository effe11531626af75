"""Pages read the programme as at a past date: banner, figures then, read-only, fixed queries."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.themes.conftest import BASELINE
from tests.themes.factories import MilestoneFactory, RiskFactory, deliverable_in
from tests.themes.history import dated
from themes.models import Milestone, Risk
from themes.services import milestone_update

pytestmark = pytest.mark.django_db

BANNER = "Showing the programme as at"


def dashboard(client, as_at, **more):
    return client.get(reverse("themes:dashboard"), {"as_at": as_at, **more})


def test_dashboard_in_the_past_shows_the_banner_and_the_figures_then(client_as, planner, go_live):
    client = client_as(planner)
    january = dashboard(client, "2008-01-10")
    assert "Showing the programme as at 10 January 2008 — " in january.text
    assert "return to today" in january.text
    # Forecast on its 1 April 2008 baseline then: due in the next 90 days, not an exception.
    assert [m.title for m in january.context["due_90"]["rows"]] == ["Go-live"]
    assert january.context["summary"]["exception_count"] == 0
    march = dashboard(client, "2008-03-31")
    assert [row["title"] for row in march.context["summary"]["exceptions"]] == ["Go-live"]
    assert march.context["summary"]["exceptions"][0]["forecast"] == "2008-12-01"
    assert march.context["slipped"]["count"] == 0  # re-forecast before the 30 days shown
    since_new_year = dashboard(client, "2008-03-31", slipped_since="2008-01-01")
    assert [m.title for m in since_new_year.context["slipped"]["rows"]] == ["Go-live"]
    assert (
        dashboard(client, "2008-01-20", slipped_since="2008-01-01").context["slipped"]["count"] == 0
    )


def test_dashboard_today_has_no_banner(client_as, planner, go_live):
    today = dashboard(client_as(planner), timezone.localdate().isoformat())
    assert BANNER not in today.text
    assert today.context["due_90"]["count"] == 0  # reached on 2 June 2008


def test_nothing_recorded_after_the_date_shows(client_as, planner, go_live):
    with dated(datetime.date(2008, 2, 1), Milestone):
        MilestoneFactory(deliverable=deliverable_in("pssp"), title="Added in February")
    page = dashboard(client_as(planner), "2008-01-31")
    assert "Added in February" not in page.text
    assert "Added in February" in dashboard(client_as(planner), "2008-02-01").text


def test_dashboard_in_the_past_leaves_out_covert_for_the_uncleared(
    client_as, planner, cleared_planner, covert_and_overt
):
    hidden = dashboard(client_as(planner), "2008-06-01")
    seen = dashboard(client_as(cleared_planner), "2008-06-01")
    assert "Covert" not in hidden.text and "Covert" in seen.text
    assert (hidden.context["overdue"]["count"], seen.context["overdue"]["count"]) == (1, 2)


def _plan(count, user):
    with dated(datetime.date(2007, 7, 2), Milestone, Risk):
        for code in ("taylor", "pssp", "covert"):
            deliverable = deliverable_in(code)
            for n in range(count):
                milestone = MilestoneFactory(
                    deliverable=deliverable,
                    owner=user,
                    baseline_date=datetime.date(2008, 1, 1) + datetime.timedelta(days=n * 7),
                )
                if n % 2:
                    milestone_update(
                        milestone_id=milestone.pk,
                        user=user,
                        version=1,
                        forecast_date=milestone.forecast_date + datetime.timedelta(days=40),
                        reason="Late",
                    )
            RiskFactory(owner=user, review_date=datetime.date(2007, 12, 1))


def test_dashboard_in_the_past_runs_a_fixed_number_of_queries(
    client_as, cleared_planner, django_assert_max_num_queries
):
    client = client_as(cleared_planner)
    _plan(3, cleared_planner)
    with django_assert_max_num_queries(40) as few:
        assert dashboard(client, "2008-03-31").status_code == 200
    _plan(12, cleared_planner)
    with django_assert_max_num_queries(len(few.captured_queries)):
        page = dashboard(client, "2008-03-31")
    assert page.context["summary"]["totals"][0]["count"] > 0  # red ones, found in the history


def test_the_milestone_list_as_at_a_past_date(client_as, planner, go_live):
    url = reverse("themes:milestone-list")
    page = client_as(planner).get(url, {"as_at": "2008-01-10"})
    text = " ".join(page.content.decode().split())
    assert "Showing the programme as at 10 January 2008" in text
    row = next(m for m in page.context["table"].data if m.title == "Go-live")
    assert (row.forecast_date, row.rag) == (BASELINE, "green")
    assert "Apply filters" not in text and "Download these rows" not in text
    today = client_as(planner).get(url)
    assert BANNER not in today.content.decode()


def test_the_raid_log_as_at_a_past_date(client_as, planner, cleared_planner, covert_and_overt):
    url = reverse("themes:risk-list")
    before = client_as(cleared_planner).get(url, {"as_at": "2008-01-01"})
    assert "staffing risk" not in before.content.decode()  # recorded on 2 January 2008
    hidden = client_as(planner).get(url, {"as_at": "2008-06-01"}).content.decode()
    seen = client_as(cleared_planner).get(url, {"as_at": "2008-06-01"}).content.decode()
    assert "Overt staffing risk" in hidden and "Covert" not in hidden
    assert "Covert staffing risk" in seen


@pytest.mark.parametrize("name", ["themes:milestone-list", "themes:risk-list"])
def test_past_lists_run_a_fixed_number_of_queries(
    client_as, cleared_planner, django_assert_max_num_queries, name
):
    client = client_as(cleared_planner)
    _plan(3, cleared_planner)
    with django_assert_max_num_queries(40) as few:
        assert client.get(reverse(name), {"as_at": "2008-03-31"}).status_code == 200
    _plan(12, cleared_planner)
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert client.get(reverse(name), {"as_at": "2008-03-31"}).status_code == 200


def test_the_timeline_as_at_a_past_date(client_as, planner, go_live):
    page = client_as(planner).get(reverse("themes:timeline"), {"as_at": "2008-01-10"})
    assert "Showing the programme as at 10 January 2008" in " ".join(page.text.split())
    row = next(r for r in page.context["chart"].rows if r.label == "Go-live")
    # Forecast on its baseline then: no line from the baseline to a later forecast.
    assert row.baseline_x == row.forecast_x
    today = client_as(planner).get(reverse("themes:timeline"))
    row = next(r for r in today.context["chart"].rows if r.label == "Go-live")
    assert row.forecast_x != row.baseline_x


def test_the_theme_page_as_at_a_past_date_is_read_only(client_as, planner, go_live):
    url = reverse("themes:theme-detail", args=["taylor"])
    page = client_as(planner).get(url, {"as_at": "2008-01-10"})
    text = " ".join(page.text.split())
    assert "Showing the programme as at 10 January 2008" in text
    row = next(r for r in page.context["milestones_block"]["milestones"] if r["title"] == "Go-live")
    assert (row["forecast"], row["rag"]) == ("2008-04-01", "green")
    assert "/edit/" not in page.text and "/new/" not in page.text
    assert "<form" not in page.text.split("<main", 1)[1]
    today = client_as(planner).get(url)
    assert "/edit/" in today.text


def test_the_theme_page_as_at_hides_a_restricted_theme(client_as, planner):
    url = reverse("themes:theme-detail", args=["covert"])
    assert client_as(planner).get(url, {"as_at": "2008-01-10"}).status_code == 404
