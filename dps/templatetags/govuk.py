"""Template helpers for GOV.UK Design System markup."""

from django import forms, template
from django.utils.html import format_html

from dps.forms import DateInput

# What a date field's hint shows, in the form GOV.UK asks dates to be typed.
DATE_EXAMPLE = "For example, 17/1/2008."

register = template.Library()

_WIDGET_CLASSES = {
    "select": "govuk-select",
    "textarea": "govuk-textarea",
    "file": "govuk-file-upload",
    "input": "govuk-input",
}


@register.filter
def govuk_field_kind(field):
    widget = field.field.widget
    if isinstance(widget, forms.CheckboxSelectMultiple):
        return "checkboxes"
    if isinstance(widget, forms.RadioSelect):
        return "radios"
    if isinstance(widget, forms.CheckboxInput):
        return "checkbox"
    if isinstance(widget, forms.Select | forms.SelectMultiple):
        return "select"
    if isinstance(widget, forms.Textarea):
        return "textarea"
    if isinstance(widget, forms.ClearableFileInput | forms.FileInput):
        return "file"
    return "input"


@register.filter
def govuk_hint(field):
    """The field's hint: its help text, and for a date field how to type the date."""
    if isinstance(field.field.widget, DateInput):
        return f"{field.help_text} {DATE_EXAMPLE}" if field.help_text else DATE_EXAMPLE
    return field.help_text


def describedby(field):
    ids = []
    if govuk_hint(field):
        ids.append(f"{field.auto_id}-hint")
    if field.errors:
        ids.append(f"{field.auto_id}-error")
    return " ".join(ids)


@register.filter
def govuk_describedby(field):
    return describedby(field)


@register.filter
def govuk_widget(field):
    """The field's widget with GOV.UK classes, error state and hint/error descriptions."""
    kind = govuk_field_kind(field)
    css = _WIDGET_CLASSES.get(kind, "govuk-input")
    existing = field.field.widget.attrs.get("class", "")
    classes = [css, existing]
    if field.errors:
        classes.append(f"{css}--error")
    attrs = {"class": " ".join(c for c in classes if c)}
    if described := describedby(field):
        attrs["aria-describedby"] = described
    return field.as_widget(attrs=attrs)


@register.simple_tag
def govuk_tag(label, colour=""):
    """A status tag: the label is always text, so nothing is told by colour alone."""
    css = f"govuk-tag govuk-tag--{colour}" if colour else "govuk-tag"
    return format_html('<strong class="{}">{}</strong>', css, label)
