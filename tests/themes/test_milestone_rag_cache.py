import datetime

import pytest

from tests.factories import theme
from tests.themes.factories import MilestoneFactory, deliverable_in
from themes.choices import Rag
from themes.services import milestone_update, theme_refresh_rag, theme_tolerances_update

pytestmark = pytest.mark.django_db

BASELINE = datetime.date(2008, 4, 1)


def days(n):
    return BASELINE + datetime.timedelta(days=n)


def reforecast(milestone, day, *, by):
    return milestone_update(
        milestone_id=milestone.pk,
        user=by,
        version=milestone.version,
        reason="Moved",
        forecast_date=day,
    )


def test_programme_default_tolerance_applies_when_theme_has_none(planner):
    milestone = MilestoneFactory(baseline_date=BASELINE, forecast_date=days(14))
    assert milestone.rag == Rag.AMBER
    assert milestone.slippage_days == 14
    milestone = reforecast(milestone, days(15), by=planner)
    assert milestone.rag == Rag.RED


def test_theme_tolerance_overrides_programme_default(planner):
    taylor = theme("taylor")
    taylor.time_tolerance_days = 30
    taylor.save()
    milestone = MilestoneFactory(
        deliverable=deliverable_in("taylor"), baseline_date=BASELINE, forecast_date=days(30)
    )
    assert milestone.rag == Rag.AMBER
    milestone = reforecast(milestone, days(31), by=planner)
    assert milestone.rag == Rag.RED


def test_changing_a_theme_tolerance_recomputes_its_milestones():
    milestone = MilestoneFactory(
        deliverable=deliverable_in("taylor"), baseline_date=BASELINE, forecast_date=days(20)
    )
    assert milestone.rag == Rag.RED
    taylor = theme("taylor")
    taylor.time_tolerance_days = 21
    taylor.save()
    assert theme_refresh_rag(taylor) == 1
    milestone.refresh_from_db()
    assert milestone.rag == Rag.AMBER
    assert milestone.history.first().history_change_reason == "Tolerance changed"


def test_changing_the_programme_default_recomputes_milestones_without_their_own():
    from themes.services import programme_refresh_rag

    milestone = MilestoneFactory(
        deliverable=deliverable_in("pssp"), baseline_date=BASELINE, forecast_date=days(10)
    )
    assert milestone.rag == Rag.AMBER
    programme = theme("pssp").programme
    programme.default_time_tolerance_days = 7
    programme.save()
    programme_refresh_rag(programme)
    milestone.refresh_from_db()
    assert milestone.rag == Rag.RED


def test_saving_a_milestone_directly_leaves_its_rag_to_the_services():
    # save() hides no rule: the RAG is written by the services that change dates or status.
    milestone = MilestoneFactory(baseline_date=BASELINE, forecast_date=days(14))
    milestone.forecast_date = days(60)
    milestone.save()
    milestone.refresh_from_db()
    assert milestone.rag == Rag.AMBER


def test_completing_a_milestone_makes_it_complete_whatever_its_slippage(planner):
    milestone = MilestoneFactory(baseline_date=BASELINE, forecast_date=days(40))
    assert milestone.rag == Rag.RED
    milestone = milestone_update(
        milestone_id=milestone.pk,
        user=planner,
        version=milestone.version,
        status="complete",
        actual_date=days(40),
    )
    assert milestone.rag == Rag.COMPLETE


def test_the_tolerance_write_saves_the_tolerances_and_recomputes_the_rag():
    milestone = MilestoneFactory(
        deliverable=deliverable_in("taylor"), baseline_date=BASELINE, forecast_date=days(20)
    )
    assert milestone.rag == Rag.RED
    changed = theme_tolerances_update(
        theme=theme("taylor"),
        time_tolerance_days=21,
        cost_tolerance_percent=None,
        scope_tolerance="Guidance may follow the procedures.",
    )
    assert changed == 1
    assert theme("taylor").scope_tolerance == "Guidance may follow the procedures."
    milestone.refresh_from_db()
    assert milestone.rag == Rag.AMBER
