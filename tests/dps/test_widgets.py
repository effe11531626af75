"""dps.widgets.Select draws what Django's template-rendered Select draws."""

import re

from django import forms

from dps.forms import DateInput
from dps.widgets import DatePicker, NumberInput, Select, TextInput

CHOICES = [
    ("", "Any"),
    (1, "Barking & Dagenham"),
    (2, 'Camden "North"'),
    ("Units", [(3, "<Marine> unit"), (4, "Dog unit")]),
]


def _tidy(html):
    return re.sub(r">\s+<", "><", str(html)).strip()


def test_the_python_select_matches_djangos_markup_for_every_state():
    for value in ("", "1", 2, "3", None, "no such choice"):
        for attrs in (
            {"class": "govuk-select", "aria-describedby": "id_borough-hint"},
            {"class": "govuk-select govuk-select--error", "disabled": True, "hidden": False},
        ):
            ours = Select(choices=CHOICES).render("borough", value, attrs={"id": "id_b", **attrs})
            django = forms.Select(choices=CHOICES).render(
                "borough", value, attrs={"id": "id_b", **attrs}
            )
            assert _tidy(ours) == _tidy(django), (value, attrs)


def test_option_labels_and_values_are_escaped():
    html = Select(choices=[('"><script>', "<b>&</b>")]).render("x", None)
    assert "<script>" not in html and "<b>" not in html
    assert "&lt;b&gt;&amp;&lt;/b&gt;" in html


class PythonDateInput(DatePicker, DateInput):
    pass


def test_python_inputs_match_djangos_markup():
    attrs = {"id": "id_x", "class": "govuk-input", "maxlength": 200, "required": True}
    for ours, django in (
        (TextInput(), forms.TextInput()),
        (PythonDateInput(), DateInput()),
        (NumberInput(), forms.NumberInput()),
    ):
        for value in (None, "", 'PS "Doyle" <b>', "2007-03-14", 2007):
            assert _tidy(ours.render("x", value, attrs=attrs)) == _tidy(
                django.render("x", value, attrs=attrs)
            ), (type(ours), value)


def test_the_python_date_picker_matches_djangos_markup_with_its_limits():
    attrs = {"id": "id_x", "class": "govuk-input", "min": "1990-01-01", "max": "2036-12-03"}
    for value in (None, "17/1/2008", "2007-03-14"):
        assert _tidy(PythonDateInput().render("x", value, attrs=dict(attrs))) == _tidy(
            DateInput().render("x", value, attrs=dict(attrs))
        ), value
