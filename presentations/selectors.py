"""Reads of the delivery log shared by the list page and its exports."""

import functools

from django.db.models import Aggregate, CharField, F, IntegerField, OuterRef, Subquery, Value
from django.db.models.query import ModelIterable

from dps.compiled import CompiledQuery
from dps.models import Borough, Product
from presentations.models import Delivery, DeliveryQuerySet


class ProductNames(Aggregate):
    """The product names of one session as text, '; '-separated (one query for a whole page,
    where prefetching would cost another round trip)."""

    function = "GROUP_CONCAT"
    template = "%(function)s(%(expressions)s, '; ')"
    output_field = CharField()

    def as_postgresql(self, compiler, connection, **extra_context):
        return self.as_sql(
            compiler,
            connection,
            function="STRING_AGG",
            template="%(function)s(%(expressions)s, '; ' ORDER BY %(expressions)s)",
            **extra_context,
        )


class LogPageQuerySet(DeliveryQuerySet):
    """Slicing picks the page's ids first (an index-only walk past the skipped rows), then
    reads just those rows with their joins and product codes, in the same single query.

    A plain OFFSET would join and compute the product codes for every skipped row too, which
    makes page 1,000 of a million-row log take half a second instead of milliseconds.
    """

    def __getitem__(self, key):
        if not isinstance(key, slice) or self._iterable_class is not ModelIterable:
            return super().__getitem__(key)
        page_ids = self.values("pk")[key]
        return self.filter(pk__in=page_ids)


# What each row of the log table (and its export) shows, and nothing else: the session's notes,
# search vector, timestamps and feedback, the borough's codes and the user's password hash were
# read, sent and turned into Python on every page for no cell (issue 16).
LOG_ROW_FIELDS = (
    "delivered_on",
    "stream",
    "attendees",
    "occasion",
    "presenters",
    "reference",
    "borough__name",
    "entered_by__username",
)


@functools.cache
def _product_names():
    """Each session's product names, as one correlated subquery. Built once per process: an
    expression is copied, never changed, when a queryset takes it (QuerySet.annotate resolves a
    copy), and building it cost more than a third of log_rows on every page (issue 16)."""
    return Subquery(
        Delivery.products.through.objects.filter(delivery_id=OuterRef("pk"))
        .order_by()
        .values("delivery_id")
        .annotate(names=ProductNames("product__name"))
        .values("names")
    )


def log_rows(user):
    """The log as this user may see it, with what each row of the table shows."""
    rows = (
        Delivery.objects.visible_to(user)
        .select_related("borough", "entered_by")
        .only(*LOG_ROW_FIELDS)
        .annotate(product_names=_product_names())
    )
    return LogPageQuerySet(model=Delivery, query=rows.query)


def borough_choices():
    return list(Borough.objects.order_by("kind", "name").values_list("id", "name"))


def product_choices():
    return list(Product.objects.order_by("order", "name").values_list("id", "name"))


BOROUGHS, PRODUCTS = 1, 2


def _filter_choices_query():
    def listed(model, which, by_text, by_number):
        return (
            model.objects.order_by()  # sorted once, below: not inside the UNION
            .annotate(
                which=Value(which, output_field=IntegerField()),
                by_text=by_text,
                by_number=by_number,
            )
            .values_list("which", "by_text", "by_number", "id", "name")
        )

    return (
        listed(Borough, BOROUGHS, F("kind"), Value(0, output_field=IntegerField()))
        .union(listed(Product, PRODUCTS, Value("", output_field=CharField()), F("order")), all=True)
        .order_by("which", "by_text", "by_number", "name")
    )


# Compiled once per process (dps.compiled): building and compiling the UNION with the ORM cost
# about ten times running it, on every log page (issue 16). The rows are read on every call, so
# new or renamed boroughs and products show at once.
_FILTER_CHOICES = CompiledQuery(_filter_choices_query)


def filter_choices():
    """(borough_choices(), product_choices()) in one query rather than two: the log's filters
    read both on every page (issue 16). Each list is sorted as those functions sort it: boroughs
    by kind then name, products by their order then name."""
    rows = _FILTER_CHOICES.rows()
    boroughs, products = [], []
    for which, _, _, pk, name in rows:
        (boroughs if which == BOROUGHS else products).append((pk, name))
    return boroughs, products
