import django_tables2 as tables

from dps.models import Borough, Product
from dps.templatetags.govuk import govuk_tag
from pssp.choices import TAG_COLOURS
from pssp.models import (
    BoroughReport,
    EngagementMeeting,
    Event,
    Outcome,
    SourceReview,
    TaskingDecision,
    TaskingMeeting,
)


class BoroughTable(tables.Table):
    name = tables.Column(linkify=("pssp:borough-detail", {"pk": tables.A("pk")}))
    gss_code = tables.Column(verbose_name="GSS code")

    class Meta:
        model = Borough
        empty_text = (
            "No borough or unit matches these filters. Clear the filters to see all 32 "
            "boroughs and the other units."
        )
        fields = ("name", "kind", "gss_code", "family_group", "active")
        order_by = ("kind", "name")


class ProductTable(tables.Table):
    class Meta:
        model = Product
        empty_text = (
            "No product matches these filters. Clear the filters to see the whole PSSP menu; "
            "an administrator adds products."
        )
        fields = ("code", "name", "diversity_reviewed_on", "active")
        order_by = ("order",)


class StatusColumn(tables.Column):
    """A status as a GOV.UK tag on the page (text, never colour alone) and its label in exports."""

    def render(self, value, record):
        return govuk_tag(value, TAG_COLOURS.get(record.status, ""))

    def value(self, value):
        return value


class SourceReviewTable(tables.Table):
    borough = tables.Column(linkify=("pssp:review-detail", {"pk": tables.A("pk")}))
    need = tables.Column("Total across sources", orderable=True)

    class Meta:
        model = SourceReview
        empty_text = (
            "No source review matches these filters. Clear the filters, or record a borough's "
            "source review with “Record a source review”."
        )
        fields = ("borough", "period_start", "period_end", "reviewed_on", "analyst", "need")
        order_by = ("-period_end", "borough")


class TaskingMeetingTable(tables.Table):
    held_on = tables.DateColumn(
        verbose_name="Date", linkify=("pssp:tasking-detail", {"pk": tables.A("pk")})
    )
    decision_count = tables.Column("Decisions")
    open_count = tables.Column("Decisions open")

    class Meta:
        model = TaskingMeeting
        empty_text = (
            "No tasking meeting matches these filters. Clear the filters, or record a meeting "
            "with “Record a tasking meeting”."
        )
        fields = ("held_on", "chair", "decision_count", "open_count")
        order_by = ("-held_on",)


class TaskingDecisionTable(tables.Table):
    meeting = tables.Column(
        "Meeting", linkify=("pssp:tasking-detail", {"pk": tables.A("meeting_id")})
    )
    # The meeting page shows the decision with its follow-up link for those who may change it.
    decision = tables.Column()
    boroughs = tables.ManyToManyColumn(verbose_name="Boroughs", orderable=False)
    status = StatusColumn()

    class Meta:
        model = TaskingDecision
        empty_text = (
            "No tasking decision matches these filters. Clear the filters; decisions are "
            "added from their tasking meeting's page."
        )
        fields = (
            "meeting",
            "decision",
            "boroughs",
            "product",
            "resource",
            "owner",
            "due_on",
            "status",
            "completed_on",
        )
        order_by = ("due_on",)


class BoroughReportTable(tables.Table):
    title = tables.Column(linkify=True)
    status = StatusColumn()
    plan = tables.Column("Action plan", accessor="actions_total", orderable=False, empty_values=())

    class Meta:
        model = BoroughReport
        empty_text = (
            "No borough report matches these filters. Clear the filters, or commission one "
            "with “Commission a borough report”."
        )
        fields = ("title", "borough", "commissioned_on", "status", "plan")
        order_by = ("-commissioned_on",)

    def render_plan(self, record):
        if not hasattr(record, "action_plan"):
            return "None"
        plan = record.action_plan
        done, total = record.actions_done, record.actions_total
        return f"{plan.get_status_display()}: {done} of {total} actions done"

    def value_plan(self, record):
        return self.render_plan(record)


class EngagementMeetingTable(tables.Table):
    met_on = tables.DateColumn(verbose_name="Date", linkify=True)

    class Meta:
        model = EngagementMeeting
        empty_text = (
            "No engagement meeting matches these filters. Clear the filters, or “Record a "
            "meeting” with a command team or staff association."
        )
        fields = ("met_on", "borough", "kind", "attendees")
        order_by = ("-met_on",)


class OutcomeTable(tables.Table):
    title = tables.Column(linkify=True)
    borough = tables.Column(default="Force-wide")

    class Meta:
        model = Outcome
        empty_text = (
            "No outcome matches these filters. Clear the filters, or “Record an outcome” "
            "attributed to PSSP."
        )
        fields = ("occurred_on", "title", "borough", "product", "theme", "evidence_reference")
        order_by = ("-occurred_on",)


class EventTable(tables.Table):
    title = tables.Column(linkify=True)
    status = StatusColumn()
    starts_on = tables.DateColumn(verbose_name="Date", default="Not yet dated")
    audience_total = tables.Column("Audience")

    class Meta:
        model = Event
        empty_text = (
            "No seminar or event matches these filters. Clear the filters, or record one with "
            "“Record a seminar or conference”."
        )
        fields = ("title", "kind", "status", "starts_on", "venue", "partners", "audience_total")
        order_by = ("-starts_on",)
