"""One way of writing dates across the service, and date fields typed as GOV.UK asks."""

import datetime

import pytest
from django import forms
from django.template import Context, Template

from dps.forms import DateInput, Form, use_date_inputs
from themes.templatetags.themes_tags import iso_date

DAY = datetime.date(2008, 1, 17)


class SessionDateForm(Form):
    day = forms.DateField(label="Date of the session")


def render(source, **context):
    return Template(source).render(Context(context))


def test_dates_in_text_read_17_january_2008():
    assert render("{{ day }}", day=DAY) == "17 January 2008"
    assert render('{{ day|date:"DATE_FORMAT" }}', day=DAY) == "17 January 2008"


def test_dates_in_tables_read_17_jan_2008():
    assert render('{{ day|date:"SHORT_DATE_FORMAT" }}', day=DAY) == "17 Jan 2008"


def test_a_django_tables2_date_column_uses_the_short_form():
    import django_tables2 as tables

    class Table(tables.Table):
        day = tables.DateColumn()

    table = Table([{"day": DAY}])
    assert table.rows[0].get_cell("day") == "17 Jan 2008"


def test_the_themes_blocks_iso_dates_read_the_same_way():
    assert iso_date("2008-01-17") == "17 January 2008"
    assert iso_date("2008-01-17", "SHORT_DATE_FORMAT") == "17 Jan 2008"


@pytest.mark.parametrize(
    "typed",
    ["17/1/2008", "17/01/2008", "17/1/08", "2008-01-17", "17-1-2008", "17.1.2008", "17 1 2008"],
)
def test_a_date_is_accepted_as_people_type_it_and_as_iso(typed):
    form = SessionDateForm({"day": typed})
    assert form.is_valid(), form.errors
    assert form.cleaned_data["day"] == DAY


@pytest.mark.parametrize("typed", ["30/2/2008", "1/17/2008", "17 Jan", "0001-01-01", "2008"])
def test_a_date_that_is_not_one_or_outside_the_service_range_is_refused(typed):
    assert not SessionDateForm({"day": typed}).is_valid()


def test_the_date_field_is_the_moj_date_picker_showing_the_date_as_typed():
    html = str(SessionDateForm(initial={"day": DAY})["day"])
    assert 'type="text"' in html
    assert 'data-module="moj-date-picker"' in html
    assert "moj-js-datepicker-input" in html
    assert 'value="17/1/2008"' in html
    # The service's range limits the calendar, day/month/year as the picker reads it; a text
    # field has no min or max.
    assert 'data-min-date="1/1/1990"' in html
    assert ' min="' not in html and ' max="' not in html


def test_what_was_typed_is_shown_back_unchanged_when_it_is_wrong():
    form = SessionDateForm({"day": "31/4/2008"})
    assert not form.is_valid()
    assert 'value="31/4/2008"' in str(form["day"])


def test_a_date_field_hints_how_to_type_the_date():
    html = SessionDateForm().as_div()
    assert "For example, 17/1/2008." in html
    assert 'aria-describedby="id_day-hint"' in html


def test_use_date_inputs_gives_every_date_field_the_picker():
    form = SessionDateForm()
    form.fields["day"].widget = forms.DateInput()
    use_date_inputs(form)
    assert isinstance(form.fields["day"].widget, DateInput)


def test_whole_numbers_bring_up_the_number_pad():
    class AttendeesForm(Form):
        attendees = forms.IntegerField()

    assert 'inputmode="numeric"' in str(AttendeesForm()["attendees"])


def test_numbers_and_typed_dates_follow_the_service_formats_without_translation(settings):
    # USE_I18N is off (an English-only service): the en-GB formats still apply.
    assert settings.USE_I18N is False
    numbers = '{% load humanize %}{{ n|intcomma }} {{ x|floatformat:"2g" }}'
    assert render(numbers, n=1234567, x=1234.5) == "1,234,567 1,234.50"
    form = SessionDateForm({"day": "17/1/2008"})
    assert form.is_valid() and form.cleaned_data["day"] == DAY
    form = SessionDateForm({"day": "1/17/2008"})
    assert not form.is_valid()
    assert form.errors["day"] == ["Date of the session must be a real date, for example 17/01/2008"]
