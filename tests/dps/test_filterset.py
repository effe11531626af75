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
