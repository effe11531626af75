"""Tables for the lists that live in dps: the access records."""

import django_tables2 as tables

from dps.audit import person_name
from dps.models import AccessRecord


class AccessRecordTable(tables.Table):
    at = tables.DateTimeColumn("j M Y H:i", verbose_name="When", order_by=("at", "pk"))
    user = tables.Column(verbose_name="Who", orderable=False)
    kind = tables.Column(verbose_name="What they did", orderable=False)
    shown_what = tables.Column(verbose_name="Which report, file or list", orderable=False)
    rows = tables.Column(
        verbose_name="Rows", orderable=False, attrs={"td": {"class": "govuk-table__cell--numeric"}}
    )

    class Meta:
        model = AccessRecord
        fields = ("at", "user", "kind", "shown_what", "rows")
        order_by = ("-at",)
        empty_text = (
            "No one has opened, downloaded or exported anything that matches. Widen the filters, "
            "for example a longer date range."
        )

    def render_user(self, value):
        return person_name(value)

    def value_user(self, value):
        return value.get_username()
