"""Which boroughs received PSSP input has one answer: the statistics page, the engagement coverage
page, the borough pages (and the comparison beside need) and the committee report's coverage block
give the same numbers on the same data."""

import datetime

import pytest

from dps.models import Borough
from presentations.choices import Stream
from pssp.coverage import measure
from reports.blocks import compute_block_data
from reports.choices import BlockKind
from reports.models import ReportBlock
from tests.factories import DeliveryFactory, borough
from tests.pssp.factories import EngagementMeetingFactory
from tests.reports.factories import ReportFactory

pytestmark = pytest.mark.django_db

D = datetime.date
PERIOD = "start=2007-01-01&end=2007-12-31"


@pytest.fixture
def deliveries():
    """A year with every case the two old answers disagreed on."""
    camden = borough("Camden")
    camden.family_group = "Family group 2"
    camden.save()
    DeliveryFactory(borough=camden, stream=Stream.PSSP, attendees=20, delivered_on=D(2007, 2, 1))
    DeliveryFactory(borough=camden, stream=Stream.CIVIL_ACTIONS, attendees=5)
    DeliveryFactory(borough=camden, stream=Stream.NON_PSSP, attendees=50)  # not PSSP input
    DeliveryFactory(borough=borough("Sutton"), stream=Stream.ACCIDENT_CLAIMS, attendees=8)
    DeliveryFactory(borough=borough("Merton"), stream=Stream.NON_PSSP, attendees=30)
    DeliveryFactory(borough=borough("Barnet"), delivered_on=D(2008, 1, 5))  # after the period
    DeliveryFactory(borough=Borough.objects.get(name="New Scotland Yard"), attendees=4)  # a unit
    bexley = borough("Bexley")  # no longer counted among the London boroughs
    bexley.active = False
    bexley.save()
    DeliveryFactory(borough=bexley, attendees=6)
    # The borough pages show the default period: the year of the latest engagement.
    EngagementMeetingFactory(borough=camden, met_on=D(2007, 6, 1))


def test_the_four_places_give_the_same_numbers(client_as, planner, deliveries):
    client = client_as(planner)
    statistics = client.get(f"/presentations/statistics/?{PERIOD}").context["coverage"]
    engagement = client.get(f"/pssp/engagement/coverage/?{PERIOD}").context["coverage"]
    block = ReportBlock.objects.create(
        report=ReportFactory(created_by=planner),
        position=1,
        kind=BlockKind.BOROUGH_COVERAGE,
        period_start=D(2007, 1, 1),
        period_end=D(2007, 12, 31),
    )
    report_block = compute_block_data(block, planner)

    assert (statistics["reached"], statistics["total"]) == (2, 31)
    assert report_block == statistics
    pssp_input = measure(engagement, "pssp_input")
    assert (pssp_input["count"], pssp_input["total"]) == (statistics["reached"], 31)
    assert pssp_input["missing"] == statistics["unreached"]
    assert "Merton" in pssp_input["missing"] and "Barnet" in pssp_input["missing"]

    entries = {
        entry["name"]: entry for group in statistics["groups"] for entry in group["boroughs"]
    }
    assert (entries["Camden"]["sessions"], entries["Camden"]["attendees"]) == (2, 25)
    assert (entries["Sutton"]["sessions"], entries["Sutton"]["attendees"]) == (1, 8)
    comparison = {
        row.borough: row
        for row in client.get(f"/pssp/reviews/comparison/?{PERIOD}").context["rows"]
    }
    assert len(comparison) == 31
    for name in ("Camden", "Sutton", "Merton", "Barnet"):
        page = client.get(f"/pssp/boroughs/{borough(name).pk}/").context["overview"]
        assert page["pssp_input_period"] == statistics["period"]
        assert page["pssp_input"] == entries[name]
        assert (comparison[name].sessions, comparison[name].attendees) == (
            entries[name]["sessions"],
            entries[name]["attendees"],
        )
        row = next(row for row in engagement["boroughs"] if row["name"] == name)
        assert row["pssp_input"] == entries[name]["reached"]


def test_the_borough_page_says_what_input_the_borough_received(client_as, planner, deliveries):
    client = client_as(planner)
    camden = client.get(f"/pssp/boroughs/{borough('Camden').pk}/").content.decode()
    assert "PSSP input in 2007: <strong>2 sessions, 25 people</strong>." in camden
    merton = client.get(f"/pssp/boroughs/{borough('Merton').pk}/").content.decode()
    assert "No PSSP input in 2007." in merton


def test_units_and_inactive_boroughs_are_listed_apart_and_not_counted(planner, deliveries):
    from presentations.stats import borough_coverage, london_boroughs

    coverage = borough_coverage(planner, D(2007, 1, 1), D(2007, 12, 31))
    other_units = coverage["groups"][-1]
    assert other_units["name"] == "Other units"
    assert [entry["name"] for entry in other_units["boroughs"]] == ["Bexley", "New Scotland Yard"]
    assert "Bexley" not in [entry["name"] for entry in london_boroughs(coverage)]
    assert "Bexley" not in coverage["unreached"]
    # The totals are everything that received input, units included.
    assert (coverage["sessions"], coverage["attendees"]) == (5, 43)
