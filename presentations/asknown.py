"""Delivery figures as known on a date: what the committee could have been told then.

Sessions are logged late and corrected, so a month's figures move after the month ends. Every
write to a session is kept by django-simple-history (`Delivery.history`), so the log as it stood
at the end of a day is, for each session, its latest version written by then, unless that version
is its deletion. The three monthly tables are counted from those versions by the same code that
counts them from the live log (`presentations.stats.count_months`), so the two agree cell by cell
on a day after which nothing changed.

Reading the history is the same as reading the log: the delivery log's read permission
(`dps.visibility.read_permission`), and nothing else, since no session is ever restricted.
"""

import datetime

from django.db.models import Exists, OuterRef, Subquery
from django.utils import timezone

from dps.visibility import read_permission
from presentations import stats
from presentations.models import Delivery

HistoricalDelivery = Delivery.history.model
# The products each version was saved with (simple-history's m2m_fields): one row per product.
HistoricalDeliveryProducts = HistoricalDelivery._meta.get_field(
    "historicaldelivery_products"
).related_model


def _history_visible_to(user):
    """The session versions this user may read: what `Delivery.objects.visible_to(user)` gives
    for the live log (nothing without the read permission), applied to the history."""
    # A session that could be restricted would need its clearance applied here too.
    assert getattr(Delivery, "restricted_path", None) is None, "scope the history by clearance"
    versions = HistoricalDelivery.objects.all()
    if not user.is_authenticated or not user.has_perm(read_permission(Delivery)):
        return versions.none()
    return versions


def end_of_day(day):
    """The first moment after `day` ends, in the service's time zone (London)."""
    return timezone.make_aware(
        datetime.datetime.combine(day + datetime.timedelta(days=1), datetime.time.min)
    )


def sessions_as_known(user, known_on):
    """Each session's latest version written by the end of `known_on`, leaving out sessions
    whose latest version by then is their deletion (and those not yet logged)."""
    before = end_of_day(known_on)
    versions = _history_visible_to(user).filter(history_date__lt=before)
    latest = (
        HistoricalDelivery.objects.filter(id=OuterRef("id"), history_date__lt=before)
        .order_by("-history_date", "-history_id")
        .values("history_id")[:1]
    )
    return versions.filter(history_id=Subquery(latest)).exclude(history_type="-")


def _covered_then(product_id):
    """The version covered this product: its products as saved with that version."""
    return Exists(
        HistoricalDeliveryProducts.objects.filter(history_id=OuterRef("pk"), product_id=product_id)
    )


def monthly_tables_as_known(user, start, end, known_on):
    """The three monthly tables for `start`..`end` as the log stood at the end of `known_on`,
    in the same shape as `stats.monthly_tables` (so the same template renders them)."""
    in_period = (
        sessions_as_known(user, known_on)
        .filter(delivered_on__gte=start, delivered_on__lte=end)
        .order_by()
    )
    tables = stats.tables_from_month_figures(
        stats.count_months(in_period, covers=_covered_then), start, end
    )
    tables["known_on"] = known_on.isoformat()
    return tables
