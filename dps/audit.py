"""Reading the audit trail kept by django-simple-history, for a record's page.

A record's history is scoped like the record itself: a reader not cleared for restricted (covert)
themes sees none of the versions from while the record sat under a restricted theme, only one line
saying earlier changes are restricted. Related records are named only when the reader may see
them (through the related model's `visible_to`), never by id; choices show their labels.
"""

from dataclasses import dataclass, field
from datetime import date, datetime
from functools import cache

from django.db import models
from django.utils.dateformat import format as date_format
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.timezone import is_aware, localtime

from dps.permissions import can_see_restricted
from dps.visibility import VisibleQuerySet

ACTIONS = {"+": "Created", "~": "Changed", "-": "Deleted"}

EARLIER_CHANGES_RESTRICTED = "Earlier changes are restricted"
# What the reader sees instead of a value from a version they may not see.
VALUE_RESTRICTED = "(restricted)"
# A related record the reader may not open: its name and id are both withheld.
RECORD_RESTRICTED = "a restricted record"
RECORD_DELETED = "a deleted record"

# The flag that makes a record and everything under it restricted (Theme.restricted, and
# Report.restricted for a report embedding restricted content).
RESTRICTED_FLAG = "restricted"

# How many changes a record's page shows before offering the whole history (?history=all).
CHANGES_SHOWN = 20


@dataclass
class Change:
    field: str
    old: object
    new: object


@dataclass
class HistoryEntry:
    at: datetime | None
    who: str
    action: str
    reason: str
    changes: list[Change] = field(default_factory=list)
    # The single line standing for the versions this reader may not see.
    restricted: bool = False


class HistoryEntries(list):
    """The entries read for one reader, newest first; `earlier` when older changes exist beyond
    the limit (the page then offers the whole history)."""

    def __init__(self, entries=(), *, earlier=False):
        super().__init__(entries)
        self.earlier = earlier


@dataclass(frozen=True)
class RecordHistory:
    """A record's audit trail, not yet read: it has entries only for a reader (`read_by(user)`).

    Views hand this to `includes/history.html`, which reads it for the signed-in user, so no
    page can show the trail unscoped.
    """

    record: models.Model
    limit: int = CHANGES_SHOWN

    def __bool__(self):
        return True

    def read_by(self, user, *, everything=False):
        """The latest `limit` changes, or with `everything` the whole trail."""
        return readable_history(self.record, user, limit=None if everything else self.limit)


def history_for(record, limit=CHANGES_SHOWN):
    return RecordHistory(record, limit)


@cache
def history_model(model):
    """The model's audit-trail model (HistoricalDelivery for Delivery), looked up once: see
    versions_of."""
    return model.history.model


def versions_of(model, pk):
    """Every version of one record (what `record.history` reads).

    Read through the historical model itself: simple_history builds a new manager class, with
    `inspect.getmembers` over the queryset's methods, on every `record.history` access (a few
    tenths of a millisecond, a tenth of a session's page, issue 16).
    """
    return history_model(model)._default_manager.filter(**{model._meta.pk.attname: pk})


def readable_history(record, user, *, limit=50):
    """Newest first: when, who, what, and each field's old and new value, as `user` may see them.

    At most `limit` entries (None: all of them); the result's `earlier` says whether older
    versions were left out.
    """
    model = record._meta.model
    versions = (
        versions_of(model, record.pk)
        .select_related("history_user")
        .order_by("-history_date", "-history_id")
    )
    # One version beyond the limit: the oldest shown change is told against it.
    snapshots = list(versions if limit is None else versions[: limit + 1])
    hidden = (lambda snapshot: False) if can_see_restricted(user) else RestrictionTrail(model)
    names = ValueNames(user)
    entries = []
    for newer, older in zip(snapshots, snapshots[1:] + [None], strict=False):
        if hidden(newer):
            if not (entries and entries[-1].restricted):
                entries.append(
                    HistoryEntry(
                        at=None,
                        who="",
                        action=EARLIER_CHANGES_RESTRICTED,
                        reason="",
                        restricted=True,
                    )
                )
            continue
        changes = []
        if older is not None and newer.history_type == "~":
            older_hidden = hidden(older)
            delta = newer.diff_against(older, foreign_keys_are_objs=False)
            for change in delta.changes:
                model_field = model._meta.get_field(change.field)
                changes.append(
                    Change(
                        field=field_label(model_field),
                        old=VALUE_RESTRICTED
                        if older_hidden
                        else names.display(model_field, change.old),
                        new=names.display(model_field, change.new),
                    )
                )
        entries.append(
            HistoryEntry(
                at=newer.history_date,
                who=person_name(newer.history_user),
                action=ACTIONS.get(newer.history_type, newer.history_type),
                reason=newer.history_change_reason or "",
                changes=changes,
            )
        )
    earlier = limit is not None and len(snapshots) > limit
    return HistoryEntries(entries if limit is None else entries[:limit], earlier=earlier)


# --- Which versions were restricted -------------------------------------------------------------


def restriction_path(model):
    """The foreign keys from `model` to the record carrying its restricted flag, read from the
    model's own declaration (dps.visibility): [] for a theme, ["deliverable", "theme"] for a
    milestone, None when nothing restricts the model."""
    declared = getattr(model, "restricted_path", None)
    if declared is None:
        return None
    *path, flag = declared.split("__")
    assert flag == RESTRICTED_FLAG, f"{model.__name__}.restricted_path must end in the flag"
    return path


class RestrictionTrail:
    """`trail(snapshot)`: was this historical version of a record restricted when it was made?

    It follows the record's path to its theme as each link stood at that time (the related
    records' own history), and counts the theme restricted if it was then or is now: a theme
    since declassified, or since classified, keeps its covert past hidden either way.
    """

    def __init__(self, model):
        self.path = restriction_path(model)
        self.model = model
        self._history = {}

    def __call__(self, snapshot):
        if self.path is None:
            return False
        model, state, when = self.model, snapshot, snapshot.history_date
        for name in self.path:
            fk = model._meta.get_field(name)
            pk = getattr(state, fk.attname)
            if pk is None:
                return False  # e.g. an outcome with no theme
            model = fk.related_model
            state = self._state_at(model, pk, when)
            if state is None:
                return True  # the link is gone: assume the worst
        current = self._state_at(model, getattr(state, model._meta.pk.attname), None)
        return bool(getattr(state, RESTRICTED_FLAG) or getattr(current, RESTRICTED_FLAG, True))

    def _state_at(self, model, pk, when):
        """The record as it stood at `when` (its latest version by then), or as it is now."""
        key = (model, pk)
        if key not in self._history:
            versions = []
            if hasattr(model, "history"):
                versions = list(versions_of(model, pk))
            versions.sort(key=lambda version: version.history_date)
            current = model._base_manager.filter(pk=pk).first()
            self._history[key] = (versions, current)
        versions, current = self._history[key]
        if when is not None:
            earlier = [version for version in versions if version.history_date <= when]
            if earlier:
                return earlier[-1]
        return current


# --- How values read ----------------------------------------------------------------------------


def person_name(user):
    """Who made a change, as colleagues know them: "Sharon Hicks" (the username only for an
    account with no name)."""
    if user is None:
        return ""
    return user.get_full_name() or user.get_username()


def field_label(model_field):
    """The field's name as its form shows it: "MPS Area Commander" stays so (str.capitalize
    would make it "Mps area commander")."""
    label = str(model_field.verbose_name)
    return label[:1].upper() + label[1:]


def plain_value(value):
    """A stored value as words: dates as "17 Jan 2008", yes/no, lists joined, never a Python
    literal."""
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if isinstance(value, datetime):
        return date_format(localtime(value) if is_aware(value) else value, "j M Y H:i")
    if isinstance(value, date):
        return date_format(value, "j M Y")
    if isinstance(value, dict):
        return "; ".join(
            f"{key}: {plain_value(item)}" for key, item in value.items() if item not in (None, "")
        )
    if isinstance(value, list | tuple | set):
        return ", ".join(str(plain_value(item)) for item in value if item not in (None, ""))
    return value


def visible_records(model, user):
    """The related records this reader may see named. The reader may read the record whose
    history this is, so only the restriction applies to what it links to (its theme's name is
    on the record's own page too)."""
    records = model._default_manager.all()
    if isinstance(records, VisibleQuerySet):
        return records.within_clearance(user)
    return records


class ValueNames:
    """Turns raw history values into what a reader may see: names, labels, never ids."""

    def __init__(self, user):
        self.user = user
        self._names = {}

    def display(self, model_field, value):
        if value is None or value == "" or value == []:
            return None
        if model_field.many_to_many:
            return self._many(model_field, value)
        if model_field.is_relation:
            return self._name(model_field.related_model, value)
        if model_field.choices:
            return dict(model_field.flatchoices).get(value, value)
        if isinstance(model_field, models.DateTimeField) and isinstance(value, str):
            value = parse_datetime(value) or value
        elif isinstance(model_field, models.DateField) and isinstance(value, str):
            value = parse_date(value) or value
        return plain_value(value)

    def _many(self, model_field, rows):
        # simple-history gives the through table's rows; the far end is named by the field.
        target = model_field.m2m_reverse_field_name()
        names = sorted(self._name(model_field.related_model, row[target]) for row in rows)
        return ", ".join(names)

    def _name(self, model, pk):
        key = (model, pk)
        if key not in self._names:
            record = visible_records(model, self.user).filter(pk=pk).first()
            if record is not None:
                self._names[key] = str(record)
            elif model._base_manager.filter(pk=pk).exists():
                self._names[key] = RECORD_RESTRICTED
            else:
                self._names[key] = RECORD_DELETED
        return self._names[key]
