from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from themes.models import Programme, SupportingArea, Theme


@admin.register(Programme)
class ProgrammeAdmin(SimpleHistoryAdmin):
    list_display = ("name", "start_date", "end_date", "default_time_tolerance_days")


@admin.register(Theme)
class ThemeAdmin(SimpleHistoryAdmin):
    list_display = ("name", "programme", "lead", "restricted")
    list_filter = ("programme", "restricted")

    def get_queryset(self, request):
        # The admin obeys the same restriction as every other page.
        return Theme.objects.visible_to(request.user)


@admin.register(SupportingArea)
class SupportingAreaAdmin(SimpleHistoryAdmin):
    list_display = ("name", "programme", "order")
    filter_horizontal = ("themes",)
