from django.contrib import admin

from dps.admin import StackedInline, TabularInline, VisibleModelAdmin
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
class SourceAdmin(VisibleModelAdmin):
    """Reference data: the sources the Performance Analysis Unit reviews per borough."""

    list_display = ("code", "name", "order", "active")
    list_filter = ("active",)
    search_fields = ("code", "name")


class SourceFigureInline(TabularInline):
    model = SourceFigure
    extra = 0


@admin.register(SourceReview)
class SourceReviewAdmin(VisibleModelAdmin):
    list_display = ("borough", "period_start", "period_end", "reviewed_on", "analyst")
    list_filter = ("borough",)
    inlines = [SourceFigureInline]


class TaskingDecisionInline(StackedInline):
    model = TaskingDecision
    extra = 0


@admin.register(TaskingMeeting)
class TaskingMeetingAdmin(VisibleModelAdmin):
    list_display = ("held_on", "chair")
    inlines = [TaskingDecisionInline]


@admin.register(BoroughReport)
class BoroughReportAdmin(VisibleModelAdmin):
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


class PlanActionInline(TabularInline):
    model = PlanAction
    extra = 0


@admin.register(ActionPlan)
class ActionPlanAdmin(VisibleModelAdmin):
    list_display = ("report", "status", "agreed_on")
    inlines = [PlanActionInline]


@admin.register(EngagementMeeting)
class EngagementMeetingAdmin(VisibleModelAdmin):
    list_display = ("met_on", "borough", "kind")
    list_filter = ("kind", "borough")


@admin.register(Outcome)
class OutcomeAdmin(VisibleModelAdmin):
    list_display = ("occurred_on", "title", "borough", "product", "theme")


class EventAudienceInline(TabularInline):
    model = EventAudience
    extra = 0


@admin.register(Event)
class EventAdmin(VisibleModelAdmin):
    list_display = ("title", "kind", "status", "starts_on")
    list_filter = ("kind", "status")
    inlines = [EventAudienceInline]
