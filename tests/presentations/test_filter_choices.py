"""The log's filter drop-downs read both reference lists in one query, each sorted as before."""

import pytest

from dps.models import Borough, Product
from presentations.selectors import borough_choices, filter_choices, product_choices

pytestmark = pytest.mark.django_db


def test_both_lists_in_one_query_as_each_alone(django_assert_num_queries):
    # Names that sort differently by kind, by order and by name, so a wrong sort shows.
    Borough.objects.create(name="Aaa marine unit", kind="unit")
    Borough.objects.create(name="Zzz borough", kind="borough")
    Product.objects.create(name="Aaa last product", code="aaa-last", order=999)
    Product.objects.create(name="Zzz first product", code="zzz-first", order=0)
    with django_assert_num_queries(1):
        boroughs, products = filter_choices()
    assert boroughs == borough_choices()
    assert products == product_choices()
    assert products[-1][1] == "Aaa last product"
    assert {name for _, name in boroughs} == set(Borough.objects.values_list("name", flat=True))


def test_a_renamed_borough_shows_at_once():
    borough = Borough.objects.order_by("name").first()
    borough.name = "Renamed <borough>"
    borough.save()
    boroughs, _ = filter_choices()
    assert (borough.pk, "Renamed <borough>") in boroughs
