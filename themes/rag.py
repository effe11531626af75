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

from themes.choices import RAG_TAG_COLOURS, Rag


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
