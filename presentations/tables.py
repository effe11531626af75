import django_tables2 as tables

from dps.table_columns import Table
from presentations.models import Delivery


class DeliveryTable(Table):
    """The log. Only indexed columns sort (date, stream, presenters), so sorting stays fast
    on a million rows."""

    delivered_on = tables.DateColumn(
        "SHORT_DATE_FORMAT",
        order_by=("delivered_on", "id"),
        verbose_name="Date",
        linkify=("presentations:delivery-detail", {"pk": tables.A("pk")}),
    )
    borough = tables.Column(verbose_name="Borough or unit", orderable=False)
    stream = tables.Column()
    attendees = tables.Column(
        orderable=False, attrs={"td": {"class": "govuk-table__cell--numeric"}}
    )
    # By name, as the form and the filters show them (one aggregate per page, in log_rows).
    product_names = tables.Column(verbose_name="Products", orderable=False, default="")
    occasion = tables.Column(orderable=False)
    # Blank only on imported sessions whose spreadsheet did not record who presented.
    presenters = tables.Column(default="Not recorded")
    entered_by = tables.Column(verbose_name="Entered by", orderable=False)
    reference = tables.Column(orderable=False, visible=False)

    class Meta:
        model = Delivery
        empty_text = (
            "No session matches these filters. Clear the filters or widen the date range; log "
            "a session with “Log a presentation”."
        )
        fields = (
            "delivered_on",
            "borough",
            "stream",
            "attendees",
            "product_names",
            "occasion",
            "presenters",
            "entered_by",
            "reference",
        )
        order_by = ("-delivered_on",)
