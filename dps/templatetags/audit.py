"""The audit-trail include reads a record's history for whoever is viewing the page."""

from django import template

from dps import dates, params

register = template.Library()

# The query string asking a record's page for its whole history rather than the latest changes.
WHOLE_HISTORY = "all"


@register.simple_tag(takes_context=True)
def history_read_by_viewer(context, history):
    """The entries of a `dps.audit.RecordHistory` the signed-in user may see: the latest changes,
    or all of them when the address asks for `?history=all`.

    Only a RecordHistory (or nothing) is accepted: a ready-made list of entries would have been
    read for nobody in particular.
    """
    if not history:
        return []
    request = context["request"]
    everything = params.choice(request.GET, "history", {WHOLE_HISTORY}) == WHOLE_HISTORY
    return history.read_by(request.user, everything=everything)


@register.simple_tag(takes_context=True)
def whole_history_url(context):
    """This page's address asking for the whole history, other query parameters kept."""
    query = context["request"].GET.copy()
    query["history"] = WHOLE_HISTORY
    return f"?{query.urlencode()}#history"


@register.filter
def in_words_with_time(moment):
    """ "17 January 2008 at 2:05pm" (dps.dates)."""
    return dates.in_words_with_time(moment) if moment else ""
