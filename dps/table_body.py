"""The body of a django-tables2 table, rendered without per-cell work that never changes.

django-tables2 stays the project's table library (columns, ordering, pagination, exports); only
the `<tbody>` is built here. For every cell django-tables2 inspects the render method's
signature, rebuilds the column's attributes (`column.attrs.td.class` in a template is a dict
rebuilt per cell) and, for a `DateColumn`, compiles a template. On a 100-row page that was most of
the request (issue 16). Here each column is prepared once per table: its accessor, whether it
shows a choice's label, the arguments its render method takes, its cell class, and for dates the
format. The rows are then built in Python, one string per row, for a single template loop.

The cell values are the ones `BoundRow.get_cell` gives (same accessors, defaults, empty values,
`render_FOO` methods, links), escaped and localised as `{{ cell }}` would be. What this cannot
precompute (attributes computed per cell, pinned rows, template columns other than dates) goes
through django-tables2's own path, so every table still renders.
"""

import functools
import re

from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.template.defaultfilters import date as date_filter
from django.urls import NoReverseMatch, reverse
from django.utils.formats import localize
from django.utils.html import conditional_escape, escape, format_html
from django.utils.http import urlencode
from django.utils.safestring import mark_safe
from django.utils.timezone import template_localtime
from django_tables2.columns import Column, DateColumn, ManyToManyColumn
from django_tables2.columns.base import LinkTransform
from django_tables2.columns.linkcolumn import BaseLinkColumn
from django_tables2.rows import BoundPinnedRow
from django_tables2.utils import Accessor, signature

# DateColumn keeps its format only inside the template it compiles for every cell.
_DATE_TEMPLATE = re.compile(r'^\{\{ value\|date:"([^"]*)"\|default:default \}\}$')
_NOT_GIVEN = object()


# An id no row has, reversed once per table in its place (see _url_parts).
_SENTINEL_ID = 9_007_199_254_740_993


def _url_parts(link):
    """(prefix, accessor, suffix) when every row's link is `reverse(viewname, kwargs={name:
    A(...)})` with an integer: the URL is then reversed once per table and each row's id put in
    its place, instead of a reverse() per row. None for any other link (django-tables2 does it)."""
    if not isinstance(link, LinkTransform) or link.url or link.attrs:
        return None
    arguments = link.reverse_args
    kwargs = arguments.get("kwargs")
    if (
        not isinstance(arguments.get("viewname"), str)
        or set(arguments) != {"viewname", "kwargs"}
        or not isinstance(kwargs, dict)
        or len(kwargs) != 1
    ):
        return None
    ((name, accessor),) = kwargs.items()
    if not isinstance(accessor, Accessor):
        return None
    try:
        url = reverse(arguments["viewname"], kwargs={name: _SENTINEL_ID})
    except NoReverseMatch:
        return None
    parts = url.split(str(_SENTINEL_ID))
    if len(parts) != 2:
        return None
    return parts[0], accessor, parts[1]


def _render_arguments(render):
    """The arguments a column's render method takes, or None when it takes any (**kwargs)."""
    function = getattr(render, "__func__", None)
    if function is None:  # not a bound method (a function, a partial): inspected each time
        arguments, catch_all = signature(render)
        return None if catch_all else arguments
    return _method_arguments(function)


@functools.cache
def _method_arguments(function):
    """A method's render arguments, without `self`, inspected once per process: a signature is
    the function's own, the same for every table and request (inspect.signature was about a
    fifth of preparing the log's columns on every page, issue 16)."""
    arguments, catch_all = signature(function)
    return None if catch_all else arguments[1:]


def resolve(accessor, record, *, quiet=False):
    """`accessor.resolve(record)`, taking a model instance's attributes directly.

    django-tables2 tries every step as `record[name]` first, and a model instance answers that
    with a TypeError, raised and caught for every cell on every page (issue 16). A model
    instance has no items, so its step is the attribute lookup django-tables2 falls back to,
    with the same handling of callables and of None; anything else (a dictionary, a list) is
    resolved by django-tables2 from that step on."""
    current = record
    bits = accessor.bits
    try:
        for index, bit in enumerate(bits):
            if not isinstance(current, models.Model) or hasattr(type(current), "__getitem__"):
                rest = Accessor(Accessor.SEPARATOR.join(bits[index:]))
                return rest.resolve(current, quiet=quiet)
            try:
                current = getattr(current, bit)
            except (TypeError, AttributeError) as error:
                raise ValueError(
                    Accessor.LOOKUP_ERROR_FMT.format(
                        key=bit, context=type(current), accessor=accessor
                    )
                ) from error
            if callable(current):
                if getattr(current, "alters_data", False):
                    raise ValueError(Accessor.ALTERS_DATA_ERROR_FMT.format(method=current.__name__))
                if not getattr(current, "do_not_call_in_templates", False):
                    current = current(*accessor.callable_args, **accessor.callable_kwargs)
            if current is None:
                break
        return current
    except Exception:
        if not quiet:
            raise
        return None


def cell_html(value):
    """A cell value as `{{ value }}` prints it: local time, localised, escaped."""
    if type(value) is str:  # most cells: nothing to localise, not marked safe
        return escape(value)
    return conditional_escape(localize(template_localtime(value)))


class CellRenderer:
    """One column's cells: what `BoundRow.get_cell` does, with the per-table work done once."""

    def __init__(self, table, bound_column):
        self.table = table
        self.bound_column = bound_column
        self.column = column = bound_column.column
        self.accessor = Accessor(bound_column.accessor)
        self.path, _, self.remainder = self.accessor.rpartition(Accessor.SEPARATOR)
        self.path_accessor = Accessor(self.path) if self.path else None
        self.default = bound_column.default
        self.empty_values = column.empty_values
        self.is_many_to_many = isinstance(column, ManyToManyColumn)
        self.link_without_value = isinstance(column, BaseLinkColumn) and column.text is not None
        self.link = bound_column.link
        self.url_parts = _url_parts(self.link)
        self.date_format = None
        # A page's dates repeat (a day has many sessions): each is formatted once per table.
        self.formatted_dates = {}
        if type(column) is DateColumn:
            match = _DATE_TEMPLATE.match(column.template_code or "")
            if match:
                self.date_format = match.group(1)
        self.render = bound_column.render
        self.render_arguments = _render_arguments(self.render)
        # A plain Column's render gives the value back: most columns need no call.
        self.passes_value = getattr(self.render, "__func__", None) is Column.render
        self.choices_field = {}  # model class -> whether the field shows get_FOO_display()
        self.choice_labels = {}  # (model class, stored value) -> its label
        attrs = dict(table.attrs)
        attrs.update(dict(column.attrs))
        td_attrs = attrs.get("td", attrs.get("cell", {}))
        # Attributes computed from each record cannot be prepared: django-tables2 does those.
        self.td_class_varies = any(callable(value) for value in td_attrs.values())
        css = None if self.td_class_varies else bound_column.attrs["td"].get("class")
        # The class is escaped; the rest is literal markup.
        css = f" {escape(css)}" if css else ""
        self.td_open = mark_safe(f'<td class="govuk-table__cell{css}">')  # noqa: S308

    def _shows_choice_label(self, record):
        model = type(record)
        known = self.choices_field.get(model)
        if known is None:
            try:
                field = self.accessor.get_field(record)
            except FieldDoesNotExist:
                field = None
            known = self.choices_field[model] = bool(getattr(field, "choices", ()))
        return known

    def _label(self, instance, name, display):
        """What `display()` (get_FOO_display) gives, looked up once per value and table when it
        is Django's own method: that builds a dictionary of the choices on every call."""
        own = getattr(getattr(type(instance), name, None), "_partialmethod", None)
        if own is None or own.func is not models.Model._get_FIELD_display:
            return display()  # a model's own get_FOO_display may read more than the value
        key = (type(instance), getattr(instance, own.keywords["field"].attname))
        label = self.choice_labels.get(key, _NOT_GIVEN)
        if label is _NOT_GIVEN:
            label = self.choice_labels[key] = display()
        return label

    def value(self, record):
        """The cell's value, or _NOT_GIVEN when django-tables2 would render without one."""
        value = None
        remainder = self.remainder
        penultimate = resolve(self.path_accessor, record, quiet=True) if self.path else record
        if isinstance(penultimate, models.Model) and self._shows_choice_label(record):
            name = f"get_{remainder}_display"
            display = getattr(penultimate, name, None)
            if display:
                return self._label(penultimate, name, display)
        if remainder:
            try:
                value = resolve(self.accessor, record)
            except Exception:
                # Non-field columns (django-tables2 issue #257).
                if self.link_without_value:
                    return _NOT_GIVEN
        return value

    def _call(self, record, row, value):
        if self.passes_value and self.url_parts is None and not self.link:
            return value
        arguments = {
            "value": value,
            "record": record,
            "column": self.column,
            "bound_column": self.bound_column,
            "bound_row": row,
            "table": self.table,
        }
        if self.date_format is not None:
            content = self.formatted_dates.get(value)
            if content is None:
                content = date_filter(template_localtime(value), self.date_format) or self.default
                self.formatted_dates[value] = content
        elif self.passes_value:
            content = value
        elif self.render_arguments is None:
            content = self.render(**arguments)
        elif all(name in arguments for name in self.render_arguments):
            content = self.render(**{name: arguments[name] for name in self.render_arguments})
        else:
            content = None
        if self.url_parts is not None:
            prefix, accessor, suffix = self.url_parts
            key = resolve(accessor, record, quiet=True)
            if type(key) is int:
                return format_html('<a href="{}">{}</a>', f"{prefix}{key}{suffix}", content)
        return self.link(content, **arguments) if self.link else content

    def cell(self, record, row):
        value = self.value(record)
        if value is _NOT_GIVEN:
            return self._call(record, row, None)
        if value in self.empty_values or (self.is_many_to_many and not value.exists()):
            return self.default
        return self._call(record, row, value)

    def td(self, record, row):
        content = self.cell(record, row)
        if self.td_class_varies:
            column = self.bound_column
            column.current_value, column.current_record = content, record
            css = column.attrs["td"].get("class")
            open_tag = f'<td class="govuk-table__cell{" " + escape(css) if css else ""}">'
            return open_tag + cell_html(content) + "</td>"
        return self.td_open + cell_html(content) + "</td>"


def body_rows(table):
    """The rows of the table's current page as `<tr>` HTML, one safe string each."""
    renderers = [CellRenderer(table, column) for column in table.columns]
    rows = []
    for row in table.paginated_rows:
        if isinstance(row, BoundPinnedRow):
            cells = "".join(
                renderer.td_open + cell_html(cell) + "</td>"
                for renderer, (_, cell) in zip(renderers, row.items(), strict=True)
            )
        else:
            record = row.record
            cells = "".join([renderer.td(record, row) for renderer in renderers])
        # Every cell went through cell_html (escaped unless already safe) and a literal <td>.
        rows.append(mark_safe(f'<tr class="govuk-table__row">{cells}</tr>'))  # noqa: S308
    return rows


def header_cells(table, request):
    """The header row's `<th>` cells as govuk_table.html drew them column by column: the
    column's class, its sort state for assistive technology, and for a sortable column a link
    that sorts by it (the page's query string with the ordering replaced, as django-tables2's
    `querystring_replace` writes it). Drawn in Python because through the template each column
    rebuilt its attributes and sort alias several times, on every list page (issue 16)."""
    order_field = table.prefixed_order_by_field
    cells = []
    for column in table.columns:
        css = column.attrs["th"].get("class")
        is_ordered = column.is_ordered
        descending = is_ordered and column.order_by_alias.is_descending
        if is_ordered:
            sort = f' aria-sort="{"descending" if descending else "ascending"}"'
        else:
            sort = ' aria-sort="none"' if column.orderable else ""
        content = cell_html(column.header)
        if column.orderable:
            params = dict(request.GET)
            if order_field not in ("", None):
                params[order_field] = column.order_by_alias.next
            content = (
                f'<a class="govuk-link" href="{escape("?" + urlencode(params, doseq=True))}">'
                f'{content}<span class="govuk-visually-hidden">, sort '
                f"{'descending' if is_ordered and not descending else 'ascending'}</span></a>"
            )
            if is_ordered:
                content += f'<span aria-hidden="true">{" ▼" if descending else " ▲"}</span>'
        cells.append(
            f'<th scope="col" class="govuk-table__header{" " + escape(css) if css else ""}"'
            f"{sort}>{content}</th>"
        )
    # Each part is literal, escaped (class, URL) or through cell_html (headers).
    return mark_safe("".join(cells))  # noqa: S308
