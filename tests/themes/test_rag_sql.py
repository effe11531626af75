"""The RAG rule's database form (`rag_expression`, used to count and rank milestones as they
stood without loading them) agrees with its Python form (`milestone_rag`) on every branch."""

import datetime

import pytest
from django.db.models import CharField, DateField, Value
from django.db.models.functions import Cast

from themes.choices import MilestoneStatus, Rag
from themes.models import Theme
from themes.rag import milestone_rag, rag_expression, slippage_days, slippage_expression

BASELINE = datetime.date(2008, 4, 1)
DAY = datetime.timedelta(days=1)

# (status, baseline, forecast, tolerance days)
CASES = [
    ("in-progress", BASELINE, BASELINE, 10),  # on the baseline
    ("in-progress", BASELINE, BASELINE - 30 * DAY, 10),  # well ahead
    ("in-progress", BASELINE, BASELINE - DAY, 10),  # a day ahead
    ("in-progress", BASELINE, BASELINE + DAY, 10),  # a day late: amber
    ("in-progress", BASELINE, BASELINE + 9 * DAY, 10),  # inside tolerance
    ("in-progress", BASELINE, BASELINE + 10 * DAY, 10),  # on the tolerance edge: still amber
    ("in-progress", BASELINE, BASELINE + 11 * DAY, 10),  # a day beyond it: red
    ("in-progress", BASELINE, BASELINE + 400 * DAY, 10),  # across a leap year
    ("in-progress", BASELINE, BASELINE + DAY, 0),  # no tolerance at all
    ("in-progress", BASELINE, BASELINE, 0),
    ("not-started", BASELINE, BASELINE + 5 * DAY, 5),
    ("complete", BASELINE, BASELINE + 400 * DAY, 10),  # complete beats late
    ("complete", None, None, 10),
    ("in-progress", None, BASELINE, 10),  # no baseline agreed
    ("in-progress", BASELINE, None, 10),  # no forecast
    ("in-progress", None, None, 10),
    ("in-progress", datetime.date(2008, 2, 28), datetime.date(2008, 3, 1), 1),  # 29 Feb between
    ("in-progress", datetime.date(2007, 12, 31), datetime.date(2008, 1, 1), 1),  # year end
]


def _in_the_database(expression):
    # Any one row to select the expression against (the themes are reference data).
    row = Theme.objects.every_row("rule check").annotate(value=expression).values("value")[:1]
    return row.get()["value"]


def _date(value):
    # Cast, so that a missing date is a NULL date (PostgreSQL cannot subtract untyped NULLs;
    # a column is always typed).
    return Cast(Value(value), DateField())


@pytest.mark.parametrize("status, baseline, forecast, tolerance", CASES)
def test_the_database_rule_gives_the_python_rule_s_rag(db, status, baseline, forecast, tolerance):
    python = milestone_rag(
        complete=status == MilestoneStatus.COMPLETE,
        baseline=baseline,
        forecast=forecast,
        tolerance_days=tolerance,
    )
    sql = _in_the_database(
        rag_expression(
            tolerance,
            status=Value(status, output_field=CharField()),
            baseline=_date(baseline),
            forecast=_date(forecast),
        )
    )
    assert Rag(sql) == python


@pytest.mark.parametrize("status, baseline, forecast, tolerance", CASES)
def test_the_database_slippage_is_the_python_slippage(db, status, baseline, forecast, tolerance):
    sql = _in_the_database(slippage_expression(_date(baseline), _date(forecast)))
    assert sql == slippage_days(baseline, forecast)


def test_the_rule_over_stored_milestones_matches_their_cached_rag(planner):
    """Over rows (column references, a tolerance per theme), not only literal values."""
    from tests.themes.factories import MilestoneFactory, deliverable_in
    from themes.models import Milestone

    theme = Theme.objects.every_row("rule check").get(code="taylor")
    tolerance = theme.effective_time_tolerance_days
    for days in (-3, 0, 1, tolerance, tolerance + 1):
        MilestoneFactory(
            deliverable=deliverable_in("taylor"),
            baseline_date=BASELINE,
            forecast_date=BASELINE + days * DAY,
        )
    rows = (
        Milestone.objects.every_row("rule check")
        .filter(deliverable__theme=theme)
        .annotate(rag_sql=rag_expression(tolerance), slippage_sql=slippage_expression())
        .values_list("rag", "rag_sql", "slippage_days", "slippage_sql")
    )
    assert len(rows) == 5
    for cached, sql, cached_slippage, sql_slippage in rows:
        assert (sql, sql_slippage) == (cached, cached_slippage)
    assert {row[1] for row in rows} == {Rag.GREEN, Rag.AMBER, Rag.RED}
