import django_tables2 as tables
from django.utils.html import format_html

from reports.choices import STATUS_TAG_COLOURS
from reports.models import Report


class ReportTable(tables.Table):
    meeting = tables.Column(
        accessor="meeting__date", verbose_name="Meeting", order_by=("meeting__date",)
    )
    committee = tables.Column(accessor="meeting__committee__short_name", verbose_name="Committee")
    number = tables.Column(verbose_name="Report")
    title = tables.Column(linkify=("reports:report-detail", {"pk": tables.A("pk")}))
    status = tables.Column()

    class Meta:
        model = Report
        empty_text = (
            "No committee report matches these filters. Clear the filters, or draft one with "
            "“New report”."
        )
        fields = (
            "meeting",
            "committee",
            "number",
            "title",
            "version",
            "status",
            "protective_marking",
        )
        order_by = ("-meeting",)

    def render_meeting(self, value):
        return value.strftime("%Y-%m-%d")

    def render_status(self, record, value):
        # Text always, colour as well: never colour alone.
        return format_html(
            '<strong class="govuk-tag govuk-tag--{}">{}</strong>',
            STATUS_TAG_COLOURS[record.status],
            value,
        )

    def value_status(self, record):
        return record.get_status_display()
