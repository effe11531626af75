"""Display helpers for the themes blocks, which carry dates as ISO strings (so they freeze)."""

import datetime

from django import template
from django.utils.dateformat import format as format_date

register = template.Library()


@register.filter
def iso_date(value, fmt="j M Y"):
    """Format an ISO date string (or a date) for display; empty for None."""
    if not value:
        return ""
    if isinstance(value, str):
        try:
            value = datetime.date.fromisoformat(value)
        except ValueError:
            return value
    return format_date(value, fmt)


@register.filter
def signed_days(value):
    """Slippage in days with its sign, e.g. +12, 0, -3; a dash when unknown."""
    if value is None or value == "":
        return "–"
    value = int(value)
    return f"+{value}" if value > 0 else str(value)


@register.filter
def rag_colour(value):
    """The GOV.UK tag colour of a RAG value, from the one mapping in themes.choices."""
    from themes.choices import RAG_TAG_COLOURS

    return RAG_TAG_COLOURS.get(value, "grey")
