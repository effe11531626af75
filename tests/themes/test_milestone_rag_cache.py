import datetime

import pytest

from tests.factories import theme
from tests.themes.factories import MilestoneFactory, deliverable_in
from themes.choices import Rag
from themes.services import theme_refresh_rag

pytestmark = pytest.mark.django_db

BASELINE = datetime.date(2008, 4, 1)


def days(n):
    return BASELINE + datetime.timedelta(days=n)


def test_programme_default_tolerance_applies_when_theme_has_none():
    milestone = MilestoneFactory(baseline_date=BASELINE, forecast_date=days(14))
    assert milestone.rag == Rag.AMBER
    assert milestone.slippage_days == 14
    milestone.forecast_date = days(15)
    milestone.save()
    assert milestone.rag == Rag.RED


def test_theme_tolerance_overrides_programme_default():
    taylor = theme("taylor")
    taylor.time_tolerance_days = 30
    taylor.save()
    milestone = MilestoneFactory(
        deliverable=deliverable_in("taylor"), baseline_date=BASELINE, forecast_date=days(30)
    )
    assert milestone.rag == Rag.AMBER
    milestone.forecast_date = days(31)
    milestone.save()
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
