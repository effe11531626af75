"""Filters for the lists that live in dps: the access records."""

import django_filters

from dps.filterset import FilterSet
from dps.forms import DateInput
from dps.models import AccessRecord


class AccessRecordFilterSet(FilterSet):
    person = django_filters.CharFilter(
        field_name="user__username", lookup_expr="iexact", label="Person (user name)"
    )
    kind = django_filters.ChoiceFilter(choices=AccessRecord.Kind.choices, empty_label="Any")
    from_date = django_filters.DateFilter(
        field_name="at", lookup_expr="date__gte", label="From", widget=DateInput()
    )
    to_date = django_filters.DateFilter(
        field_name="at", lookup_expr="date__lte", label="To", widget=DateInput()
    )

    class Meta:
        model = AccessRecord
        fields = []
