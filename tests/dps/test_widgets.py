"""dps.widgets.Select draws what Django's template-rendered Select draws."""

import re

from django import forms

from dps.widgets import Select

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
