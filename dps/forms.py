"""Form pieces shared by every app: the date field, the service's
limits on every field, a service's errors."""

import datetime
import functools

from django import forms
from django.contrib.auth import get_user_model
from django.contrib.auth.forms import AuthenticationForm
from django.core.validators import MaxLengthValidator, MaxValueValidator
from django.forms.utils import pretty_name

from dps.dates import EARLIEST, latest, validate_service_date
from dps.roles import possible_owners


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
    """Put the service's limits (see bound_field) on every field of a form."""
    for field in fields.values():
        if (
            isinstance(field, forms.DateField)
            and isinstance(field.widget, forms.DateInput)
            and not isinstance(field.widget, DateInput)
        ):
            # Every date field of the service's forms is the date picker, even one a form
            # declared plainly (the admin keeps its own date widget).
            field.widget = DateInput(field.widget.attrs)
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
    if _is_whole_number(field):
        # A phone shows its number pad for whole numbers.
        field.widget.attrs.setdefault("inputmode", "numeric")
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


# --- Error messages (issue 14, "words") ---------------------------------------------------------
# Every field says what went wrong in its own words, GOV.UK style ("Enter the number of
# attendees", "Number of attendees must be 0 or more"), never Django's defaults ("This field is
# required.", "Ensure this value is greater than or equal to 0."). A form that wants a sharper
# sentence for one field passes its own error_messages; those are kept.
# tests/dps/test_no_default_messages.py submits every form empty and with bad values.


def _lower_first(label):
    """ "Number of attendees" → "number of attendees"; "MPA link member" stays as it is."""
    label = str(label).strip().rstrip(":?")
    if len(label) > 1 and label[0].isupper() and not label[1].isupper():
        return label[0].lower() + label[1:]
    return label


def _upper_first(label):
    label = str(label).strip().rstrip(":?")
    return label[:1].upper() + label[1:]


def _is_choice(field_class):
    return issubclass(field_class, forms.ChoiceField | forms.ModelChoiceField | forms.BooleanField)


def field_messages(field, label):
    """GOV.UK messages for `field`, keyed by Django's error codes (fields' and validators')."""
    return dict(_field_messages(type(field), label, latest()))


# Every form built words all its fields, on every request (issue 16): the messages are made once
# per kind of field, label and last date accepted, all they depend on.
@functools.lru_cache(maxsize=4096)
def _field_messages(field_class, label, last_date):
    name, Name = _lower_first(label), _upper_first(label)
    choose = f"Select {name} from the list"  # noqa: S608 (words, not SQL)
    messages = {
        # The model's own checks (ModelForm._post_clean) use the same codes.
        "null": f"Enter {name}",
        "blank": f"Enter {name}",
        "max_length": f"{Name} must be %(limit_value)d characters or fewer",
        "min_length": f"{Name} must be %(limit_value)d characters or more",
        "min_value": f"{Name} must be %(limit_value)s or more",
        "max_value": f"{Name} must be %(limit_value)s or less",
        "step_size": f"{Name} must be a multiple of %(limit_value)s",
        "null_characters_not_allowed": f"{Name} must not contain null characters",
        "unique": f"{Name} is already used by another record: choose another",
        "invalid_choice": choose,
        "invalid_pk_value": choose,
        "invalid_list": choose,
    }
    if _is_choice(field_class):
        messages["required"] = messages["null"] = messages["blank"] = f"Select {name}"
    elif issubclass(field_class, forms.FileField):
        messages |= {
            "required": f"Select {name} to upload",
            "missing": f"Select {name} to upload",
            "invalid": f"Select {name} to upload",
            "empty": "The selected file is empty: choose one with something in it",
            "contradiction": f"Either select a new {name} or remove the old one, not both",
            "max_length": "The file name must be %(max)d characters or fewer",
        }
    else:
        messages["required"] = f"Enter {name}"
    if issubclass(field_class, forms.DateField):
        messages["invalid"] = f"{Name} must be a real date, for example 17/01/2008"
        messages["date_out_of_range"] = (
            f"{Name} must be between {EARLIEST:%-d %B %Y} and {last_date:%-d %B %Y}"
        )
    elif issubclass(field_class, forms.DateTimeField):
        messages["invalid"] = f"{Name} must be a real date and time"
    elif issubclass(field_class, forms.DecimalField | forms.FloatField):
        messages |= {
            "invalid": f"{Name} must be a number, like 12.5",
            "max_digits": f"{Name} must have %(max)s digits or fewer",
            "max_decimal_places": f"{Name} must have %(max)s decimal places or fewer",
            "max_whole_digits": (
                f"{Name} must have %(max)s digits or fewer before the decimal point"
            ),
        }
    elif issubclass(field_class, forms.IntegerField):
        messages["invalid"] = f"{Name} must be a whole number, like 12"
    elif issubclass(field_class, forms.EmailField):
        messages["invalid"] = "Enter an email address in the correct format, like name@example.com"
    elif issubclass(field_class, forms.URLField):
        messages["invalid"] = "Enter a web address in the correct format, like https://example.com"
    elif issubclass(field_class, forms.SlugField):
        messages["invalid"] = f"{Name} must use only letters, numbers, hyphens and underscores"
    return messages


@functools.cache
def _django_defaults(field_class):
    """Django's messages for a kind of field, as Field.__init__ gathers them (class attributes)."""
    defaults = {}
    for klass in reversed(field_class.__mro__):
        defaults.update(getattr(klass, "default_error_messages", {}))
    return defaults


def word_errors(fields):
    """Give every field the service's messages, keeping any a form set on purpose."""
    last_date = latest()
    for name, field in fields.items():
        if getattr(field, "service_worded", False):
            continue
        field.service_worded = True
        defaults = _django_defaults(type(field))
        label = str(field.label or pretty_name(name))
        messages = _field_messages(type(field), label, last_date)
        # Those filled in with the limit keep a "%" of the label ("Cost tolerance (%)") as it
        # is; worded again only for such a label (once a field, not once a message: every
        # form built words all its fields).
        filled = (
            _field_messages(type(field), label.replace("%", "%%"), last_date)
            if "%" in label
            else messages
        )
        for code, message in messages.items():
            if "%(" in message:
                message = filled[code]
            current = field.error_messages.get(code)
            if current is None or current is defaults.get(code) or current == defaults.get(code):
                field.error_messages[code] = message


class SignInForm(AuthenticationForm):
    """The sign-in form, with the service's words."""

    error_messages = {
        "invalid_login": "The user name or password is not right. Check both and try again: "
        "capital letters matter.",
        "inactive": "This account has been switched off. Ask an administrator to switch it "
        "back on.",
    }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["username"].error_messages["required"] = "Enter your user name"
        self.fields["password"].error_messages["required"] = "Enter your password"
        # AuthenticationForm sets the username's max_length after the field is built, so no
        # validator holds it: a 100,000-character name reached the sign-in lockout's database
        # write (a 500 on PostgreSQL) instead of coming back as a message.
        longest = self.fields["username"].max_length or 150
        self.fields["username"].validators.append(
            MaxLengthValidator(
                longest, message=f"A user name is at most {longest} characters: check yours"
            )
        )
        word_errors(self.fields)


# --- end of error messages ------------------------------------------------------------------------


# --- Owner pickers (issue 14) ---------------------------------------------------------------------


class FetchedChoices(forms.models.ModelChoiceIterator):
    """A model choice field's options from one plain fetch of its queryset, kept for the form's
    life. Django's own iterator streams them through a server-side cursor on PostgreSQL
    (DECLARE ... WITH HOLD, FETCH, CLOSE: three round trips, the result copied out of the
    transaction) and queries again every time the options are drawn; a picker of a few dozen
    rows needs neither. Set it as the field's `iterator` before its queryset.

    A subclass naming `label_fields` (the columns the field's labels read) fetches only those and
    the key: the rest of each row (timestamps parsed in their time zone, descriptions) was most
    of the fetch's cost. The field's own queryset, which validation reads, keeps whole rows."""

    label_fields = None  # every column

    def __init__(self, field):
        super().__init__(field)
        if self.label_fields is not None:
            # A queryset of the iterator's own: the field's stays whole for validation.
            key = (field.to_field_name,) if field.to_field_name else ()
            self.queryset = self.queryset.only(*self.label_fields, *key)

    def __iter__(self):
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        # One QuerySet per widget: iterating it fills its result cache, which count() and
        # exists() then read too.
        for record in self.queryset:
            yield self.choice(record)


class NamedChoices(FetchedChoices):
    """Options labelled by the record's name, as the reference data's __str__ is (Borough,
    Product)."""

    label_fields = ("name",)


class OwnerChoiceField(forms.ModelChoiceField):
    """A person, named as people know them: "Sharon Hicks (planner)"."""

    def label_from_instance(self, user):
        full_name = user.get_full_name()
        return f"{full_name} ({user.get_username()})" if full_name else user.get_username()


def limit_owner_pickers(form):
    """Every drop-down of people on a form offers only those whose role can own the record
    (dps.roles.possible_owners), keeping the record's present owner."""
    user_model = get_user_model()
    for name, field in form.fields.items():
        queryset = getattr(field, "queryset", None)
        if (
            isinstance(field, forms.ModelChoiceField)
            and getattr(queryset, "model", None) is user_model
        ):
            instance = getattr(form, "instance", None)
            keep = getattr(instance, f"{name}_id", None) if instance is not None else None
            field.queryset = possible_owners(field.queryset, keep=keep)
            field.label_from_instance = OwnerChoiceField.label_from_instance.__get__(field)


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
        word_errors(self.fields)
        limit_owner_pickers(self)

    def full_clean(self):
        bound_fields(self.fields)
        word_errors(self.fields)
        super().full_clean()


class Form(ServiceFormMixin, forms.Form):
    pass


class ModelForm(ServiceFormMixin, forms.ModelForm):
    pass
