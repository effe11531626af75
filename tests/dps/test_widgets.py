"""dps.widgets draw what Django's template-rendered widgets draw."""

import re

from django import forms
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy

from dps import widgets
from dps.forms import DateInput
from dps.widgets import DatePicker, NumberInput, Select, Textarea, TextInput

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
        (widgets.DateInput(), DateInput()),
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


def test_the_python_number_input_matches_djangos_markup_with_its_limits():
    attrs = {"id": "id_n", "class": "govuk-input", "min": 0, "max": 2_147_483_647}
    for value in (None, 0, 25, "", "twelve"):
        assert _tidy(NumberInput().render("n", value, attrs=attrs)) == _tidy(
            forms.NumberInput().render("n", value, attrs=attrs)
        ), value


def test_the_python_textarea_matches_djangos_markup_byte_for_byte():
    # Byte for byte: the newline after the opening tag is what keeps a value's own first
    # newline when the browser reads it back.
    attrs = {"id": "id_notes", "class": "govuk-textarea", "maxlength": 5000}
    for value in (None, "", "Went well", "\nstarts with a newline", '<b>"Doyle" & co</b>'):
        ours = Textarea(attrs={"rows": 3}).render("notes", value, attrs=attrs)
        django = forms.Textarea(attrs={"rows": 3}).render("notes", value, attrs=attrs)
        assert str(ours) == str(django), value
    assert "<b>" not in Textarea().render("notes", "<b>x</b>")


def test_the_python_select_matches_djangos_markup_for_odd_choices():
    from django.utils.safestring import mark_safe
    from django.utils.translation import gettext_lazy

    odd = [
        (None, "Nothing"),
        (1, gettext_lazy("Lazy & label")),
        (1, "The same value again"),
        ("2", mark_safe("<i>trusted</i>")),  # noqa: S308 - a literal, as a choice may carry
        ("", [(5, "In a group with no name")]),
    ]
    for value in (None, "", "1", 1, "5"):
        ours = Select(choices=odd).render("x", value, attrs={"id": "id_x"})
        django = forms.Select(choices=odd).render("x", value, attrs={"id": "id_x"})
        assert _tidy(ours) == _tidy(django), value


def test_attribute_names_and_values_are_escaped_and_true_false_drawn_as_django_draws_them():
    attrs = {
        "id": "id_x",
        "data-note": '"><script>&',
        "required": True,
        "disabled": False,
        "maxlength": 20,
        "placeholder": mark_safe("<b>trusted</b>"),  # noqa: S308 - a literal, to show it kept
        "title": gettext_lazy("Lazy & label"),
    }
    ours = TextInput().render("x", "v", attrs=attrs)
    assert ours == forms.TextInput().render("x", "v", attrs=attrs)
    assert ' data-note="&quot;&gt;&lt;script&gt;&amp;" required maxlength="20"' in ours
    assert "disabled" not in ours
