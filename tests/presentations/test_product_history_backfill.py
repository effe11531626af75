"""The data migration that gives sessions imported before product history was recorded their
products in every version (presentations/migrations/0008), called directly on rows made here."""

import datetime
import importlib
from contextlib import contextmanager

import pytest
from django.apps import apps
from django.db.models import Max
from django.utils import timezone

from dps.models import Borough
from presentations import asknown, services
from presentations.choices import Stream
from presentations.models import Delivery

pytestmark = pytest.mark.django_db

backfill = importlib.import_module(
    "presentations.migrations.0008_backfill_imported_product_history"
).backfill_product_history

YEAR = (datetime.date(2007, 1, 1), datetime.date(2007, 12, 31))
KNOWN_ON = datetime.date(2007, 6, 30)


@contextmanager
def written_on(day):
    mark = Delivery.history.aggregate(last=Max("history_id"))["last"] or 0
    yield
    when = timezone.make_aware(datetime.datetime.combine(day, datetime.time(12)))
    Delivery.history.filter(history_id__gt=mark).update(history_date=when)


def row(reference, attendees, products, stream=Stream.PSSP):
    return services.DeliveryRow(
        delivered_on=datetime.date(2007, 3, 5),
        borough_id=Borough.objects.get(name="Camden").pk,
        stream=stream,
        attendees=attendees,
        occasion="other",
        presenters="PS Example",
        products=products,
        reference=reference,
    )


def product_rows(session):
    return asknown.HistoricalDeliveryProducts.objects.filter(delivery_id=session.pk)


def as_before_product_history(*sessions):
    """Imported as before 3 December 2026: the versions were written with no product rows."""
    product_rows_of = asknown.HistoricalDeliveryProducts.objects.filter(
        delivery_id__in=[s.pk for s in sessions]
    )
    product_rows_of.delete()


def versions_products(session):
    """Each version's products, oldest first."""
    return [
        sorted(
            asknown.HistoricalDeliveryProducts.objects.filter(
                history_id=version.history_id
            ).values_list("product__code", flat=True)
        )
        for version in Delivery.history.filter(id=session.pk).order_by("history_id")
    ]


@pytest.fixture
def imported(db):
    """`old`: imported in April 2007 and re-imported in May, before product history was kept;
    `bare`: imported then with no products; `edited`: imported then, its products since changed
    on the page (so it has product history of its own)."""
    with written_on(datetime.date(2007, 4, 2)):
        services.save_delivery_rows(
            [row("old", 30, ["computer-misuse"]), row("bare", 5, []), row("edited", 8, [])]
        )
    with written_on(datetime.date(2007, 5, 2)):
        services.save_delivery_rows([row("old", 31, ["computer-misuse"])])
    sessions = {s.reference: s for s in Delivery.objects.filter(reference__isnull=False)}
    as_before_product_history(*sessions.values())
    with written_on(datetime.date(2007, 9, 1)):
        services.delivery_update(
            delivery=sessions["edited"],
            user=None,
            products=list(apps.get_model("dps", "Product").objects.filter(code="computer-misuse")),
        )
    return sessions


def test_every_version_of_a_session_without_product_history_gets_its_products(staff_user, imported):
    old = imported["old"]
    assert versions_products(old) == [[], []]
    written = backfill(apps, None)
    assert versions_products(old) == [["computer-misuse"], ["computer-misuse"]]
    assert written == 2
    rows = product_rows(old)
    link = Delivery.products.through.objects.get(delivery=old)
    assert {(r.id, r.product_id) for r in rows} == {(link.id, link.product_id)}


def test_the_figures_as_known_count_the_products_after_it(staff_user, imported):
    before = asknown.monthly_tables_as_known(staff_user, *YEAR, KNOWN_ON)
    backfill(apps, None)
    after = asknown.monthly_tables_as_known(staff_user, *YEAR, KNOWN_ON)
    march = {
        name: next(r for r in tables["presentations"] if r["month"] == "2007-03")
        for name, tables in (("before", before), ("after", after))
    }
    # `old` (31 people, the May re-import) covered computer misuse; `edited` did not then.
    assert march["before"]["attending_computer_misuse"] == 0
    assert march["after"]["attending_computer_misuse"] == 31
    assert march["after"]["pssp_attendees"] == march["before"]["pssp_attendees"] == 44


def test_sessions_with_product_history_or_no_products_are_left_alone(staff_user, imported):
    edited, bare = imported["edited"], imported["bare"]
    edited_before = versions_products(edited)
    assert edited_before[0] == []  # the import's version: honestly unknown, left so
    assert ["computer-misuse"] in edited_before
    backfill(apps, None)
    assert versions_products(edited) == edited_before
    assert versions_products(bare) == [[]]


def test_running_it_again_writes_nothing(imported):
    assert backfill(apps, None) == 2
    assert backfill(apps, None) == 0


def test_a_deleted_session_is_not_given_products(staff_user, imported):
    old = imported["old"]
    services.delivery_delete(delivery=old, user=staff_user)
    assert backfill(apps, None) == 0
