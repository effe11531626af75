"""Display helpers for the PSSP figures: they only format, the figures come from stats.py."""

from django import template

from presentations import stats

register = template.Library()


@register.filter
def month_label(month):
    """'2007-01' -> 'Jan 2007'; 'Total' stays 'Total'."""
    return stats.month_label(month)


@register.filter
def percent(value):
    """A rate from stats.py (None when there was nothing to divide by) as text."""
    return "–" if value is None else f"{value}%"
