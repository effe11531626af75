"""dps.filterset.FilterSet copies its declared filters lightly: each filter set still has filters,
`extra` and form fields of its own, and a method filter calls its own filter set."""

import datetime

import django_filters
import pytest
from django.http import QueryDict

from dps.filterset import FilterSet
from presentations.models import Delivery

pytestmark = pytest.mark.django_db


class Deliveries(FilterSet):
    stream = django_filters.ChoiceFilter(choices=[("a", "A")], empty_label="Any")
    year = django_filters.NumberFilter(method="in_year")

    class Meta:
        model = Delivery
        fields = []

    def in_year(self, queryset, name, value):
        self.years_asked = getattr(self, "years_asked", []) + [value]
        return queryset.filter(delivered_on__gte=datetime.date(int(value), 1, 1))


def test_each_filter_set_has_its_own_filters_extra_and_fields():
    first, second = Deliveries(), Deliveries()
    first.filters["stream"].extra["choices"] = [("b", "B")]
    assert first.filters["stream"] is not second.filters["stream"]
    assert second.filters["stream"].extra["choices"] == [("a", "A")]
    assert Deliveries.base_filters["stream"].extra["choices"] == [("a", "A")]
    assert [value for value, _ in first.form.fields["stream"].choices] == ["", "b"]
    assert [value for value, _ in second.form.fields["stream"].choices] == ["", "a"]
    assert first.form.fields["stream"] is not second.form.fields["stream"]
    assert first.form.fields["stream"].widget is not second.form.fields["stream"].widget


def test_a_method_filter_calls_its_own_filter_set():
    asked, other = Deliveries(QueryDict("year=2020")), Deliveries(QueryDict("year=2021"))
    assert asked.is_valid() and other.is_valid()
    assert "2020-01-01" in str(asked.qs.query)
    assert "2021-01-01" in str(other.qs.query)
    assert asked.years_asked == [2020] and other.years_asked == [2021]


def test_filters_know_their_model_and_filter_set():
    filter_set = Deliveries()
    for filter_ in filter_set.filters.values():
        assert filter_.model is Delivery
        assert filter_.parent is filter_set


def test_one_form_class_per_filter_set_class():
    first, second = Deliveries(), Deliveries()
    assert type(first.form) is type(second.form)
    assert type(first.form).__name__ == "DeliveriesForm"
    assert type(first.form).base_fields == {}


def test_the_form_takes_its_filter_sets_own_fields_in_declared_order():
    filter_set = Deliveries(QueryDict("stream=a&year=2020"))
    form = filter_set.form
    assert list(form.fields) == ["stream", "year"]
    for name, field in form.fields.items():
        assert field is filter_set.filters[name].field
        assert field is not Deliveries.base_filters[name].field
    assert filter_set.is_valid() and form.cleaned_data == {"stream": "a", "year": 2020}


def test_a_change_to_one_forms_field_reaches_no_other():
    first, second = Deliveries(), Deliveries()
    first.form.fields["stream"].widget.attrs["max"] = "1"
    first.form.fields["stream"].error_messages["required"] = "Changed"
    first.form.fields["stream"].validators.append(print)
    for other in (second.form.fields["stream"], Deliveries().form.fields["stream"]):
        assert "max" not in other.widget.attrs
        assert other.error_messages["required"] != "Changed"
        assert print not in other.validators


def test_a_meta_form_keeps_its_own_fields_first_and_copied():
    from django import forms

    class Base(forms.Form):
        extra = forms.CharField(required=False)

    class WithForm(Deliveries):
        class Meta(Deliveries.Meta):
            form = Base

    form = WithForm(QueryDict("extra=x&stream=a")).form
    assert isinstance(form, Base)
    assert list(form.fields) == ["extra", "stream", "year"]
    assert form.fields["extra"] is not Base.base_fields["extra"]
    assert form.is_valid() and form.cleaned_data["extra"] == "x"
