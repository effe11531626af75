"""Reads of the delivery log shared by the list page and its exports."""

from django.db.models import Aggregate, CharField, OuterRef, Subquery

from presentations.models import Delivery
from pssp.models import Borough, Product


class ProductCodes(Aggregate):
    """The product codes of one session as text, '; '-separated (one query for a whole page,
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


def log_rows(user):
    """The log as this user may see it, with what each row of the table shows."""
    codes = (
        Delivery.products.through.objects.filter(delivery_id=OuterRef("pk"))
        .order_by()
        .values("delivery_id")
        .annotate(codes=ProductCodes("product__code"))
        .values("codes")
    )
    return (
        Delivery.objects.visible_to(user)
        .select_related("borough", "entered_by")
        .annotate(product_codes=Subquery(codes))
    )


def borough_choices():
    return list(Borough.objects.order_by("kind", "name").values_list("id", "name"))


def product_choices():
    return list(Product.objects.order_by("order", "name").values_list("id", "name"))
