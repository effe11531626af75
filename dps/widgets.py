"""Widgets drawn in Python rather than through Django's widget templates.

Django renders a drop-down by including a template for the select, one for every option and one
for every attribute list: the log's filter form drew some sixty options that way on every page,
about a third of a one-row page (issue 16). These produce the same markup with the same escaping.
"""

from django import forms
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe


def _attributes(attrs):
    """Attributes as django/forms/widgets/attrs.html writes them: False left out, True bare."""
    return format_html_join(
        "",
        "{}",
        (
            (format_html(" {}", name) if value is True else format_html(' {}="{}"', name, value),)
            for name, value in attrs.items()
            if value is not False
        ),
    )


class PythonInput:
    """For an Input widget: drawn as django/forms/widgets/input.html draws it."""

    def render(self, name, value, attrs=None, renderer=None):
        widget = self.get_context(name, value, attrs)["widget"]
        value = widget["value"]
        return format_html(
            '<input type="{}" name="{}"{}{}>',
            widget["type"],
            widget["name"],
            format_html(' value="{}"', str(value)) if value is not None else "",
            _attributes(widget["attrs"]),
        )


class DatePicker(PythonInput):
    """For dps.forms.DateInput: its input inside the MOJ date picker's wrapper, as
    forms/widgets/date_picker.html draws it."""

    def render(self, name, value, attrs=None, renderer=None):
        widget = self.get_context(name, value, attrs)["widget"]
        limits = format_html_join(
            "",
            ' data-{}-date="{}"',
            (
                (edge, widget[f"{edge}_date"])
                for edge in ("min", "max")
                if widget.get(f"{edge}_date")
            ),
        )
        return format_html(
            '<div class="moj-datepicker" data-module="moj-date-picker"{}>{}</div>',
            limits,
            super().render(name, value, attrs, renderer),
        )


class TextInput(PythonInput, forms.TextInput):
    """forms.TextInput, drawn without templates."""


class NumberInput(PythonInput, forms.NumberInput):
    pass


class Select(forms.Select):
    """forms.Select, drawn without a template per option."""

    def render(self, name, value, attrs=None, renderer=None):
        widget = self.get_context(name, value, attrs)["widget"]
        parts = [format_html('<select name="{}"{}>', widget["name"], _attributes(widget["attrs"]))]
        for group_name, options, _index in widget["optgroups"]:
            if group_name:
                parts.append(format_html('<optgroup label="{}">', group_name))
            parts.extend(
                format_html(
                    '<option value="{}"{}>{}</option>',
                    str(option["value"]),
                    _attributes(option["attrs"]),
                    option["label"],
                )
                for option in options
            )
            if group_name:
                parts.append(mark_safe("</optgroup>"))  # noqa: S308 - a literal tag
        parts.append(mark_safe("</select>"))  # noqa: S308 - a literal tag
        return mark_safe("".join(parts))  # noqa: S308 - every part above is escaped or literal
