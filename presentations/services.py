"""Writes to the delivery log. Every write keeps its audit trail (django-simple-history)."""

from dataclasses import dataclass, field

from django.db import connection, transaction
from django.db.models import Max
from django.utils import timezone
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from dps.audit import history_model
from dps.models import Product
from presentations import stats
from presentations.choices import STREAM_OWN_PRODUCT
from presentations.models import Delivery, note_months_changed

BATCH_SIZE = 2000
# Up to this many new sessions go through simple_history's bulk_create_with_history; above it,
# the audit rows are copied in the database (same rows, far less Python per row).
FAST_PATH_FROM = 1000
# Fields a bulk import or the demo sets; the rest keep their values on an update.
ROW_FIELDS = (
    "delivered_on",
    "borough_id",
    "stream",
    "attendees",
    "occasion",
    "presenters",
    "staff_associations_briefed",
    "feedback_very_satisfied",
    "feedback_satisfied",
    "feedback_neutral",
    "feedback_dissatisfied",
    "feedback_very_dissatisfied",
)


def products_for_stream(stream, product_ids, own_product_ids):
    """Civil-actions and accident-claims sessions always cover their own product."""
    own = STREAM_OWN_PRODUCT.get(stream)
    ids = set(product_ids)
    if own:
        ids.add(own_product_ids[own])
    return ids


def own_product_ids():
    return dict(
        Product.objects.filter(code__in=STREAM_OWN_PRODUCT.values()).values_list("code", "id")
    )


@dataclass
class DeliveryRow:
    """One session to write in bulk: validated values, borough as id, products as codes."""

    delivered_on: object
    borough_id: int
    stream: str
    attendees: int
    occasion: str
    presenters: str
    products: list = field(default_factory=list)
    reference: str | None = None
    staff_associations_briefed: bool | None = None
    feedback: dict = field(default_factory=dict)
    entered_by: object = None

    def values(self):
        values = {
            "delivered_on": self.delivered_on,
            "borough_id": self.borough_id,
            "stream": self.stream,
            "attendees": self.attendees,
            "occasion": self.occasion,
            "presenters": self.presenters,
            "staff_associations_briefed": self.staff_associations_briefed,
        }
        for name in ROW_FIELDS:
            if name.startswith("feedback_"):
                values[name] = self.feedback.get(name, 0)
        return values


def _record_created_history(ids, user, reason):
    """The "created" audit rows for sessions just inserted, copied inside the database.

    They are the rows simple_history's bulk_create_with_history writes (every field, plus
    history date, user, reason and type "+"), but built by INSERT … SELECT rather than one
    Python object per row, which keeps a 100,000-row import well under a minute.
    """
    history = history_model(Delivery)
    quote = connection.ops.quote_name
    live_columns = {field.column for field in Delivery._meta.concrete_fields}
    copied = [
        quote(field.column)
        for field in history._meta.concrete_fields
        if field.column in live_columns
    ]
    now = connection.ops.adapt_datetimefield_value(timezone.now())
    user_id = user.pk if user is not None else None
    with connection.cursor() as cursor:
        for chunk in _chunks(ids, 5000):
            placeholders = ", ".join(["%s"] * len(chunk))
            cursor.execute(
                f"INSERT INTO {quote(history._meta.db_table)} ({', '.join(copied)}, "  # noqa: S608 - names from the model, values as parameters
                f"{quote('history_date')}, {quote('history_change_reason')}, "
                f"{quote('history_type')}, {quote('history_user_id')}) "
                f"SELECT {', '.join(copied)}, %s, %s, %s, %s "
                f"FROM {quote(Delivery._meta.db_table)} WHERE {quote('id')} IN ({placeholders})",
                [now, reason, "+", user_id, *chunk],
            )


def _insert_products(pairs):
    """(delivery id, product id) rows for the M2M table, without a model object per row.

    Multi-row VALUES, a thousand rows a statement: executemany would be one round trip per row.
    """
    through = Delivery.products.through
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        for chunk in _chunks(pairs, 1000):
            values = ", ".join(["(%s, %s)"] * len(chunk))
            cursor.execute(
                f"INSERT INTO {quote(through._meta.db_table)} "  # noqa: S608 - names from the model
                f"({quote('delivery_id')}, {quote('product_id')}) VALUES {values}",
                [value for pair in chunk for value in pair],
            )


def _record_products_history(history_mark, ids):
    """The products each history version just written was saved with, as save() records them
    (simple-history's m2m_fields): bulk writes bypass it, and without these rows the figures as
    known on a date (presentations.asknown) would count an imported session as covering nothing.
    """
    history = history_model(Delivery)
    products_history = history._meta.get_field("historicaldelivery_products").related_model
    through = Delivery.products.through
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        for chunk in _chunks(ids, 5000):
            placeholders = ", ".join(["%s"] * len(chunk))
            cursor.execute(
                f"INSERT INTO {quote(products_history._meta.db_table)} "  # noqa: S608 - names from the models, values as parameters
                f"({quote('id')}, {quote('delivery_id')}, {quote('product_id')}, "
                f"{quote('history_id')}) "
                f"SELECT t.{quote('id')}, t.{quote('delivery_id')}, t.{quote('product_id')}, "
                f"h.{quote('history_id')} "
                f"FROM {quote(through._meta.db_table)} t "
                f"JOIN {quote(history._meta.db_table)} h "
                f"ON h.{quote('id')} = t.{quote('delivery_id')} "
                f"WHERE h.{quote('history_id')} > %s AND h.{quote('id')} IN ({placeholders})",
                [history_mark, *chunk],
            )


def _chunks(items, size):
    for start in range(0, len(items), size):
        yield items[start : start + size]


@transaction.atomic
def save_delivery_rows(rows, *, entered_by=None, reason="Imported"):
    """Create or update sessions in bulk; rows whose `reference` exists update that session.

    Only sessions that actually differ are written, so saving the same rows twice changes
    nothing (not even the audit trail). Returns (created, updated, unchanged) counts.
    """
    product_ids = dict(Product.objects.values_list("code", "id"))
    own_ids = {code: product_ids[code] for code in STREAM_OWN_PRODUCT.values()}
    wanted_products = {}
    references = [row.reference for row in rows if row.reference]
    existing = {}
    for chunk in _chunks(references, 900):
        existing.update(
            (delivery.reference, delivery)
            for delivery in Delivery.objects.filter(reference__in=chunk).order_by()
        )
    current_products = {}
    existing_ids = [delivery.pk for delivery in existing.values()]
    through = Delivery.products.through
    for chunk in _chunks(existing_ids, 900):
        for delivery_id, product_id in through.objects.filter(delivery_id__in=chunk).values_list(
            "delivery_id", "product_id"
        ):
            current_products.setdefault(delivery_id, set()).add(product_id)

    to_create, to_update, unchanged = [], [], 0
    # Bulk writes bypass save(): the months they touch (and any a session moves out of) are
    # noted here, in the same transaction, so the stored statistics recount them.
    months_touched = []
    for row in rows:
        products = products_for_stream(
            row.stream, [product_ids[code] for code in row.products], own_ids
        )
        delivery = existing.get(row.reference) if row.reference else None
        values = row.values()
        if delivery is None:
            delivery = Delivery(
                reference=row.reference or None, entered_by=row.entered_by or entered_by, **values
            )
            delivery._history_user = row.entered_by or entered_by
            to_create.append(delivery)
            months_touched.append(delivery.delivered_on)
            wanted_products[id(delivery)] = (delivery, products)
            continue
        changed = [name for name, value in values.items() if getattr(delivery, name) != value]
        products_changed = current_products.get(delivery.pk, set()) != products
        if not changed and not products_changed:
            unchanged += 1
            continue
        months_touched += [delivery.delivered_on, values["delivered_on"]]
        for name in changed:
            setattr(delivery, name, values[name])
        delivery._history_user = entered_by
        to_update.append(delivery)
        wanted_products[id(delivery)] = (delivery, products)

    # The history versions written below are those after this one (for their products).
    history_mark = Delivery.history.aggregate(last=Max("history_id"))["last"] or 0
    if to_create:
        if len(to_create) <= FAST_PATH_FROM:
            bulk_create_with_history(
                to_create,
                Delivery,
                batch_size=BATCH_SIZE,
                default_user=entered_by,
                default_change_reason=reason,
            )
        else:
            Delivery.objects.bulk_create(to_create, batch_size=BATCH_SIZE)
            _record_created_history([delivery.pk for delivery in to_create], entered_by, reason)
    if to_update:
        bulk_update_with_history(
            to_update,
            Delivery,
            list(ROW_FIELDS),
            batch_size=BATCH_SIZE,
            default_user=entered_by,
            default_change_reason=reason,
        )
        for chunk in _chunks([delivery.pk for delivery in to_update], 900):
            through.objects.filter(delivery_id__in=chunk).delete()
    _insert_products(
        [
            (delivery.pk, product_id)
            for delivery, products in wanted_products.values()
            for product_id in sorted(products)
        ]
    )
    _record_products_history(
        history_mark, [delivery.pk for delivery, _ in wanted_products.values()]
    )
    note_months_changed(months_touched)
    return len(to_create), len(to_update), unchanged


@transaction.atomic
def delivery_create(*, user, products=(), **values):
    """Log one session entered by `user`, with the products it covered.

    Its audit trail starts with one "created" version holding the products, as an import
    writes it: saving and then adding the products through simple_history would write a second
    version straight after the first, "changed" from no products to these, shown on the
    session's page as a change nobody made (and read back there at three queries more).
    """
    delivery = Delivery(entered_by=user, **values)
    delivery.skip_history_when_saving = True
    # Its month's stored statistics stay current, this session added (not counted again).
    with stats.adding_sessions([delivery.delivered_on]) as added:
        try:
            delivery.save()
        finally:
            del delivery.skip_history_when_saving
        # Its products are written as an import writes them: a new session has none to read and
        # compare first, and its month needs no further version bump (products.add() would do
        # both through m2m_changed: two statements more on every session logged, issue 16).
        ids = _products_with_own(delivery.stream, products)
        _insert_products([(delivery.pk, product_id) for product_id in sorted(ids)])
        added.append(delivery.pk)
    _record_created_history([delivery.pk], user, reason=None)
    # Every version of a session this new is the one just written: no mark needed.
    _record_products_history(0, [delivery.pk])
    return delivery


@transaction.atomic
def delivery_update(*, delivery, user, products=(), **values):
    """Correct a session: the values given replace the saved ones; who entered it stays."""
    for name, value in values.items():
        setattr(delivery, name, value)
    delivery._history_user = user
    delivery.save()
    _set_products(delivery, products)
    return delivery


@transaction.atomic
def delivery_delete(*, delivery, user):
    """Remove a session logged by mistake; the audit trail keeps it, with who removed it."""
    delivery._history_user = user
    delivery.delete()


def _products_with_own(stream, products):
    """The ids of the products chosen, and the stream's own product if it has one."""
    # The own products are looked up only for the streams that have one.
    own = own_product_ids() if stream in STREAM_OWN_PRODUCT else {}
    return products_for_stream(stream, {product.pk for product in products}, own)


def _set_products(delivery, products):
    delivery.products.set(_products_with_own(delivery.stream, products))
