import datetime

import django_filters
from django import forms

from dps import forms as dps_forms
from dps.filterset import FilterSet
from dps.widgets import DatePicker, PythonInput, Select, TextInput
from presentations.choices import Occasion, Stream
from presentations.models import Delivery
from presentations.selectors import borough_choices, filter_choices, product_choices


class MonthInput(PythonInput, forms.TextInput):
    input_type = "month"


class DateInput(DatePicker, dps_forms.DateInput):
    """The browser's date field, drawn without templates (the filters are on every log page)."""


class DeliveryFilterSet(FilterSet):
    """Filters for the log. Drop-downs list only small reference tables (38 boroughs and units,
    8 products); 'entered by' is typed, so the page never renders every user."""

    delivered_from = django_filters.DateFilter(
        field_name="delivered_on", lookup_expr="gte", label="From", widget=DateInput()
    )
    delivered_to = django_filters.DateFilter(
        field_name="delivered_on", lookup_expr="lte", label="To", widget=DateInput()
    )
    month = django_filters.CharFilter(
        label="Month", method="in_month", widget=MonthInput(), help_text="For example, 2007-03."
    )
    # Choices (not model choices): one query builds the list, and checking the chosen value
    # needs no second query.
    borough = django_filters.ChoiceFilter(
        field_name="borough_id",
        choices=borough_choices,
        label="Borough or unit",
        empty_label="Any",
        widget=Select,
    )
    stream = django_filters.ChoiceFilter(choices=Stream.choices, empty_label="Any", widget=Select)
    product = django_filters.ChoiceFilter(
        field_name="products",
        choices=product_choices,
        label="Product",
        empty_label="Any",
        widget=Select,
    )
    occasion = django_filters.ChoiceFilter(
        choices=Occasion.choices, empty_label="Any", widget=Select
    )
    presenter = django_filters.CharFilter(
        field_name="presenters", lookup_expr="icontains", label="Presenter", widget=TextInput
    )
    entered_by = django_filters.CharFilter(
        field_name="entered_by__username",
        lookup_expr="iexact",
        label="Entered by (user name)",
        widget=TextInput,
    )

    class Meta:
        model = Delivery
        fields = []

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Read the reference lists once per request, both in one query (a callable would run at
        # validation and again when the drop-down is drawn).
        boroughs, products = filter_choices()
        self.filters["borough"].extra["choices"] = boroughs
        self.filters["product"].extra["choices"] = products

    def in_month(self, queryset, name, value):
        try:
            first = datetime.date.fromisoformat(f"{value}-01")
        except ValueError:
            return queryset.none()
        next_month = (first.replace(day=28) + datetime.timedelta(days=4)).replace(day=1)
        return queryset.filter(delivered_on__gte=first, delivered_on__lt=next_month)
