"""Widgets drawn in Python rather than through Django's widget templates.

Django renders a drop-down by including a template for the select, one for every option and one
for every attribute list: the log's filter form drew some sixty options that way on every page,
about a third of a one-row page (issue 16). These produce the same markup with the same escaping.
"""

from django import forms
from django.utils.html import conditional_escape, format_html, format_html_join
from django.utils.safestring import mark_safe

from dps import forms as dps_forms


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
    """forms.NumberInput, drawn without templates."""


class DateInput(DatePicker, dps_forms.DateInput):
    """dps.forms.DateInput (the MOJ date picker), drawn without templates."""


class Textarea(forms.Textarea):
    """forms.Textarea, drawn as django/forms/widgets/textarea.html draws it (the newline after
    the opening tag included: a browser drops it, so a value starting with one keeps it)."""

    def render(self, name, value, attrs=None, renderer=None):
        widget = self.get_context(name, value, attrs)["widget"]
        return format_html(
            '<textarea name="{}"{}>\n{}</textarea>',
            widget["name"],
            _attributes(widget["attrs"]),
            widget["value"] or "",
        )


class Select(forms.Select):
    """forms.Select, drawn without a template per option.

    The options are drawn straight from the choices, as Django's `optgroups` and
    `create_option` would describe them (a Select's options inherit no attributes; only the
    first matching option is selected unless several may be), without building a dictionary
    per option first: the log's filter form draws some sixty options on every page."""

    def render(self, name, value, attrs=None, renderer=None):
        final_attrs = self.build_attrs(self.attrs, attrs)
        if self.allow_multiple_selected:
            final_attrs["multiple"] = True
        chosen = self.format_value(value)
        parts = [format_html('<select name="{}"{}>', name, _attributes(final_attrs))]
        has_selected = False
        for option_value, option_label in self.choices:
            if option_value is None:
                option_value = ""
            grouped = isinstance(option_label, list | tuple)
            if grouped and option_value:
                parts.append(format_html('<optgroup label="{}">', option_value))
            for subvalue, sublabel in option_label if grouped else [(option_value, option_label)]:
                selected = (not has_selected or self.allow_multiple_selected) and str(
                    subvalue
                ) in chosen
                has_selected |= selected
                parts.append(
                    f'<option value="{conditional_escape(str(subvalue))}"'
                    f"{' selected' if selected else ''}>{conditional_escape(sublabel)}</option>"
                )
            if grouped and option_value:
                parts.append("</optgroup>")
        parts.append("</select>")
        return mark_safe("".join(parts))  # noqa: S308 - every part above is escaped or literal
