"""Every record type's history reads as words: labels, names, choice labels, dates, never ids or
Python literals.

For every model kept with django-simple-history, a record of the demo data is changed field by
field (each foreign key to another record, each choice to another choice, dates, numbers, yes/no,
many-to-many sets), and the history include every record page uses is rendered for a cleared and
an uncleared planning manager.
"""

import datetime
import decimal
import re

import pytest
from django.core.management import call_command
from django.db import models, transaction
from django.template.loader import render_to_string
from django.test import RequestFactory, override_settings
from django.utils import timezone
from simple_history.models import registered_models

from dps.audit import RECORD_DELETED, RECORD_RESTRICTED, field_label, history_for, readable_history

pytestmark = pytest.mark.django_db

PYTHON_LITERALS = re.compile(r"\[\{|\{'|'\}|\[\d|datetime\.|Decimal\(|UUID\(")
WITHHELD = {RECORD_RESTRICTED, RECORD_DELETED, "(restricted)", None}


def historical_models():
    # registered_models also holds the many-to-many through tables, kept as part of their owner.
    return sorted(
        {
            model
            for model in registered_models.values()
            if not model._meta.abstract and hasattr(model, "history")
        },
        key=lambda model: model._meta.label,
    )


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    """The demo data, loaded once for the module and rolled back after it."""
    with django_db_blocker.unblock(), override_settings(EMBEDDED=True):
        outer = transaction.atomic()
        outer.__enter__()
        try:
            call_command("load_demo", verbosity=0)
            yield
        finally:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)


def _other_value(record, model_field):
    """A different, valid-looking value for one field, or `skip`."""
    current = getattr(record, model_field.attname)
    if model_field.choices:
        others = [value for value, _ in model_field.flatchoices if value not in (current, "")]
        return others[0] if others else skip
    if model_field.is_relation:
        related = model_field.related_model._base_manager.exclude(pk=current).order_by("pk")
        other = related.first()
        if other is not None:
            return other.pk
        return None if model_field.null else skip
    if isinstance(model_field, models.BooleanField):
        return not current if current is not None else True
    if isinstance(model_field, models.DateTimeField):
        return timezone.now()
    if isinstance(model_field, models.DateField):
        return (current or datetime.date(2008, 1, 17)) + datetime.timedelta(days=3)
    if isinstance(model_field, models.DecimalField):
        return (current or decimal.Decimal(0)) + 1
    if isinstance(model_field, models.IntegerField):
        return (current or 0) + 1
    if isinstance(model_field, models.CharField | models.TextField):
        limit = model_field.max_length or 200
        return ((current or "") + " changed")[-limit:]
    return skip


skip = object()


def _change_every_field(record):
    model = type(record)
    for model_field in model._meta.concrete_fields:
        if model_field.primary_key or not model_field.editable:
            continue
        if isinstance(model_field, models.FileField | models.JSONField):
            continue
        value = _other_value(record, model_field)
        if value is skip:
            continue
        try:
            with transaction.atomic():
                setattr(record, model_field.attname, value)
                record.save()
        except Exception:  # a value the model's own rules refuse: try the next field
            record.refresh_from_db()
    for model_field in model._meta.many_to_many:
        if not model_field.editable:
            continue
        manager = getattr(record, model_field.name)
        current = set(manager.values_list("pk", flat=True))
        others = model_field.related_model._base_manager.exclude(pk__in=current)[:2]
        try:
            with transaction.atomic():
                manager.set(list(others))
                record.save()
        except Exception:
            record.refresh_from_db()


def _render(record, user):
    request = RequestFactory().get("/")
    request.user = user
    return render_to_string("includes/history.html", {"history": history_for(record)}, request)


@pytest.mark.parametrize("model", historical_models(), ids=lambda model: model._meta.label)
def test_every_record_types_history_reads_as_words(demo, model, cleared_planner, planner):
    record = model._base_manager.order_by("pk").first()
    assert record is not None, f"the demo data has no {model._meta.label}: add one"
    _change_every_field(record)
    labels = {
        field_label(model_field)
        for model_field in model._meta.get_fields()
        if hasattr(model_field, "verbose_name")
    }
    for reader in (cleared_planner, planner):
        entries = readable_history(record, reader)
        changes = [change for entry in entries for change in entry.changes]
        if reader is cleared_planner:
            assert changes, f"{model._meta.label}: no change recorded"
        for change in changes:
            assert change.field in labels, change.field
            model_field = next(
                f
                for f in model._meta.get_fields()
                if hasattr(f, "verbose_name") and field_label(f) == change.field
            )
            for value in (change.old, change.new):
                if value in WITHHELD:
                    continue
                text = str(value)
                assert text not in ("None", "True", "False"), f"{change.field}: {text}"
                assert not text.startswith(("[", "{", "(")), f"{change.field}: {text}"
                if model_field.is_relation:
                    assert not re.fullmatch(r"[\d, ]+", text), f"{change.field}: id {text}"
                if model_field.choices:
                    assert text in {str(label) for _, label in model_field.flatchoices}, text
                if isinstance(model_field, models.DateField):
                    assert not re.search(r"\d{4}-\d{2}-\d{2}", text), f"{change.field}: {text}"
        page = _render(record, reader)
        cells = " ".join(re.findall(r"<li>(.*?)</li>", page, flags=re.S))
        found = PYTHON_LITERALS.search(cells)
        assert not found, f"{model._meta.label}: {cells[max(0, found.start() - 200) :][:300]}"


def test_a_field_label_keeps_its_capitals():
    from pssp.models import BoroughReport

    assert field_label(BoroughReport._meta.get_field("area_commander")) == "MPS Area Commander"
