"""The past dashboard, counted and ranked in the database, gives exactly the figures and rows that
follow from the programme as it stood (`programme_as_at`, each milestone rebuilt in Python)."""

import datetime

import pytest
from django.db.models import F

from tests.factories import theme
from tests.themes.factories import MilestoneFactory, deliverable_in
from tests.themes.history import aware, dated
from themes import asat
from themes.asat import dashboard_as_at, programme_as_at
from themes.choices import RAG_ORDER
from themes.models import Milestone, MilestoneReforecast, Theme
from themes.rag import is_exception
from themes.services import milestone_update, theme_tolerances_update

AS_AT = datetime.date(2008, 6, 30)
SINCE = datetime.date(2008, 3, 1)
DAY = datetime.timedelta(days=1)


@pytest.fixture
def reforecast_history(planner):
    """Twelve milestones over two themes, agreed in 2007, each re-forecast several times through
    2008 (some after the date looked at), a few completed, and one theme's tolerance widened in
    April 2008: every panel and RAG has members, two tolerances apply, and forecast dates and
    slippages tie."""
    overt = theme("overt")
    Theme.history.filter(id=overt.pk).update(history_date=aware(datetime.date(2007, 6, 1)))
    with dated(datetime.date(2008, 4, 1), Theme):
        theme_tolerances_update(
            theme=overt,
            time_tolerance_days=25,
            cost_tolerance_percent=overt.cost_tolerance_percent,
            scope_tolerance=overt.scope_tolerance,
        )
    milestones = []
    with dated(datetime.date(2007, 7, 2), Milestone):
        for n in range(12):
            baseline = datetime.date(2008, 6, 1) + (n % 4) * 10 * DAY
            milestones.append(
                MilestoneFactory(
                    deliverable=deliverable_in("taylor" if n % 3 else "overt"),
                    title=f"Milestone {n:02}",
                    baseline_date=baseline,
                    forecast_date=baseline,
                )
            )
    versions = {m.pk: 1 for m in milestones}
    moves = [
        (datetime.date(2008, 1, 15), lambda n: (n % 5) * 7 - 7),
        (datetime.date(2008, 3, 20), lambda n: (n % 4) * 15 - 10),
        (datetime.date(2008, 5, 5), lambda n: (n % 6) * 12 - 20),
        (datetime.date(2008, 8, 1), lambda n: 90),  # after the date: not seen then
    ]
    for when, days in moves:
        with dated(when, Milestone):
            for n, milestone in enumerate(milestones):
                if days(n) == 0:
                    continue
                milestone_update(
                    milestone_id=milestone.pk,
                    user=planner,
                    version=versions[milestone.pk],
                    forecast_date=milestone.baseline_date + days(n) * DAY,
                    reason=f"Move {when}",
                )
                versions[milestone.pk] += 1
    with dated(datetime.date(2008, 6, 2), Milestone):
        for milestone in milestones[:3]:
            milestone_update(
                milestone_id=milestone.pk,
                user=planner,
                version=versions[milestone.pk],
                status="complete",
                actual_date=datetime.date(2008, 6, 2),
            )
            versions[milestone.pk] += 1
    return milestones


def _expected(user, as_at, slipped_since, shown, exceptions_shown):
    """The dashboard's milestone figures worked out from the milestones rebuilt in Python."""
    state = programme_as_at(user, as_at)
    milestones = state.milestones
    open_ones = sorted(
        (m for m in milestones if not m.is_complete), key=lambda m: (m.forecast_date, m.pk)
    )
    slipped_ids = set(
        MilestoneReforecast.objects.visible_to(user)
        .filter(
            made_at__gte=asat.end_of_day(slipped_since - DAY),
            made_at__lt=asat.end_of_day(as_at),
            new_forecast__gt=F("previous_forecast"),
        )
        .values_list("milestone_id", flat=True)
    )

    def worst_first(rows):
        return sorted(rows, key=lambda m: (-(m.slippage_days or 0), m.pk))

    def panel(rows, limit=shown):
        rows = list(rows)
        return len(rows), [m.pk for m in rows[:limit]]

    themes = []
    for entry in state.themes:
        own = [m for m in milestones if m.deliverable.theme_id == entry.theme.pk]
        themes.append(
            (
                entry.theme.code,
                [sum(m.rag == rag for m in own) for rag in RAG_ORDER],
                sum(m.is_overdue(as_at) for m in own),
                sum(is_exception(m.rag) for m in own),
            )
        )
    exceptions = worst_first(m for m in milestones if is_exception(m.rag))
    return {
        "themes": themes,
        "exceptions": panel(exceptions, exceptions_shown),
        "exception_rows": [
            (m.pk, m.rag, m.slippage_days, m.forecast_date) for m in exceptions[:exceptions_shown]
        ],
        "overdue": panel(m for m in open_ones if m.is_overdue(as_at)),
        "due_30": panel(m for m in open_ones if as_at <= m.forecast_date <= as_at + 30 * DAY),
        "due_90": panel(m for m in open_ones if as_at <= m.forecast_date <= as_at + 90 * DAY),
        "slipped": panel(worst_first(m for m in milestones if m.pk in slipped_ids)),
    }


def _actual(figures):
    summary = figures["summary"]

    def panel(key):
        return figures[key]["count"], [m.pk for m in figures[key]["rows"]]

    return {
        "themes": [
            (
                row["code"],
                [count["count"] for count in row["counts"]],
                row["overdue"],
                row["exceptions"],
            )
            for row in summary["themes"]
        ],
        "exceptions": (summary["exception_count"], [row["id"] for row in summary["exceptions"]]),
        "exception_rows": [
            (
                row["id"],
                row["rag"],
                row["slippage_days"],
                datetime.date.fromisoformat(row["forecast"]),
            )
            for row in summary["exceptions"]
        ],
        "overdue": panel("overdue"),
        "due_30": panel("due_30"),
        "due_90": panel("due_90"),
        "slipped": panel("slipped"),
    }


@pytest.mark.parametrize("as_at", [datetime.date(2008, 2, 1), AS_AT, datetime.date(2008, 9, 1)])
def test_the_past_dashboard_gives_the_figures_of_the_programme_then(
    planner, reforecast_history, monkeypatch, as_at
):
    # Short panels, so that which rows come first (and the ties) is checked too.
    monkeypatch.setattr(asat, "PANEL_ROWS", 3)
    monkeypatch.setattr(asat, "EXCEPTIONS_SHOWN", 2)
    expected = _expected(planner, as_at, SINCE, 3, 2)
    actual = _actual(dashboard_as_at(planner, as_at=as_at, slipped_since=SINCE))
    assert actual == expected
    # Not trivially equal: the date looked at has milestones in most panels.
    if as_at == AS_AT:
        assert all(expected[key][0] for key in ("exceptions", "overdue", "due_30", "slipped"))


def test_the_past_dashboard_rows_carry_their_theme_and_owner(planner, reforecast_history):
    figures = dashboard_as_at(planner, as_at=AS_AT, slipped_since=SINCE)
    rows = figures["overdue"]["rows"] + figures["slipped"]["rows"]
    assert rows
    for milestone in rows:
        assert milestone.deliverable.theme.code in {"taylor", "overt"}
        assert milestone.owner is not None


def test_the_past_dashboard_reads_a_fixed_number_of_queries(
    planner, reforecast_history, django_assert_max_num_queries
):
    """Tallies and panel rows in one statement; the rest (themes, tolerances, status updates,
    deliverables, risks, decisions, actions, re-forecast links, owners, money) one each."""
    with django_assert_max_num_queries(12) as captured:
        dashboard_as_at(planner, as_at=AS_AT, slipped_since=SINCE)
    few = len(captured.captured_queries)
    with dated(datetime.date(2008, 2, 1), Milestone):
        for n in range(20):
            MilestoneFactory(deliverable=deliverable_in("overt"), title=f"More {n}")
    with django_assert_max_num_queries(few):
        dashboard_as_at(planner, as_at=AS_AT, slipped_since=SINCE)
