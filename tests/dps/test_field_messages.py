"""The service's error messages are made once per kind of field, label and last date accepted
(dps.forms._field_messages), and are the same as made afresh: a new day moves the date range's
message, and no form's change to its messages reaches another's."""

import datetime

from django import forms

from dps import forms as dps_forms


def _worded(field, name="when"):
    dps_forms.word_errors({name: field})
    return field.error_messages


def test_the_date_range_message_follows_the_last_date_accepted(monkeypatch):
    monkeypatch.setattr(dps_forms, "latest", lambda: datetime.date(2036, 1, 2))
    first = _worded(forms.DateField(label="Date of the session"))
    monkeypatch.setattr(dps_forms, "latest", lambda: datetime.date(2036, 1, 3))
    next_day = _worded(forms.DateField(label="Date of the session"))
    assert first["date_out_of_range"].endswith("and 2 January 2036")
    assert next_day["date_out_of_range"].endswith("and 3 January 2036")


def test_each_kind_of_field_and_label_has_its_own_words():
    assert _worded(forms.IntegerField(label="Attendees"))["invalid"] == (
        "Attendees must be a whole number, like 12"
    )
    assert _worded(forms.DecimalField(label="Attendees"))["invalid"] == (
        "Attendees must be a number, like 12.5"
    )
    assert _worded(forms.ChoiceField(label="Stream"))["required"] == "Select stream"
    assert _worded(forms.CharField(label="Stream"))["required"] == "Enter stream"
    assert _worded(forms.CharField(), name="presenter_names")["required"] == (
        "Enter presenter names"
    )
    assert _worded(forms.IntegerField(label="Cost tolerance (%)"))["max_value"] == (
        "Cost tolerance (%%) must be %(limit_value)s or less"
    )


def test_a_form_changing_its_messages_changes_no_other():
    field = forms.CharField(label="Notes")
    messages = dps_forms.field_messages(field, "Notes")
    messages["required"] = "Changed"
    _worded(field)["required"] = "Changed again"
    assert dps_forms.field_messages(field, "Notes")["required"] == "Enter notes"
    assert _worded(forms.CharField(label="Notes"))["required"] == "Enter notes"


def test_messages_a_form_set_on_purpose_are_kept():
    field = forms.CharField(label="Notes", error_messages={"required": "Write the notes"})
    assert _worded(field)["required"] == "Write the notes"
