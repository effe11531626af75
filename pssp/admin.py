from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from pssp.models import (
    ActionPlan,
    BoroughReport,
    EngagementMeeting,
    Event,
    EventAudience,
    Outcome,
    PlanAction,
    Source,
    SourceFigure,
    SourceReview,
    TaskingDecision,
    TaskingMeeting,
)


@admin.register(Source)
class SourceAdmin(SimpleHistoryAdmin):
    """Reference data: the sources the Performance Analysis Unit reviews per borough."""

    list_display = ("code", "name", "order", "active")
    list_filter = ("active",)
    search_fields = ("code", "name")


class SourceFigureInline(admin.TabularInline):
    model = SourceFigure
    extra = 0


@admin.register(SourceReview)
class SourceReviewAdmin(SimpleHistoryAdmin):
    list_display = ("borough", "period_start", "period_end", "reviewed_on", "analyst")
    list_filter = ("borough",)
    inlines = [SourceFigureInline]


class TaskingDecisionInline(admin.StackedInline):
    model = TaskingDecision
    extra = 0


@admin.register(TaskingMeeting)
class TaskingMeetingAdmin(SimpleHistoryAdmin):
    list_display = ("held_on", "chair")
    inlines = [TaskingDecisionInline]


@admin.register(BoroughReport)
class BoroughReportAdmin(SimpleHistoryAdmin):
    # The workflow and the document are changed only through the app's pages, which enforce the
    # transitions and check uploads by content; admin shows them read-only.
    list_display = ("title", "borough", "status", "commissioned_on")
    list_filter = ("status",)
    readonly_fields = (
        "status",
        "document",
        "discussion_notes",
        "closing_note",
        "drafted_on",
        "discussed_on",
        "mpa_link_member_sent_on",
        "area_commander_sent_on",
        "closed_on",
        "document_kind",
        "document_original_name",
        "document_uploaded_at",
    )


class PlanActionInline(admin.TabularInline):
    model = PlanAction
    extra = 0


@admin.register(ActionPlan)
class ActionPlanAdmin(SimpleHistoryAdmin):
    list_display = ("report", "status", "agreed_on")
    inlines = [PlanActionInline]


@admin.register(EngagementMeeting)
class EngagementMeetingAdmin(SimpleHistoryAdmin):
    list_display = ("met_on", "borough", "kind")
    list_filter = ("kind", "borough")


@admin.register(Outcome)
class OutcomeAdmin(SimpleHistoryAdmin):
    list_display = ("occurred_on", "title", "borough", "product", "theme")

    def get_queryset(self, request):
        # Admin is no back door to outcomes of restricted themes.
        return Outcome.objects.visible_to(request.user)


class EventAudienceInline(admin.TabularInline):
    model = EventAudience
    extra = 0


@admin.register(Event)
class EventAdmin(SimpleHistoryAdmin):
    list_display = ("title", "kind", "status", "starts_on")
    list_filter = ("kind", "status")
    inlines = [EventAudienceInline]
