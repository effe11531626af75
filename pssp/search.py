"""What the search finds in PSSP (registered by PsspConfig.ready)."""

from dps.search import SearchKind, register
from pssp.models import Event, Outcome


def register_kinds():
    register(
        SearchKind(
            key="events",
            label="Events",
            model=Event,
            fields=("title", "description", "venue", "partners"),
            title=str,
            url=lambda row: row.get_absolute_url(),
            order=100,
        )
    )
    register(
        SearchKind(
            key="outcomes",
            label="Outcomes",
            model=Outcome,
            fields=("title", "description", "evidence", "evidence_reference"),
            title=str,
            url=lambda row: row.get_absolute_url(),
            order=110,
            theme_path="theme",
        )
    )
