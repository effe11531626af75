import django_filters
from django.db.models import Q

from dps.filterset import FilterSet
from reports.choices import ProtectiveMarking, ReportKind, ReportStatus
from reports.models import Committee, Report


class ReportFilterSet(FilterSet):
    q = django_filters.CharFilter(label="Title, number or summary", method="search")
    committee = django_filters.ModelChoiceFilter(
        field_name="meeting__committee", queryset=Committee.objects.all(), empty_label="Any"
    )
    status = django_filters.ChoiceFilter(choices=ReportStatus.choices, empty_label="Any")
    kind = django_filters.ChoiceFilter(choices=ReportKind.choices, empty_label="Any")
    protective_marking = django_filters.ChoiceFilter(
        choices=ProtectiveMarking.choices, empty_label="Any"
    )
    meeting_from = django_filters.DateFilter(
        field_name="meeting__date", lookup_expr="gte", label="Meetings from"
    )
    meeting_to = django_filters.DateFilter(
        field_name="meeting__date", lookup_expr="lte", label="Meetings to"
    )

    class Meta:
        model = Report
        fields = ["q", "committee", "status", "kind", "protective_marking"]

    def search(self, queryset, name, value):
        return queryset.filter(
            Q(title__icontains=value) | Q(number__iexact=value) | Q(summary__icontains=value)
        )
