import django_tables2 as tables

from pssp.models import Borough, Product


class BoroughTable(tables.Table):
    name = tables.Column(linkify=("pssp:borough-detail", {"pk": tables.A("pk")}))
    gss_code = tables.Column(verbose_name="GSS code")

    class Meta:
        model = Borough
        fields = ("name", "kind", "gss_code", "family_group", "active")
        order_by = ("kind", "name")


class ProductTable(tables.Table):
    class Meta:
        model = Product
        fields = ("code", "name", "diversity_reviewed_on", "active")
        order_by = ("order",)
