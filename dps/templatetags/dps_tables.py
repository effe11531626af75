"""The table template's body rows (dps.table_body)."""

from django import template

from dps.table_body import body_rows

register = template.Library()


@register.simple_tag
def table_body_rows(table):
    return body_rows(table)
