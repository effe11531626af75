"""The demo's audit history is dated as the events happened, so it reads as the programme did."""

import datetime
import io
import json

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command

from dps import demo as demo_users
from themes import demo
from themes.asat import dependencies_as_at, programme_as_at
from themes.models import Milestone

pytestmark = pytest.mark.django_db

GO_LIVE = "New misconduct procedures mandatory (go-live)"


@pytest.fixture
def demo_programme():
    users = demo_users.load(get_user_model())
    demo.load(users)
    return users


def status(as_at):
    out = io.StringIO()
    call_command("programme_status", "--as-at", as_at, "--format", "json", stdout=out)
    return json.loads(out.getvalue())


def go_live(payload):
    return next(row for row in payload["milestones"] if row["title"] == GO_LIVE)


def test_taylor_go_live_was_forecast_on_its_baseline_in_november_2007(demo_programme):
    row = go_live(status("2007-11-30"))
    assert (row["theme"], row["baseline"], row["forecast"], row["actual"], row["rag"]) == (
        "taylor",
        "2008-04-01",
        "2008-04-01",
        None,
        "green",
    )


def test_taylor_go_live_was_forecast_for_december_2008_by_march_2008(demo_programme):
    row = go_live(status("2008-03-31"))
    assert (row["forecast"], row["rag"]) == ("2008-12-01", "red")


def test_milestones_are_reached_on_their_actual_dates(demo_programme):
    title = "Detailed project plan agreed by the DPS Command Team"
    before = next(r for r in status("2007-10-11")["milestones"] if r["title"] == title)
    after = next(r for r in status("2007-10-12")["milestones"] if r["title"] == title)
    assert (before["actual"], before["rag"], before["forecast"]) == (None, "amber", "2007-10-12")
    assert (after["actual"], after["rag"]) == ("2007-10-12", "complete")


def test_risks_and_issues_appear_when_raised_and_go_when_closed(demo_programme):
    planner = demo_programme["planner"]
    november = programme_as_at(planner, datetime.date(2007, 11, 30))
    assert november.issues == []
    assert "Volume of borough referrals rises" in {r.title for r in november.risks}
    march = programme_as_at(planner, datetime.date(2008, 3, 31))
    assert "Volume of borough referrals rises" not in {r.title for r in march.risks}
    assert "Re-baseline go-live to December 2008" in {i.title for i in march.issues}
    assert "Resourcing review omitted civilian analysts" not in {i.title for i in march.issues}


def test_today_the_programme_is_as_the_records_stand(demo_programme):
    today = {row["title"]: row for row in status(datetime.date.today().isoformat())["milestones"]}
    for milestone in Milestone.objects.select_related("deliverable__theme"):
        row = today[milestone.title]
        assert (row["forecast"], row["actual"], row["rag"]) == (
            milestone.forecast_date.isoformat(),
            milestone.actual_date.isoformat() if milestone.actual_date else None,
            milestone.rag,
        )


def test_loading_twice_writes_no_new_versions(demo_programme):
    before = Milestone.history.count()
    demo.load(demo_programme)
    assert Milestone.history.count() == before


def test_the_demo_links_stand_from_the_programme_start(demo_programme):
    """The demo agrees its dependency links with the plan, at the programme's start: every
    past date from then shows them (and the milestones re-forecast since keep them)."""
    planner = demo_programme["planner"]
    wanted = set(demo.DEPENDENCIES)
    for as_at in (datetime.date(2007, 7, 2), datetime.date(2007, 11, 30), demo.REPORT_AS_AT):
        state = programme_as_at(planner, as_at)
        title = {m.pk: m.title for m in state.milestones}
        links = {(title[a], title[b]) for a, b in dependencies_as_at(as_at, title)}
        assert links == wanted, as_at
    assert dependencies_as_at(datetime.date(2007, 5, 31), title) == []
