"""The Django admin's forms keep the service's limits, like every other form (dps/forms.py).

Every registered admin's add form, and every inline on it, is posted the classic hostile values
as a superuser: dates of 9999-12-31 and 0001-01-01, whole numbers of 2,147,483,648 and 10^12,
decimals one digit too long, a NUL byte and 100,000 characters of text. Each is a form error on
its own field (a 200 showing the form again): never a 500, never a saved row.
"""

import inspect
from decimal import Decimal

import pytest
from django import forms
from django.contrib import admin
from django.contrib.auth.models import Group
from django.urls import reverse

from dps.admin import ServiceLimits
from dps.forms import MAX_WHOLE_NUMBER, bound_field

pytestmark = pytest.mark.django_db

ADMINS = sorted(admin.site._registry.items(), key=lambda item: item[0]._meta.label)
# Read-only in the admin: nothing is typed into them; a test below proves their add form is refused.
NOT_ADDED = {
    "axes.AccessAttempt",
    "axes.AccessFailureLog",
    "axes.AccessLog",
    "reports.Report",
    "reports.ReportJob",
}
ADDED = [
    (model, model_admin) for model, model_admin in ADMINS if model._meta.label not in NOT_ADDED
]

# Two rounds, so a field takes one value of each pair per POST.
HOSTILE_ROUNDS = [
    {"date": "9999-12-31", "whole": str(2**31), "text": "Probe\x00NUL"},
    {"date": "0001-01-01", "whole": str(10**12), "text": "x" * 100_000},
]


def _decimal_too_long(field, round_number):
    """A decimal with one whole digit more than its column holds; 10^12 when that is too long."""
    whole_digits = field.max_digits - (field.decimal_places or 0)
    if round_number == 1 and whole_digits < 13:
        return str(10**12)
    return str(10**whole_digits)


def _probes(fields, prefix, round_number):
    """POST data putting a hostile value in every bounded field, and the names of the fields
    that must then show an error."""
    values = HOSTILE_ROUNDS[round_number]
    data, must_fail = {}, []
    for name, field in fields.items():
        key = f"{prefix}{name}"
        if isinstance(field.widget, forms.HiddenInput):
            continue
        if isinstance(field, forms.SplitDateTimeField):
            data[f"{key}_0"], data[f"{key}_1"] = values["date"], "00:00"
        elif isinstance(field, forms.DateTimeField):
            data[key] = f"{values['date']} 00:00"
        elif isinstance(field, forms.DateField):
            data[key] = values["date"]
        elif isinstance(field, forms.DecimalField):
            data[key] = _decimal_too_long(field, round_number)
        elif isinstance(field, forms.IntegerField) and not isinstance(field, forms.FloatField):
            data[key] = values["whole"]
        elif isinstance(field, forms.CharField):
            data[key] = values["text"]
            # A NUL is refused by every text field; length only by those with a limit.
            if round_number == 1 and field.max_length is None:
                continue
        else:
            continue
        must_fail.append(name)
    return data, must_fail


def _management_form(formset):
    prefix = formset.prefix
    return {
        f"{prefix}-TOTAL_FORMS": "1",
        f"{prefix}-INITIAL_FORMS": "0",
        f"{prefix}-MIN_NUM_FORMS": "0",
        f"{prefix}-MAX_NUM_FORMS": "1000",
    }


def test_read_only_admins_refuse_their_add_form(admin_client):
    registered = {model._meta.label: model for model, _ in ADMINS}
    assert set(registered) >= NOT_ADDED
    for label in sorted(NOT_ADDED):
        meta = registered[label]._meta
        page = admin_client.get(reverse(f"admin:{meta.app_label}_{meta.model_name}_add"))
        assert page.status_code == 403, label


@pytest.mark.parametrize(("model", "model_admin"), ADDED, ids=lambda value: str(value))
def test_admin_add_form_refuses_hostile_values(admin_client, model, model_admin):
    add_url = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_add")
    page = admin_client.get(add_url)
    assert page.status_code == 200, model._meta.label
    form = page.context["adminform"].form
    inline_formsets = [inline.formset for inline in page.context["inline_admin_formsets"]]
    rows_before = model._base_manager.count()

    for round_number in range(len(HOSTILE_ROUNDS)):
        data, must_fail = _probes(form.fields, "", round_number)
        inline_must_fail = []
        for formset in inline_formsets:
            data |= _management_form(formset)
            inline_data, inline_fields = _probes(
                formset.empty_form.fields, f"{formset.prefix}-0-", round_number
            )
            data |= inline_data
            inline_must_fail.append(inline_fields)

        response = admin_client.post(add_url, data)

        assert response.status_code == 200, (model._meta.label, response.status_code)
        errors = response.context["adminform"].form.errors
        missing = [name for name in must_fail if name not in errors]
        assert not missing, (model._meta.label, HOSTILE_ROUNDS[round_number], missing)
        posted_inlines = [inline.formset for inline in response.context["inline_admin_formsets"]]
        for formset, fields in zip(posted_inlines, inline_must_fail, strict=True):
            inline_errors = formset.forms[0].errors
            missing = [name for name in fields if name not in inline_errors]
            assert not missing, (formset.prefix, HOSTILE_ROUNDS[round_number], missing)
        assert model._base_manager.count() == rows_before


def test_every_admin_and_inline_keeps_the_service_limits():
    """A new admin or inline built on Django's own classes would escape the limits. (The
    sign-in lockout's admins, from django-axes, are read-only: nothing is typed into them.)"""
    unbounded = []
    for model, model_admin in ADMINS:
        if "site-packages" in inspect.getfile(type(model_admin)):
            continue
        if not isinstance(model_admin, ServiceLimits):
            unbounded.append(model._meta.label)
        inlines = model_admin.inlines
        unbounded += [cls.__name__ for cls in inlines if not issubclass(cls, ServiceLimits)]
    assert not unbounded


def test_the_probe_covers_dates_whole_numbers_and_decimals(admin_client):
    """The admins probed above do hold each kind of bounded field (so the probe is not empty)."""
    kinds = set()
    for model, _ in ADMINS:
        page = admin_client.get(
            reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_add")
        )
        if page.status_code != 200:
            continue
        fields = dict(page.context["adminform"].form.fields)
        for inline in page.context["inline_admin_formsets"]:
            fields |= inline.formset.empty_form.fields
        for field in fields.values():
            kinds.add(type(field).__name__)
    assert {"DateField", "IntegerField", "DecimalField", "CharField"} <= kinds


def test_a_date_in_range_and_a_whole_number_that_fits_are_accepted():
    """The limits refuse only what is out of range: real values still go in."""
    # The admin shows a date and time (a report's publication, a job's start) as two inputs.
    date_field = bound_field(forms.SplitDateTimeField())
    assert date_field.clean(["2026-01-02", "10:00"]).year == 2026
    for out_of_range in ("9999-12-31", "0001-01-01"):
        with pytest.raises(forms.ValidationError):
            date_field.clean([out_of_range, "00:00"])
    whole = bound_field(forms.IntegerField())
    assert whole.clean(str(MAX_WHOLE_NUMBER)) == MAX_WHOLE_NUMBER
    with pytest.raises(forms.ValidationError):
        whole.clean(str(MAX_WHOLE_NUMBER + 1))
    assert bound_field(forms.DecimalField(max_digits=4, decimal_places=2)).clean("12.5") == Decimal(
        "12.5"
    )


def test_administrator_adds_a_role(admin_client):
    """Adding a group (a role) saves it: the escalation guard reads no permissions from a group
    that is not saved yet."""
    response = admin_client.post(reverse("admin:auth_group_add"), {"name": "Readers"})
    assert response.status_code == 302
    assert Group.objects.filter(name="Readers").exists()


@pytest.mark.parametrize("out_of_range", ["9999-12-31", "0001-01-01"])
def test_an_account_change_refuses_dates_out_of_range(admin_client, planner, out_of_range):
    """A date and time in the admin (an account's joining date and last sign-in) is held to the
    same range as a date: it is the date of it that the range checks."""
    joined = planner.date_joined
    response = admin_client.post(
        reverse("admin:auth_user_change", args=[planner.pk]),
        {
            "username": planner.username,
            "date_joined_0": out_of_range,
            "date_joined_1": "00:00",
            "last_login_0": out_of_range,
            "last_login_1": "00:00",
        },
    )
    assert response.status_code == 200
    errors = response.context["adminform"].form.errors
    assert {"date_joined", "last_login"} <= set(errors)
    assert "Enter a date between 1 January 1990" in str(errors["date_joined"])
    planner.refresh_from_db()
    assert planner.date_joined == joined
