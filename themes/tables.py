import django_tables2 as tables
from django.utils.html import format_html

from themes.choices import RAG_TAG_COLOURS, Rag
from themes.models import Milestone, Risk
from themes.selectors import person_name


class RagColumn(tables.Column):
    """Text and colour on screen; just the label in CSV/XLSX."""

    def render(self, value, record):
        rag = Rag(record.rag)
        return format_html(
            '<strong class="govuk-tag govuk-tag--{}">{}</strong>', RAG_TAG_COLOURS[rag], rag.label
        )

    def value(self, record, value):
        return Rag(record.rag).label


class PersonColumn(tables.Column):
    def render(self, value):
        return person_name(value)

    def value(self, value):
        return person_name(value)


class MilestoneTable(tables.Table):
    title = tables.Column(
        verbose_name="Milestone", linkify=("themes:milestone-detail", {"pk": tables.A("pk")})
    )
    theme = tables.Column(
        accessor="deliverable__theme__name", verbose_name="Theme", order_by="deliverable__theme"
    )
    deliverable = tables.Column(accessor="deliverable__title", verbose_name="Deliverable")
    owner = PersonColumn(order_by=("owner__first_name", "owner__last_name"))
    baseline_date = tables.DateColumn(format="SHORT_DATE_FORMAT", verbose_name="Baseline")
    forecast_date = tables.DateColumn(format="SHORT_DATE_FORMAT", verbose_name="Forecast")
    actual_date = tables.DateColumn(format="SHORT_DATE_FORMAT", verbose_name="Actual")
    status = tables.Column()
    slippage_days = tables.Column(verbose_name="Slippage (days)")
    rag = RagColumn(verbose_name="RAG")

    class Meta:
        model = Milestone
        empty_text = (
            "No milestone matches these filters. Clear the filters; milestones are added from "
            "their theme's page."
        )
        fields = ()
        sequence = (
            "title",
            "theme",
            "deliverable",
            "owner",
            "baseline_date",
            "forecast_date",
            "actual_date",
            "status",
            "slippage_days",
            "rag",
        )
        order_by = ("forecast_date",)


class RiskTable(tables.Table):
    title = tables.Column(
        verbose_name="Risk", linkify=("themes:risk-detail", {"pk": tables.A("pk")})
    )
    theme = tables.Column(accessor="theme__name", order_by="theme")
    score_before = tables.Column(
        verbose_name="Score before", accessor="likelihood_before", orderable=False
    )
    score_after = tables.Column(
        verbose_name="Score after", accessor="likelihood_after", orderable=False
    )
    proximity = tables.Column()
    response_category = tables.Column(verbose_name="Response")
    owner = PersonColumn(order_by=("owner__first_name", "owner__last_name"))
    status = tables.Column()
    review_date = tables.DateColumn(format="SHORT_DATE_FORMAT")

    class Meta:
        model = Risk
        empty_text = (
            "No risk matches these filters. Clear the filters; risks are added from their "
            "theme's page."
        )
        fields = ()
        sequence = (
            "title",
            "theme",
            "score_before",
            "score_after",
            "proximity",
            "response_category",
            "owner",
            "status",
            "review_date",
        )
        order_by = ("review_date",)

    def render_score_before(self, record):
        return record.score_before

    def value_score_before(self, record):
        return record.score_before

    def render_score_after(self, record):
        return record.score_after

    def value_score_after(self, record):
        return record.score_after
