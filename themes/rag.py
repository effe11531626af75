"""The milestone RAG rule, in one place.

A milestone's RAG follows from how far its forecast (or, once complete, nothing: it is Complete)
has slipped past its baseline, measured against the time tolerance that applies to its theme
(the theme's own tolerance if set, otherwise the programme default):

- complete                              -> Complete
- no baseline agreed yet                -> Not started (nothing to measure against)
- slippage <= 0 days                    -> Green  (on or ahead of baseline)
- 0 < slippage <= tolerance days        -> Amber  (slipping, but within tolerance)
- slippage > tolerance days             -> Red    (forecast to breach tolerance: a PRINCE2
                                                    exception, listed on the dashboard)

Slippage is forecast date minus baseline date in whole days. The rule does not depend on today:
a milestone whose forecast date has passed without completion is *overdue*, which the dashboard
shows separately, so a frozen report's RAG never changes with the date it is read.
"""

from django.db.models import Case, F, Func, IntegerField, Value, When
from django.db.models.lookups import Exact, IsNull, LessThanOrEqual

from themes.choices import RAG_TAG_COLOURS, MilestoneStatus, Rag


def slippage_days(baseline, forecast):
    """Days the forecast lies after the baseline (negative when ahead); None if either is unset."""
    if baseline is None or forecast is None:
        return None
    return (forecast - baseline).days


def milestone_rag(*, complete, baseline, forecast, tolerance_days):
    return rag_for_slippage(complete, slippage_days(baseline, forecast), tolerance_days)


def rag_for_slippage(complete, slippage, tolerance_days):
    """`milestone_rag` from the slippage already worked out (rebuilding ten thousand milestones
    as at a date computes each slippage once and keeps it)."""
    if complete:
        return Rag.COMPLETE
    if slippage is None:
        return Rag.NOT_STARTED
    if slippage <= 0:
        return Rag.GREEN
    if slippage <= tolerance_days:
        return Rag.AMBER
    return Rag.RED


class DaysAfter(Func):
    """Whole days from the second date to the first (negative if it lies before; NULL if either
    is NULL). PostgreSQL subtracts dates to an integer; SQLite keeps dates as ISO text, whose
    Julian day numbers differ by exactly the days between them."""

    arity = 2
    output_field = IntegerField()
    template = "(%(expressions)s)"
    arg_joiner = " - "

    def as_sqlite(self, compiler, connection, **extra_context):
        return super().as_sql(
            compiler,
            connection,
            template="CAST(julianday(%(expressions)s) AS INTEGER)",
            arg_joiner=") - julianday(",
            **extra_context,
        )


def _expression(value, wrap=F):
    """A column name as F(name), a plain value as `wrap(value)`; expressions as they are."""
    return value if hasattr(value, "resolve_expression") else wrap(value)


def slippage_expression(baseline="baseline_date", forecast="forecast_date"):
    """`slippage_days` as a database expression over the named date columns (or expressions)."""
    return DaysAfter(_expression(forecast), _expression(baseline))


def rag_expression(
    tolerance_days, *, status="status", baseline="baseline_date", forecast="forecast_date"
):
    """`milestone_rag` as a database expression (a CASE over the named columns), for counting
    and ranking milestones by the RAG they had without loading them: the same branches in the
    same order as `rag_for_slippage`, so the two cannot disagree (tests/themes/test_rag_sql.py
    checks them against each other on a table of cases). `tolerance_days` is a number or an
    expression (a CASE giving each theme's tolerance)."""
    status, tolerance_days = _expression(status), _expression(tolerance_days, Value)
    slippage = slippage_expression(baseline, forecast)
    return Case(
        When(Exact(status, MilestoneStatus.COMPLETE.value), then=Value(Rag.COMPLETE.value)),
        When(IsNull(slippage, True), then=Value(Rag.NOT_STARTED.value)),
        When(LessThanOrEqual(slippage, 0), then=Value(Rag.GREEN.value)),
        When(LessThanOrEqual(slippage, tolerance_days), then=Value(Rag.AMBER.value)),
        default=Value(Rag.RED.value),
    )


def is_exception(rag):
    """A milestone forecast beyond tolerance is an exception to report up (PRINCE2)."""
    return rag == Rag.RED


# The same rule as a list of values, for counting and filtering in the database.
EXCEPTION_RAGS = tuple(rag.value for rag in Rag if is_exception(rag))


def worst_rag(rags):
    """The theme-level picture computed from its milestones: the worst open RAG.

    All complete -> Complete; no milestones -> Not started.
    """
    rags = set(rags)
    for rag in (Rag.RED, Rag.AMBER, Rag.GREEN):
        if rag in rags:
            return Rag(rag)
    if Rag.COMPLETE in rags:
        return Rag.COMPLETE
    return Rag.NOT_STARTED


def rag_dict(rag):
    """A RAG as JSON-serialisable parts: value, label and GOV.UK tag colour."""
    if rag is None or rag == "":
        return {"value": "", "label": "Not reported", "colour": "grey"}
    rag = Rag(rag)
    return {"value": rag.value, "label": rag.label, "colour": RAG_TAG_COLOURS[rag]}
