"""The audit-trail include reads a record's history for whoever is viewing the page."""

from django import template

register = template.Library()


@register.simple_tag(takes_context=True)
def history_read_by_viewer(context, history):
    """The entries of a `dps.audit.RecordHistory` the signed-in user may see.

    Only a RecordHistory (or nothing) is accepted: a ready-made list of entries would have been
    read for nobody in particular.
    """
    if not history:
        return []
    return history.read_by(context["request"].user)
