"""Each table gets its own columns (dps.table_columns), copied lightly: what one table changes
never reaches the class or another table."""

from presentations.models import Delivery
from presentations.tables import DeliveryTable


def test_a_tables_columns_are_its_own():
    first, second = DeliveryTable(Delivery.objects.none()), DeliveryTable(Delivery.objects.none())
    first.columns.hide("presenters")
    first.columns["attendees"].column.attrs["td"]["class"] = "changed"
    assert not first.columns["presenters"].visible
    assert second.columns["presenters"].visible
    assert DeliveryTable.base_columns["presenters"].visible
    assert second.columns["attendees"].column.attrs == {
        "td": {"class": "govuk-table__cell--numeric"}
    }
    assert DeliveryTable.base_columns["attendees"].attrs["td"]["class"] == (
        "govuk-table__cell--numeric"
    )
    assert first.columns["presenters"].column is not DeliveryTable.base_columns["presenters"]


def test_the_columns_are_those_declared_in_order():
    table = DeliveryTable(Delivery.objects.none())
    assert list(table.columns.columns) == list(DeliveryTable.Meta.fields)
    assert table.columns["delivered_on"].header == "Date"
    assert not table.columns["reference"].visible
