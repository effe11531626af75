from django.shortcuts import get_object_or_404, render
from django.urls import reverse

from dps.audit import history_for
from dps.permissions import require_permission
from dps.views import FilteredTableView
from pssp.filters import BoroughFilterSet, ProductFilterSet
from pssp.models import Borough, Product
from pssp.tables import BoroughTable, ProductTable


class BoroughListView(FilteredTableView):
    permission_required = "pssp.view_borough"
    table_class = BoroughTable
    filterset_class = BoroughFilterSet
    list_title = "Boroughs and units"
    export_name = "boroughs"

    def get_queryset(self):
        return Borough.objects.visible_to(self.request.user)


class ProductListView(FilteredTableView):
    permission_required = "pssp.view_product"
    table_class = ProductTable
    filterset_class = ProductFilterSet
    list_title = "PSSP product menu"
    export_name = "pssp-products"

    def get_queryset(self):
        return Product.objects.visible_to(self.request.user)


@require_permission("pssp.view_borough")
def borough_detail(request, pk):
    borough = get_object_or_404(Borough.objects.visible_to(request.user), pk=pk)
    breadcrumbs = [("Boroughs and units", reverse("pssp:borough-list")), (borough.name, None)]
    return render(
        request,
        "pssp/borough_detail.html",
        {"borough": borough, "history": history_for(borough), "breadcrumbs": breadcrumbs},
    )
