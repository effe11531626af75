"""Three-way merge of a record edit that lost the race: nobody's saved change is undone.

When a save is refused because someone else saved first, each field has three values: as the
form was opened (base), as they saved it (theirs) and as this user sent it (yours).

- only they changed it: theirs (the stale value you were shown is not written back);
- only you changed it, or you both made the same change: yours;
- you both changed it, differently: a conflict, shown side by side for you to choose.

Values are compared in the form the browser sends them (dates as ISO dates, records as ids,
several choices as a sorted list, text with its line endings made one and trimmed), so an
untouched field compares equal whatever the widget sent.

The base values travel with the form in a hidden field signed with `django.core.signing`, with
the version opened and the fields still to be chosen: a forged or edited one is not honoured.
"""

import datetime
from dataclasses import dataclass

from django import forms
from django.core import signing

SALT = "dps.merge.opened-form"
# Fields of an edit form that are not the record's own values.
NOT_MERGED = ("version", "reason", "opened")
THEIRS, YOURS = "theirs", "yours"


def canonical(value):
    """One spelling of a form value, whether it came from the record or from a POST."""
    if value is None or value is False:
        return ""
    if value is True:
        return "on"
    if isinstance(value, list | tuple | set):
        return sorted(canonical(item) for item in value if canonical(item) != "")
    if isinstance(value, datetime.date):
        return value.isoformat()
    if hasattr(value, "pk"):
        return str(value.pk)
    return str(value).replace("\r\n", "\n").replace("\r", "\n").strip()


def merged_fields(form):
    return [name for name in form.fields if name not in NOT_MERGED]


def record_values(form):
    """The values an unbound form shows for its record, canonical."""
    return {
        name: canonical(form.fields[name].prepare_value(form[name].value()))
        for name in merged_fields(form)
    }


def submitted_values(form):
    """The values a bound form was sent, canonical (as its widgets read the POST)."""
    return {name: canonical(_typed(form, name)) for name in merged_fields(form)}


def _typed(form, name):
    # A date may be typed as 17/1/2008 or sent as 2008-01-17: read as the field reads it, so
    # the same day compares equal however it was written. Text that is not a date stays as sent.
    field, sent = form.fields[name], form[name].data
    if isinstance(field, forms.DateField):
        try:
            return field.to_python(sent) or sent
        except forms.ValidationError:
            return sent
    return sent


@dataclass(frozen=True)
class Opened:
    """The form as it was opened: the record's version then and its values (None if unknown),
    and the fields a conflict page left for the user to choose."""

    version: int
    values: dict | None
    to_choose: tuple = ()


def sign_opened(record, version, values, to_choose=()):
    return signing.dumps(
        {
            "record": f"{record._meta.label}:{record.pk}",
            "version": version,
            "values": values,
            "choose": list(to_choose),
        },
        salt=SALT,
        compress=True,
    )


def read_opened(token, record):
    """The signed state of the form, or None if absent, forged or for another record."""
    if not token:
        return None
    try:
        state = signing.loads(token, salt=SALT)
    except signing.BadSignature:
        return None
    if not isinstance(state, dict) or state.get("record") != f"{record._meta.label}:{record.pk}":
        return None
    try:
        version = int(state["version"])
    except (KeyError, TypeError, ValueError):
        return None
    values = state.get("values")
    to_choose = state.get("choose") or []
    return Opened(
        version,
        values if isinstance(values, dict) else None,
        tuple(name for name in to_choose if isinstance(name, str)),
    )


@dataclass(frozen=True)
class FieldMerge:
    name: str
    base: object
    theirs: object
    yours: object

    @property
    def they_changed(self):
        return self.base is None or self.theirs != self.base

    @property
    def you_changed(self):
        return self.base is None or self.yours != self.base

    @property
    def conflicting(self):
        return self.they_changed and self.you_changed and self.theirs != self.yours

    @property
    def outcome(self):
        """Whose value the merged form holds: theirs, yours, or None for a conflict. (When you
        both made the same change the two are one value: theirs.)"""
        if self.conflicting:
            return None
        if self.you_changed and not self.they_changed:
            return YOURS
        return THEIRS


def three_way(base, theirs, yours):
    """Field by field. `base` None (the opened values are unknown) makes every difference
    between theirs and yours a conflict: nothing is assumed about who changed what."""
    return [
        FieldMerge(name, None if base is None else base.get(name), theirs[name], yours.get(name))
        for name in theirs
    ]


def as_post_value(field, canonical_value):
    """A canonical value back into what the field's widget reads from a POST."""
    if isinstance(field.widget, forms.CheckboxInput):
        return canonical_value == "on"
    return canonical_value


def put(data, field, name, canonical_value):
    """Set field `name` in the mutable QueryDict `data` to `canonical_value`."""
    value = as_post_value(field, canonical_value)
    if isinstance(value, list):
        data.setlist(name, value)
    elif value is False:
        data.pop(name, None)
    elif value is True:
        data[name] = "on"
    else:
        data[name] = value
