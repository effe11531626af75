"""What the search finds among committee reports (registered by ReportsConfig.ready)."""

from dps.search import SearchKind, register
from reports.models import Report


def register_kinds():
    register(
        SearchKind(
            key="reports",
            label="Reports",
            model=Report,
            fields=("title", "number", "summary", "recommendations"),
            title=str,
            url=lambda row: row.get_absolute_url(),
            order=90,
            theme_path="theme",
        )
    )
