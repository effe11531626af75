"""Admin for the reference data every app shares: boroughs and units, the product menu."""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from dps.models import Borough, Product


@admin.register(Borough)
class BoroughAdmin(SimpleHistoryAdmin):
    list_display = ("name", "kind", "gss_code", "family_group", "active")
    list_filter = ("kind", "family_group", "active")
    search_fields = ("name", "gss_code")


@admin.register(Product)
class ProductAdmin(SimpleHistoryAdmin):
    list_display = ("code", "name", "diversity_reviewed_on", "active", "order")
    list_filter = ("active",)
    search_fields = ("code", "name")
