"""Form pieces shared by every app: the GOV.UK renderer, the date field, a service's errors."""

from django import forms
from django.forms.renderers import TemplatesSetting


class GovukFormRenderer(TemplatesSetting):
    """Renders every form and field with the GOV.UK Design System markup in templates/forms/."""

    form_template_name = "forms/govuk_form.html"
    field_template_name = "forms/govuk_field.html"


class DateInput(forms.DateInput):
    """The browser's own date field: typed with the keyboard, or picked."""

    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%Y-%m-%d")


def use_date_inputs(form):
    """Give every date field of `form` the browser's date input."""
    for field in form.fields.values():
        if isinstance(field, forms.DateField):
            field.widget = DateInput()


def date_widgets(*names):
    """Meta.widgets entries giving the named model fields the date input."""
    return {name: DateInput() for name in names}


def add_service_errors(form, error):
    """Put a service's ValidationError on the form: on the named field, else above the form."""
    if hasattr(error, "error_dict"):
        for field, field_errors in error.message_dict.items():
            form.add_error(field if field in form.fields else None, field_errors)
    else:
        form.add_error(None, error.messages)


def model_values(form):
    """A valid ModelForm's model fields as plain values, to hand to a service."""
    return {
        name: form.cleaned_data[name] for name in form._meta.fields if name in form.cleaned_data
    }
