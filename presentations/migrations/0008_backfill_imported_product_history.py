"""Product history for sessions imported before it was recorded.

The figures as known on a date (presentations/asknown.py) count a session's product columns
from the products saved with its history version then (simple-history's m2m rows). Bulk saves
(`services.save_delivery_rows`: imports and the demo's sessions) wrote their versions with
`bulk_create_with_history`/`bulk_update_with_history` or an INSERT … SELECT, which write no m2m
rows; until `_record_products_history` was added (3 December 2026) every session imported had
versions with no products, so as known on any date it covered nothing, while today it does.

For each session with no product history at all, every version of it is given the products
the session has now: the only record there is of them. (A session re-imported with other
products before then is counted with its present products at every date; a session with any
product history, from a page edit or an import since, is left as recorded.)
"""

from django.db import migrations
from django.db.models import Exists, OuterRef

CHUNK = 2000


def backfill_product_history(apps, schema_editor):
    """Write the missing product rows; returns how many (for the tests; migrate ignores it)."""
    delivery = apps.get_model("presentations", "Delivery")
    versions = apps.get_model("presentations", "HistoricalDelivery")
    products_history = apps.get_model("presentations", "HistoricalDelivery_products")
    through = delivery.products.through
    without_history = (
        through.objects.filter(
            ~Exists(products_history.objects.filter(delivery_id=OuterRef("delivery_id")))
        )
        .order_by("delivery_id")
        .values_list("delivery_id", flat=True)
        .distinct()
    )
    session_ids = list(without_history)
    written = 0
    for start in range(0, len(session_ids), CHUNK):
        chunk = session_ids[start : start + CHUNK]
        products = {}
        for link_id, session_id, product_id in through.objects.filter(
            delivery_id__in=chunk
        ).values_list("id", "delivery_id", "product_id"):
            products.setdefault(session_id, []).append((link_id, product_id))
        rows = [
            products_history(
                id=link_id, delivery_id=session_id, product_id=product_id, history_id=history_id
            )
            for history_id, session_id in versions.objects.filter(id__in=chunk)
            .exclude(history_type="-")
            .values_list("history_id", "id")
            for link_id, product_id in products[session_id]
        ]
        products_history.objects.bulk_create(rows, batch_size=1000)
        written += len(rows)
    return written


class Migration(migrations.Migration):
    dependencies = [("presentations", "0007_delivery_search_index")]

    operations = [
        # Nothing to undo: the rows written are those a save would have written.
        migrations.RunPython(backfill_product_history, migrations.RunPython.noop, elidable=True)
    ]
