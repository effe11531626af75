import django_filters
from django.db.models import Q

from dps.choices import UnitKind
from dps.filterset import FilterSet
from dps.models import Borough, Product
from pssp.choices import (
    BoroughReportStatus,
    DecisionStatus,
    EventKind,
    EventStatus,
    MeetingKind,
)
from pssp.models import (
    BoroughReport,
    EngagementMeeting,
    Event,
    Outcome,
    SourceReview,
    TaskingDecision,
    TaskingMeeting,
)
from themes.models import Theme


class BoroughFilterSet(FilterSet):
    q = django_filters.CharFilter(label="Name or GSS code", method="search")
    kind = django_filters.ChoiceFilter(choices=UnitKind.choices, empty_label="Any")
    family_group = django_filters.CharFilter(lookup_expr="iexact")

    class Meta:
        model = Borough
        fields = ["q", "kind", "family_group"]

    def search(self, queryset, name, value):
        return queryset.filter(Q(name__icontains=value) | Q(gss_code__iexact=value))


class ProductFilterSet(FilterSet):
    q = django_filters.CharFilter(label="Code or name", method="search")

    class Meta:
        model = Product
        fields = ["q", "active"]

    def search(self, queryset, name, value):
        return queryset.filter(Q(name__icontains=value) | Q(code__icontains=value))


def _boroughs(request):
    return Borough.objects.active()


class SourceReviewFilterSet(FilterSet):
    q = django_filters.CharFilter(label="Borough, analyst or commentary", method="search")
    borough = django_filters.ModelChoiceFilter(queryset=_boroughs, empty_label="Any")
    period_from = django_filters.DateFilter(
        field_name="period_end", lookup_expr="gte", label="Period ends on or after"
    )
    period_to = django_filters.DateFilter(
        field_name="period_start", lookup_expr="lte", label="Period starts on or before"
    )

    class Meta:
        model = SourceReview
        fields = ["q", "borough", "period_from", "period_to"]

    def search(self, queryset, name, value):
        return queryset.filter(
            Q(borough__name__icontains=value)
            | Q(analyst__icontains=value)
            | Q(commentary__icontains=value)
        )


class TaskingMeetingFilterSet(FilterSet):
    q = django_filters.CharFilter(label="Attendees, chair or notes", method="search")
    held_after = django_filters.DateFilter(field_name="held_on", lookup_expr="gte", label="From")
    held_before = django_filters.DateFilter(field_name="held_on", lookup_expr="lte", label="To")

    class Meta:
        model = TaskingMeeting
        fields = ["q", "held_after", "held_before"]

    def search(self, queryset, name, value):
        return queryset.filter(
            Q(attendees__icontains=value) | Q(chair__icontains=value) | Q(notes__icontains=value)
        )


class TaskingDecisionFilterSet(FilterSet):
    q = django_filters.CharFilter(label="Decision, owner or resource", method="search")
    status = django_filters.ChoiceFilter(choices=DecisionStatus.choices, empty_label="Any")
    borough = django_filters.ModelChoiceFilter(
        field_name="boroughs", queryset=_boroughs, empty_label="Any"
    )
    product = django_filters.ModelChoiceFilter(queryset=Product.objects.all(), empty_label="Any")
    due_before = django_filters.DateFilter(field_name="due_on", lookup_expr="lte", label="Due by")

    class Meta:
        model = TaskingDecision
        fields = ["q", "status", "borough", "product", "due_before"]

    def search(self, queryset, name, value):
        return queryset.filter(
            Q(decision__icontains=value) | Q(owner__icontains=value) | Q(resource__icontains=value)
        )


class BoroughReportFilterSet(FilterSet):
    q = django_filters.CharFilter(label="Title, borough or author", method="search")
    status = django_filters.ChoiceFilter(choices=BoroughReportStatus.choices, empty_label="Any")
    borough = django_filters.ModelChoiceFilter(queryset=_boroughs, empty_label="Any")

    class Meta:
        model = BoroughReport
        fields = ["q", "status", "borough"]

    def search(self, queryset, name, value):
        return queryset.filter(
            Q(title__icontains=value)
            | Q(borough__name__icontains=value)
            | Q(author__icontains=value)
        )


class EngagementMeetingFilterSet(FilterSet):
    q = django_filters.CharFilter(label="Borough, attendees or notes", method="search")
    kind = django_filters.ChoiceFilter(
        choices=MeetingKind.choices, empty_label="Any", label="Met with"
    )
    borough = django_filters.ModelChoiceFilter(queryset=_boroughs, empty_label="Any")
    met_after = django_filters.DateFilter(field_name="met_on", lookup_expr="gte", label="From")
    met_before = django_filters.DateFilter(field_name="met_on", lookup_expr="lte", label="To")

    class Meta:
        model = EngagementMeeting
        fields = ["q", "kind", "borough", "met_after", "met_before"]

    def search(self, queryset, name, value):
        return queryset.filter(
            Q(borough__name__icontains=value)
            | Q(attendees__icontains=value)
            | Q(notes__icontains=value)
        )


def _themes(request):
    # The filter must not offer (and so reveal) restricted themes to users not cleared for them.
    return Theme.objects.visible_to(request.user)


class OutcomeFilterSet(FilterSet):
    q = django_filters.CharFilter(label="Title, description or evidence", method="search")
    borough = django_filters.ModelChoiceFilter(queryset=_boroughs, empty_label="Any")
    force_wide = django_filters.BooleanFilter(
        field_name="borough", lookup_expr="isnull", label="Force-wide only"
    )
    product = django_filters.ModelChoiceFilter(queryset=Product.objects.all(), empty_label="Any")
    theme = django_filters.ModelChoiceFilter(queryset=_themes, empty_label="Any")
    after = django_filters.DateFilter(field_name="occurred_on", lookup_expr="gte", label="From")
    before = django_filters.DateFilter(field_name="occurred_on", lookup_expr="lte", label="To")

    class Meta:
        model = Outcome
        fields = ["q", "borough", "force_wide", "product", "theme", "after", "before"]

    def search(self, queryset, name, value):
        return queryset.filter(
            Q(title__icontains=value)
            | Q(description__icontains=value)
            | Q(evidence__icontains=value)
            | Q(evidence_reference__icontains=value)
        )


class EventFilterSet(FilterSet):
    q = django_filters.CharFilter(label="Title, partners or venue", method="search")
    kind = django_filters.ChoiceFilter(choices=EventKind.choices, empty_label="Any")
    status = django_filters.ChoiceFilter(choices=EventStatus.choices, empty_label="Any")
    after = django_filters.DateFilter(field_name="starts_on", lookup_expr="gte", label="From")
    before = django_filters.DateFilter(field_name="starts_on", lookup_expr="lte", label="To")

    class Meta:
        model = Event
        fields = ["q", "kind", "status", "after", "before"]

    def search(self, queryset, name, value):
        return queryset.filter(
            Q(title__icontains=value) | Q(partners__icontains=value) | Q(venue__icontains=value)
        )
