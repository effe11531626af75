"""Reading the audit trail kept by django-simple-history, for a record's page."""

from dataclasses import dataclass, field
from datetime import datetime

ACTIONS = {"+": "Created", "~": "Changed", "-": "Deleted"}


@dataclass
class Change:
    field: str
    old: object
    new: object


@dataclass
class HistoryEntry:
    at: datetime
    who: str
    action: str
    reason: str
    changes: list[Change] = field(default_factory=list)


def history_for(record, limit=50):
    """Newest first: when, who, what, and each field's old and new value."""
    model = record._meta.model
    snapshots = list(
        record.history.select_related("history_user").order_by("-history_date")[: limit + 1]
    )
    entries = []
    for newer, older in zip(snapshots, snapshots[1:] + [None], strict=False):
        changes = []
        if older is not None and newer.history_type == "~":
            delta = newer.diff_against(older, foreign_keys_are_objs=False)
            for change in delta.changes:
                verbose = model._meta.get_field(change.field).verbose_name
                changes.append(
                    Change(field=str(verbose).capitalize(), old=change.old, new=change.new)
                )
        entries.append(
            HistoryEntry(
                at=newer.history_date,
                who=str(newer.history_user) if newer.history_user else "",
                action=ACTIONS.get(newer.history_type, newer.history_type),
                reason=newer.history_change_reason or "",
                changes=changes,
            )
        )
    return entries[:limit]
