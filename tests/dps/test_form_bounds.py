"""Every form of the service holds dates and whole numbers within the service's limits."""

import datetime
import importlib

import pytest
from django import forms

from dps import dates
from dps import forms as dps_forms

APPS_WITH_FORMS = ("themes.forms", "pssp.forms", "presentations.forms", "reports.forms")


def _service_forms():
    found = []
    for module_name in APPS_WITH_FORMS:
        module = importlib.import_module(module_name)
        for value in vars(module).values():
            if (
                isinstance(value, type)
                and issubclass(value, forms.BaseForm)
                and value.__module__ == module_name
            ):
                found.append(value)
    return found


@pytest.mark.parametrize("form_class", _service_forms(), ids=lambda form: form.__qualname__)
def test_every_form_of_the_service_uses_the_service_form_base(form_class):
    assert issubclass(form_class, dps_forms.ServiceFormMixin), (
        f"{form_class.__qualname__}: derive it from dps.forms.Form or dps.forms.ModelForm"
    )


class Probe(dps_forms.Form):
    day = forms.DateField()
    count = forms.IntegerField()
    small = forms.IntegerField(max_value=10)
    money = forms.DecimalField(max_digits=14, decimal_places=2)
    kind = forms.ChoiceField(choices=[("", "---------"), ("a", "A")], widget=forms.RadioSelect)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["late"] = forms.IntegerField(required=False)


VALID = {"day": "2007-03-14", "count": "3", "small": "2", "money": "5", "kind": "a"}


def test_a_valid_probe_is_valid():
    assert Probe(VALID).is_valid()


@pytest.mark.parametrize("day", ["0001-01-01", "1989-12-31", "9999-12-31"])
def test_a_date_outside_the_service_range_is_a_field_error(day):
    form = Probe(VALID | {"day": day})
    assert not form.is_valid()
    assert form.errors["day"] == [
        f"Day must be between 1 January 1990 and {dates.latest():%-d %B %Y}"
    ]


def test_the_range_ends_ten_years_from_today():
    assert Probe(VALID | {"day": dates.latest().isoformat()}).is_valid()
    too_late = dates.latest() + datetime.timedelta(days=1)
    assert not Probe(VALID | {"day": too_late.isoformat()}).is_valid()


def test_whole_numbers_must_fit_a_database_integer():
    form = Probe(VALID | {"count": "2147483648"})
    assert not form.is_valid()
    assert form.errors["count"] == ["Count must be 2147483647 or less"]
    assert Probe(VALID | {"count": "2147483647"}).is_valid()


def test_a_field_the_form_adds_itself_is_bounded_too():
    form = Probe(VALID | {"late": str(10**12)})
    assert not form.is_valid()
    assert "late" in form.errors


def test_a_field_with_its_own_maximum_keeps_only_that_one():
    form = Probe(VALID | {"small": "11"})
    assert not form.is_valid()
    assert form.errors["small"] == ["Small must be 10 or less"]


def test_decimals_are_bounded_by_their_digits_not_by_the_integer_limit():
    assert Probe(VALID | {"money": "999999999999.99"}).is_valid()


def test_the_page_shows_the_limits_to_the_browser():
    form = Probe()
    assert form.fields["day"].widget.attrs["min"] == "1990-01-01"
    assert form.fields["day"].widget.attrs["max"] == dates.latest().isoformat()


def test_required_radios_offer_no_blank_choice_to_start_checked():
    assert Probe().fields["kind"].choices == [("a", "A")]
