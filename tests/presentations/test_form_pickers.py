"""The log form's pickers read only the columns their options show, with the same options as
whole rows give, while validation still hands the service whole records."""

import pytest
from django import forms
from django.db import connection
from django.test.utils import CaptureQueriesContext

from dps.models import Borough, Product
from presentations.forms import DeliveryForm
from tests.presentations.test_logging_form import form_data

pytestmark = pytest.mark.django_db


def _options(field):
    return [(str(value), label) for value, label in field.widget.choices]


def test_the_pickers_offer_what_whole_rows_offer():
    form = DeliveryForm()
    whole = {
        "borough": forms.ModelChoiceField(
            Borough.objects.active(), empty_label="Choose a borough or unit"
        ),
        "products": forms.ModelMultipleChoiceField(Product.objects.filter(active=True)),
    }
    for name, field in whole.items():
        assert _options(form.fields[name]) == _options(field), name
        assert len(_options(field)) > 5, name


def test_the_pickers_read_only_the_key_and_the_name():
    form = DeliveryForm()
    with CaptureQueriesContext(connection) as captured:
        str(form)
    assert len(captured) == 2
    for query in captured.captured_queries:
        selected = query["sql"].split(" FROM ")[0]
        assert '."id"' in selected and '."name"' in selected
        assert "created_at" not in selected and "description" not in selected


def test_validation_still_gives_whole_records():
    form = DeliveryForm(form_data())
    assert form.is_valid(), form.errors
    chosen = [form.cleaned_data["borough"], *form.cleaned_data["products"]]
    for record in chosen:
        assert record.get_deferred_fields() == set()
