from django import template

from dps.templatetags.govuk import govuk_tag
from pssp.choices import TAG_COLOURS

register = template.Library()


@register.simple_tag
def status_tag(record, field="status"):
    """A record's status as a GOV.UK tag, coloured by the one mapping in pssp.choices."""
    value = getattr(record, field)
    label = getattr(record, f"get_{field}_display")()
    return govuk_tag(label, TAG_COLOURS.get(value, ""))


@register.filter
def overdue(decision, today):
    return decision.is_overdue(today)
