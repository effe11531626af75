"""The table template's body rows (dps.tables)."""

from django import template

from dps.tables import body_rows

register = template.Library()


@register.simple_tag
def table_body_rows(table):
    return body_rows(table)
