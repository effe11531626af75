"""The programme as at a past date (themes/asat.py), from records changed on known dates."""

import datetime

import pytest

from tests.factories import theme
from tests.themes.conftest import AGREED, BASELINE, COMPLETED, DEFERRED
from tests.themes.factories import (
    MilestoneFactory,
    RiskFactory,
    StatusUpdateFactory,
    deliverable_in,
)
from tests.themes.history import aware, dated
from themes.asat import milestone_status_rows, programme_as_at
from themes.models import Issue, Milestone, Risk
from themes.services import milestone_update

pytestmark = pytest.mark.django_db


def go_live_on(user, date):
    state = programme_as_at(user, date)
    return next((m for m in state.milestones if m.title == "Go-live"), None)


def test_it_shows_the_forecast_and_rag_a_milestone_had_on_each_date(planner, go_live):
    before = go_live_on(planner, datetime.date(2007, 11, 30))
    assert (before.baseline_date, before.forecast_date, before.actual_date) == (
        BASELINE,
        BASELINE,
        None,
    )
    assert before.rag == "green" and before.slippage_days == 0
    deferred = go_live_on(planner, datetime.date(2008, 3, 31))
    assert deferred.forecast_date == datetime.date(2008, 12, 1)
    assert deferred.rag == "red" and deferred.slippage_days == 244
    done = go_live_on(planner, datetime.date(2008, 7, 1))
    assert done.actual_date == COMPLETED and done.rag == "complete"


def test_the_change_counts_from_the_day_it_was_made(planner, go_live):
    assert go_live_on(planner, DEFERRED - datetime.timedelta(days=1)).forecast_date == BASELINE
    assert go_live_on(planner, DEFERRED).forecast_date == datetime.date(2008, 12, 1)


def test_a_milestone_not_yet_agreed_is_absent(planner, go_live):
    assert go_live_on(planner, AGREED - datetime.timedelta(days=1)) is None
    assert go_live_on(planner, AGREED) is not None


def test_rag_then_uses_the_tolerance_then(planner, go_live):
    from themes.models import Theme
    from themes.services import theme_tolerances_update

    taylor = theme("taylor")
    # The theme as loaded at the programme's start, then its tolerance widened in May 2008.
    Theme.history.filter(id=taylor.pk).update(history_date=aware(datetime.date(2007, 6, 1)))
    with dated(datetime.date(2008, 5, 1), Theme, Milestone):
        taylor.time_tolerance_days = 365
        theme_tolerances_update(
            theme=taylor,
            time_tolerance_days=365,
            cost_tolerance_percent=taylor.cost_tolerance_percent,
            scope_tolerance=taylor.scope_tolerance,
        )
    # 244 days late: red under the 14-day default in March, amber under a year's tolerance later.
    assert go_live_on(planner, datetime.date(2008, 3, 31)).rag == "red"
    go_live.refresh_from_db()
    with dated(datetime.date(2008, 5, 2), Milestone):
        milestone_update(
            milestone_id=go_live.pk,
            user=planner,
            version=go_live.version,
            status="in-progress",
            actual_date=None,
        )
    assert go_live_on(planner, datetime.date(2008, 5, 3)).rag == "amber"


def test_a_restricted_theme_is_absent_for_the_uncleared_at_every_date(planner, cleared_planner):
    with dated(AGREED, Milestone, Risk):
        MilestoneFactory(deliverable=deliverable_in("covert"), title="Covert cut-over")
        RiskFactory(theme=theme("covert"), title="Covert staffing")
    date = datetime.date(2007, 12, 1)
    uncleared = programme_as_at(planner, date)
    assert "covert" not in {entry.theme.code for entry in uncleared.themes}
    assert all(m.title != "Covert cut-over" for m in uncleared.milestones)
    assert all(r.title != "Covert staffing" for r in uncleared.risks)
    assert programme_as_at(planner, date, theme="covert").milestones == []
    cleared = programme_as_at(cleared_planner, date, theme="covert")
    assert [m.title for m in cleared.milestones] == ["Covert cut-over"]
    assert [r.title for r in cleared.risks] == ["Covert staffing"]


def test_someone_without_a_role_sees_nothing(outsider, go_live):
    state = programme_as_at(outsider, datetime.date(2008, 3, 31))
    assert (state.themes, state.milestones, state.risks) == ([], [], [])


def test_risks_open_then_with_their_scores_then(planner):
    with dated(datetime.date(2007, 9, 1), Risk):
        risk = RiskFactory(title="Trainers redeployed", likelihood_after=2, impact_after=3)
    with dated(datetime.date(2008, 1, 10), Risk):
        risk.likelihood_after = 4
        risk.save()
    with dated(datetime.date(2008, 3, 1), Risk):
        risk.status = "closed"
        risk.save()

    def risk_on(date):
        return next(
            (r for r in programme_as_at(planner, date).risks if r.title == "Trainers redeployed"),
            None,
        )

    assert risk_on(datetime.date(2007, 8, 31)) is None
    assert risk_on(datetime.date(2007, 12, 1)).score_after == 6
    assert risk_on(datetime.date(2008, 2, 1)).score_after == 12
    assert risk_on(datetime.date(2008, 3, 1)) is None


def test_issues_raised_after_the_date_are_absent(planner):
    with dated(datetime.date(2008, 1, 25), Issue):
        Issue.objects.create(
            theme=theme("taylor"),
            issue_type="problem",
            title="Regulations deferred",
            description="…",
            raised_by=planner,
            owner=planner,
            raised_on=datetime.date(2008, 1, 25),
        )
    assert programme_as_at(planner, datetime.date(2007, 11, 30)).issues == []
    later = programme_as_at(planner, datetime.date(2008, 1, 31))
    assert [i.title for i in later.issues] == ["Regulations deferred"]


def test_theme_status_is_the_last_reported_by_then(planner):
    StatusUpdateFactory(as_at=datetime.date(2007, 11, 1), rag="green", reason="On track")
    StatusUpdateFactory(as_at=datetime.date(2008, 2, 1), rag="red", reason="Deferred")
    taylor = programme_as_at(planner, datetime.date(2007, 12, 31)).theme_then("taylor")
    assert (taylor.status.rag, taylor.status.reason) == ("green", "On track")
    later = programme_as_at(planner, datetime.date(2008, 2, 1)).theme_then("taylor")
    assert later.status.rag == "red"
    assert programme_as_at(planner, datetime.date(2007, 10, 1)).theme_then("taylor").status is None


def test_status_rows_are_the_programme_status_shape(planner, go_live):
    rows = milestone_status_rows(programme_as_at(planner, datetime.date(2008, 3, 31)))
    assert {
        "theme": "taylor",
        "title": "Go-live",
        "baseline": "2008-04-01",
        "forecast": "2008-12-01",
        "actual": None,
        "rag": "red",
    } in rows


def test_queries_do_not_grow_with_records(planner, go_live, django_assert_max_num_queries):
    for n in range(15):
        with dated(AGREED, Milestone, Risk):
            MilestoneFactory(deliverable=deliverable_in("pssp"), title=f"PSSP {n}")
            RiskFactory(title=f"Risk {n}")
    with django_assert_max_num_queries(14):
        state = programme_as_at(planner, datetime.date(2008, 3, 31))
    assert len(state.milestones) >= 16 and len(state.risks) >= 15
