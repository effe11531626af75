import datetime

import pytest

from presentations.choices import Stream
from tests.factories import DeliveryFactory, borough


@pytest.fixture
def many_deliveries(staff_user, other_staff_user):
    """Enough sessions, with products, that an N+1 query on any page would show."""

    def make(count, start=0):
        boroughs = ["Camden", "Sutton", "Barnet", "Bexley"]
        streams = list(Stream)
        for index in range(start, start + count):
            DeliveryFactory(
                delivered_on=datetime.date(2007, 1 + index % 12, 1 + index % 28),
                borough=borough(boroughs[index % 4]),
                stream=streams[index % 4],
                attendees=10 + index,
                entered_by=staff_user if index % 2 else other_staff_user,
                products=["computer-misuse", "deaths-in-custody"],
            )

    return make
