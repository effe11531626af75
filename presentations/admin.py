from django.contrib import admin

from dps.admin import VisibleModelAdmin
from presentations.models import Delivery


@admin.register(Delivery)
class DeliveryAdmin(VisibleModelAdmin):
    list_display = ("delivered_on", "borough", "stream", "attendees", "occasion", "presenters")
    list_filter = ("stream", "occasion", "borough")
    list_select_related = ("borough",)
    search_fields = ("reference", "presenters")
    raw_id_fields = ("entered_by",)
    filter_horizontal = ("products",)
    ordering = ("-delivered_on", "-id")
