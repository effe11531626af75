"""The table template's body rows (dps.table_body)."""

from django import template

from dps.table_body import body_rows, header_cells

register = template.Library()


@register.simple_tag
def table_body_rows(table):
    return body_rows(table)


@register.simple_tag(takes_context=True)
def table_header_cells(context, table):
    return header_cells(table, context["request"])
