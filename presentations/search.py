"""What the search finds in the delivery log (registered by PresentationsConfig.ready)."""

from django.urls import reverse

from dps.search import SearchKind, register
from presentations.models import Delivery


def register_kinds():
    register(
        SearchKind(
            key="sessions",
            label="Delivery sessions",
            model=Delivery,
            fields=("presenters", "notes"),
            title=str,
            url=lambda row: reverse("presentations:delivery-detail", args=[row.pk]),
            order=70,
            related=("borough",),
            vector_field="search_vector",
        )
    )
