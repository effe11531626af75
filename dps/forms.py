"""Form pieces shared by every app: the GOV.UK renderer, the date field, the service's
limits on every field, a service's errors."""

from django import forms
from django.core.validators import MaxLengthValidator, MaxValueValidator
from django.forms.renderers import TemplatesSetting

from dps.dates import EARLIEST, latest, validate_service_date


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


# The largest value a database integer column holds (PostgreSQL `integer`).
MAX_WHOLE_NUMBER = 2_147_483_647


def bound_fields(fields, *, max_text_length=None):
    """Put the service's limits (see bound_field) on every field of a form."""
    for field in fields.values():
        bound_field(field, max_text_length=max_text_length)


def bound_field(field, *, max_text_length=None):
    """Put the service's limits on one date or whole-number field that has none of its own.

    Dates (and the date of a date and time) must fall in the service's range (dps.dates):
    0001-01-01 or 9999-12-31 would otherwise be saved and crash every later page that adds a day
    to them. Whole numbers must fit a database integer, so 10^12 is a field error rather than a
    database error on save. With max_text_length, free text without a limit gets one (a search
    box: a 100,000-character LIKE pattern is too complex for the database). The admin's forms
    use this too (dps.admin.ServiceLimits). Returns the field.
    """
    if getattr(field, "service_bounded", False):
        return field
    field.service_bounded = True
    if isinstance(field, forms.DateField):
        field.validators.append(validate_service_date)
        field.widget.attrs.setdefault("min", EARLIEST.isoformat())
        field.widget.attrs.setdefault("max", latest().isoformat())
    elif isinstance(field, forms.DateTimeField | forms.SplitDateTimeField):
        # The validator reads the date of the date and time; a date-and-time input takes no
        # date-only min/max, but the date half of a split one (the admin's) does.
        field.validators.append(validate_service_date)
        if isinstance(field.widget, forms.MultiWidget):
            field.widget.widgets[0].attrs.setdefault("min", EARLIEST.isoformat())
            field.widget.widgets[0].attrs.setdefault("max", latest().isoformat())
    elif _is_whole_number(field) and field.max_value is None:
        field.max_value = MAX_WHOLE_NUMBER
        field.validators.append(MaxValueValidator(MAX_WHOLE_NUMBER))
        field.widget.attrs.setdefault("max", MAX_WHOLE_NUMBER)
    elif max_text_length and isinstance(field, forms.CharField) and field.max_length is None:
        field.max_length = max_text_length
        field.validators.append(MaxLengthValidator(max_text_length))
    return field


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
