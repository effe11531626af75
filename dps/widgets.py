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
    """Attributes as django/forms/widgets/attrs.html writes them: False left out, True bare.
    Joined as plain strings, each name and value escaped: a format_html per attribute was a
    twentieth of a one-row log page (issue 16)."""
    return mark_safe(  # noqa: S308 - every name and value is escaped
        "".join(
            f" {conditional_escape(name)}"
            if value is True
            else f' {conditional_escape(name)}="{conditional_escape(value)}"'
            for name, value in attrs.items()
            if value is not False
        )
    )


class PythonInput:
    """For an Input widget: drawn as django/forms/widgets/input.html draws it."""

    def render(self, name, value, attrs=None, renderer=None):
        return self.draw(self.get_context(name, value, attrs)["widget"])

    def draw(self, widget):
        """The input, from its context's "widget" dictionary."""
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

    def draw(self, widget):
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
            super().draw(widget),
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


def optgroups(widget, chosen):
    """A choice widget's options as Django's ChoiceWidget.optgroups describes them, without a
    dictionary per option: (group name or None, [(index, value, label, selected), ...]) per
    choice. `chosen` is the widget's format_value; only the first matching option is selected
    unless the widget allows several. The index is create_option's ("2", or "3_0" in a group),
    which gives radios and checkboxes their ids."""
    groups = []
    has_selected = False
    for index, (option_value, option_label) in enumerate(widget.choices):
        if option_value is None:
            option_value = ""
        if isinstance(option_label, list | tuple):
            group_name, choices = option_value, option_label
        else:
            group_name, choices = None, [(option_value, option_label)]
        options = []
        for subindex, (subvalue, sublabel) in enumerate(choices):
            selected = (not has_selected or widget.allow_multiple_selected) and str(
                subvalue
            ) in chosen
            has_selected |= selected
            position = str(index) if group_name is None else f"{index}_{subindex}"
            options.append((position, subvalue, sublabel, selected))
        groups.append((group_name, options))
    return groups


class Select(forms.Select):
    """forms.Select, drawn without a template per option.

    The options are drawn straight from the choices (optgroups above; a Select's options
    inherit no attributes): the log's filter form draws some sixty options on every page."""

    def render(self, name, value, attrs=None, renderer=None):
        final_attrs = self.build_attrs(self.attrs, attrs)
        if self.allow_multiple_selected:
            final_attrs["multiple"] = True
        parts = [format_html('<select name="{}"{}>', name, _attributes(final_attrs))]
        for group_name, options in optgroups(self, self.format_value(value)):
            if group_name:
                parts.append(format_html('<optgroup label="{}">', group_name))
            for _position, option_value, label, selected in options:
                parts.append(
                    f'<option value="{conditional_escape(str(option_value))}"'
                    f"{' selected' if selected else ''}>{conditional_escape(label)}</option>"
                )
            if group_name:
                parts.append("</optgroup>")
        parts.append("</select>")
        return mark_safe("".join(parts))  # noqa: S308 - every part above is escaped or literal
