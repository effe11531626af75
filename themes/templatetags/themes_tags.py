"""Display helpers for the themes blocks, which carry dates as ISO strings (so they freeze)."""

import datetime

from django import template
from django.utils.dateformat import format as format_date
from django.utils.formats import get_format

register = template.Library()


@register.filter
def iso_date(value, fmt="DATE_FORMAT"):
    """Format an ISO date string (or a date) for display, as the `date` filter would (in text
    "17 January 2008"; in a table cell pass "SHORT_DATE_FORMAT": "17 Jan 2008"); empty for
    None."""
    if not value:
        return ""
    if isinstance(value, str):
        try:
            value = datetime.date.fromisoformat(value)
        except ValueError:
            return value
    return format_date(value, get_format(fmt))


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
