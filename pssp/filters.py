import django_filters
from django.db.models import Q

from pssp.choices import UnitKind
from pssp.models import Borough, Product


class BoroughFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(label="Name or GSS code", method="search")
    kind = django_filters.ChoiceFilter(choices=UnitKind.choices, empty_label="Any")
    family_group = django_filters.CharFilter(lookup_expr="iexact")

    class Meta:
        model = Borough
        fields = ["q", "kind", "family_group"]

    def search(self, queryset, name, value):
        return queryset.filter(Q(name__icontains=value) | Q(gss_code__iexact=value))


class ProductFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(label="Code or name", method="search")

    class Meta:
        model = Product
        fields = ["q", "active"]

    def search(self, queryset, name, value):
        return queryset.filter(Q(name__icontains=value) | Q(code__icontains=value))
