"""Form pieces shared by every app: the GOV.UK renderer, the date field, the service's
limits on every field, a service's errors."""

import datetime

from django import forms
from django.core.validators import MaxLengthValidator, MaxValueValidator
from django.forms.renderers import TemplatesSetting

from dps.dates import EARLIEST, latest, validate_service_date


class GovukFormRenderer(TemplatesSetting):
    """Renders every form and field with the GOV.UK Design System markup in templates/forms/."""

    form_template_name = "forms/govuk_form.html"
    field_template_name = "forms/govuk_field.html"


def day_month_year(value):
    """A date as GOV.UK asks people to type it: 17/1/2008."""
    return f"{value.day}/{value.month}/{value.year}"


def _as_date(value):
    if isinstance(value, datetime.date):
        return value
    try:
        return datetime.date.fromisoformat(str(value))
    except ValueError:
        return None


class DateInput(forms.DateInput):
    """The MOJ date picker: a text field where the date is typed day/month/year (17/1/2008),
    with a calendar button beside it once scripts run. Typing always works, with or without
    scripts; ISO dates (2008-01-17) are accepted too, for addresses written before the picker.
    The service's date range (`bound_fields`' min and max) limits the calendar; the field's
    validators still apply it to whatever is typed."""

    input_type = "text"
    template_name = "forms/widgets/date_picker.html"

    def __init__(self, attrs=None):
        super().__init__(
            {
                "class": "moj-js-datepicker-input govuk-input--width-10",
                "autocomplete": "off",
                "spellcheck": "false",
                **(attrs or {}),
            }
        )

    def format_value(self, value):
        # A date from the database or the form's initial value is shown as it would be typed;
        # what the person typed (valid or not) is shown back to them unchanged.
        if isinstance(value, datetime.date):
            return day_month_year(value)
        return value

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        widget_attrs = context["widget"]["attrs"]
        # min and max mean nothing on a text field: the picker's calendar takes them instead.
        for bound, key in (("min", "min_date"), ("max", "max_date")):
            limit = _as_date(widget_attrs.pop(bound, ""))
            context["widget"][key] = day_month_year(limit) if limit else ""
        return context


def use_date_inputs(form):
    """Give every date field of `form` the date picker."""
    for field in form.fields.values():
        if isinstance(field, forms.DateField):
            field.widget = DateInput()


def date_widgets(*names):
    """Meta.widgets entries giving the named model fields the date picker."""
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


# The largest value a database integer column holds (PostgreSQL `integer`).
MAX_WHOLE_NUMBER = 2_147_483_647


def bound_fields(fields, *, max_text_length=None):
    """Put the service's limits on every date and whole-number field that has none of its own.

    Dates must fall in the service's range (dps.dates): 0001-01-01 or 9999-12-31 would otherwise
    be saved and crash every later page that adds a day to them. Whole numbers must fit a
    database integer, so 10^12 is a field error rather than a database error on save. With
    max_text_length, free text without a limit gets one (a search box: a 100,000-character
    LIKE pattern is too complex for the database).
    """
    for field in fields.values():
        if getattr(field, "service_bounded", False):
            continue
        field.service_bounded = True
        if isinstance(field, forms.DateField):
            if not isinstance(field.widget, DateInput) and isinstance(
                field.widget, forms.DateInput
            ):
                # Every date field is the date picker, even one a form declared plainly.
                field.widget = DateInput(field.widget.attrs)
            field.validators.append(validate_service_date)
            field.widget.attrs.setdefault("min", EARLIEST.isoformat())
            field.widget.attrs.setdefault("max", latest().isoformat())
        elif _is_whole_number(field) and field.max_value is None:
            field.max_value = MAX_WHOLE_NUMBER
            field.validators.append(MaxValueValidator(MAX_WHOLE_NUMBER))
            field.widget.attrs.setdefault("max", MAX_WHOLE_NUMBER)
        if _is_whole_number(field):
            # A phone shows its number pad for whole numbers.
            field.widget.attrs.setdefault("inputmode", "numeric")
        elif max_text_length and isinstance(field, forms.CharField) and field.max_length is None:
            field.max_length = max_text_length
            field.validators.append(MaxLengthValidator(max_text_length))


def _is_whole_number(field):
    # DecimalField and FloatField subclass IntegerField; their size is bounded by max_digits.
    return isinstance(field, forms.IntegerField) and not isinstance(
        field, forms.DecimalField | forms.FloatField
    )


def drop_blank_radio(fields):
    """A required choice shown as radios offers only real answers: a "---------" radio would
    start checked, as if the user had chosen it."""
    for field in fields.values():
        if field.required and isinstance(field.widget, forms.RadioSelect):
            field.choices = [(value, label) for value, label in field.choices if value != ""]


class ServiceFormMixin:
    """For every form of the service: dates and whole numbers within the service's limits, and
    required radios without a blank choice.

    Applied once the form is built (so the page shows the limits) and again before it is
    cleaned, so fields a form adds in its own __init__ (an event's audience figures, a review's
    source figures) are bounded too. tests/dps/test_form_bounds.py checks every form uses it.
    """

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        bound_fields(self.fields)
        drop_blank_radio(self.fields)

    def full_clean(self):
        bound_fields(self.fields)
        super().full_clean()


class Form(ServiceFormMixin, forms.Form):
    pass


class ModelForm(ServiceFormMixin, forms.ModelForm):
    pass
