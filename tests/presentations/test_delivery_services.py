import datetime

import pytest

from dps.models import Product
from presentations import services
from presentations.choices import Occasion, Stream
from presentations.models import Delivery
from tests.factories import borough

pytestmark = pytest.mark.django_db


def values(**overrides):
    return {
        "delivered_on": datetime.date(2007, 3, 14),
        "borough": borough("Camden"),
        "stream": Stream.PSSP,
        "attendees": 20,
        "occasion": Occasion.MANDATORY_TRAINING,
        "presenters": "PS Example",
        **overrides,
    }


def products(*codes):
    return list(Product.objects.filter(code__in=codes))


def test_it_logs_a_session_entered_by_the_user_with_its_products(staff_user):
    delivery = services.delivery_create(
        user=staff_user, products=products("computer-misuse"), **values()
    )
    assert delivery.entered_by == staff_user
    assert list(delivery.products.values_list("code", flat=True)) == ["computer-misuse"]
    assert delivery.history.first().history_user == staff_user


def test_a_logged_session_has_one_created_version_holding_its_products(staff_user):
    from dps.audit import readable_history

    delivery = services.delivery_create(
        user=staff_user, products=products("computer-misuse", "taylor-reforms"), **values()
    )
    created = delivery.history.get()
    assert created.history_type == "+"
    assert created.history_user == staff_user
    assert created.history_change_reason is None
    assert created.attendees == 20 and created.presenters == "PS Example"
    assert sorted(row.product.code for row in created.products.all()) == [
        "computer-misuse",
        "taylor-reforms",
    ]
    assert [entry.action for entry in readable_history(delivery, staff_user)] == ["Created"]

    # A correction is told against that version: only what the correction changed.
    services.delivery_update(
        delivery=delivery, user=staff_user, products=products("computer-misuse"), attendees=25
    )
    changes = [
        change.field for entry in readable_history(delivery, staff_user) for change in entry.changes
    ]
    assert sorted(set(changes)) == ["Attendees", "Products covered"]


def test_a_civil_actions_session_always_covers_its_own_product(staff_user):
    delivery = services.delivery_create(user=staff_user, **values(stream=Stream.CIVIL_ACTIONS))
    assert list(delivery.products.values_list("code", flat=True)) == ["civil-actions"]


def test_a_correction_keeps_who_entered_the_session(staff_user, planner):
    delivery = services.delivery_create(user=staff_user, **values())
    services.delivery_update(
        delivery=delivery, user=planner, products=products("taylor-reforms"), attendees=30
    )
    delivery.refresh_from_db()
    assert delivery.attendees == 30
    assert delivery.entered_by == staff_user
    assert list(delivery.products.values_list("code", flat=True)) == ["taylor-reforms"]
    assert delivery.history.first().history_user == planner


def test_a_deleted_session_stays_in_the_audit_trail_with_who_deleted_it(staff_user):
    delivery = services.delivery_create(user=staff_user, **values())
    pk = delivery.pk
    services.delivery_delete(delivery=delivery, user=staff_user)
    assert not Delivery.objects.filter(pk=pk).exists()
    removal = Delivery.history.filter(id=pk).first()
    assert removal.history_type == "-"
    assert removal.history_user == staff_user
