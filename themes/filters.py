import django_filters
from django import forms
from django.contrib.auth import get_user_model
from django.db.models import Q

from dps.filterset import FilterSet
from dps.forms import DateInput
from themes.choices import MilestoneStatus, Proximity, Rag, RiskStatus
from themes.models import Milestone, Risk, SupportingArea, Theme


def _themes(request):
    if request is None:
        return Theme.objects.none()
    return Theme.objects.visible_to(request.user)


def _owners(request):
    return get_user_model().objects.filter(is_active=True).order_by("first_name", "last_name")


class MilestoneFilterSet(FilterSet):
    q = django_filters.CharFilter(label="Milestone or deliverable", method="search")
    theme = django_filters.ModelChoiceFilter(
        field_name="deliverable__theme",
        queryset=_themes,
        to_field_name="code",
        empty_label="Any theme",
    )
    status = django_filters.ChoiceFilter(choices=MilestoneStatus.choices, empty_label="Any")
    rag = django_filters.ChoiceFilter(label="RAG", choices=Rag.choices, empty_label="Any")
    owner = django_filters.ModelChoiceFilter(queryset=_owners, empty_label="Anyone")
    supporting_area = django_filters.ModelChoiceFilter(
        label="Supporting area",
        field_name="supporting_areas",
        queryset=SupportingArea.objects.all(),
        to_field_name="code",
        empty_label="Any",
    )
    due_after = django_filters.DateFilter(
        label="Forecast on or after",
        field_name="forecast_date",
        lookup_expr="gte",
        widget=DateInput,
    )
    due_before = django_filters.DateFilter(
        label="Forecast on or before",
        field_name="forecast_date",
        lookup_expr="lte",
        widget=DateInput,
    )
    open_only = django_filters.BooleanFilter(
        label="Not yet complete", method="filter_open", widget=forms.CheckboxInput
    )
    overdue_on = django_filters.DateFilter(
        label="Overdue as at", method="filter_overdue", widget=DateInput
    )
    slipped_since = django_filters.DateFilter(
        label="Re-forecast later since", method="filter_slipped", widget=DateInput
    )

    class Meta:
        model = Milestone
        fields = ["q", "theme", "status", "rag", "owner", "supporting_area"]

    def search(self, queryset, name, value):
        return queryset.filter(Q(title__icontains=value) | Q(deliverable__title__icontains=value))

    def filter_open(self, queryset, name, value):
        return queryset.open() if value else queryset

    def filter_overdue(self, queryset, name, value):
        return queryset.overdue(value)

    def filter_slipped(self, queryset, name, value):
        return queryset.slipped_since(value)


class RiskFilterSet(FilterSet):
    q = django_filters.CharFilter(label="Risk", method="search")
    theme = django_filters.ModelChoiceFilter(
        queryset=_themes, to_field_name="code", empty_label="Any theme"
    )
    status = django_filters.ChoiceFilter(choices=RiskStatus.choices, empty_label="Any")
    proximity = django_filters.ChoiceFilter(choices=Proximity.choices, empty_label="Any")
    supporting_area = django_filters.ModelChoiceFilter(
        label="Supporting area",
        field_name="supporting_areas",
        queryset=SupportingArea.objects.all(),
        to_field_name="code",
        empty_label="Any",
    )
    review_before = django_filters.DateFilter(
        label="Review date before",
        field_name="review_date",
        lookup_expr="lt",
        widget=DateInput,
    )

    class Meta:
        model = Risk
        fields = ["q", "theme", "status", "proximity", "supporting_area"]

    def search(self, queryset, name, value):
        return queryset.filter(
            Q(title__icontains=value) | Q(event__icontains=value) | Q(cause__icontains=value)
        )
