from django.contrib import admin

from dps.admin import VisibleModelAdmin
from reports.models import Committee, Meeting, Report, ReportJob


@admin.register(Committee)
class CommitteeAdmin(VisibleModelAdmin):
    list_display = ("name", "short_name", "organisation")
    search_fields = ("name", "short_name")


@admin.register(Meeting)
class MeetingAdmin(VisibleModelAdmin):
    list_display = ("committee", "date")
    list_filter = ("committee",)
    date_hierarchy = "date"


@admin.register(Report)
class ReportAdmin(VisibleModelAdmin):
    """Read-only: reports are written through the app, where the workflow rules are enforced."""

    list_display = ("number", "title", "meeting", "version", "status", "restricted")
    list_filter = ("status", "restricted", "meeting__committee")
    search_fields = ("title", "number")

    def has_change_permission(self, request, obj=None):
        return False

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(ReportJob)
class ReportJobAdmin(VisibleModelAdmin):
    list_display = ("pk", "report", "purpose", "state", "requested_by", "created_at", "attempts")
    list_filter = ("state", "purpose")

    # A job is the record of what was rendered, for whom and when: it is never edited or removed.
    def has_change_permission(self, request, obj=None):
        return False

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
