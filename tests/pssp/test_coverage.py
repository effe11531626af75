import datetime
import json

import pytest

from dps.choices import UnitKind
from dps.models import AccessRecord, Borough
from presentations.choices import Stream
from pssp.choices import MeetingKind
from pssp.coverage import engagement_coverage, measure
from tests.factories import DeliveryFactory, borough
from tests.pssp.factories import EngagementMeetingFactory

pytestmark = pytest.mark.django_db

D = datetime.date
YEAR_2007 = (D(2007, 1, 1), D(2007, 12, 31))


def london_boroughs():
    return list(Borough.objects.filter(kind=UnitKind.BOROUGH).order_by("name"))


def test_it_counts_30_of_32_command_teams_met_and_names_the_two_missing(planner):
    for each in london_boroughs():
        if each.name not in ("Havering", "Sutton"):
            EngagementMeetingFactory(borough=each, kind=MeetingKind.COMMAND_TEAM)
    coverage = engagement_coverage(planner, *YEAR_2007)
    command_team = measure(coverage, "command_team")
    assert command_team["count"] == 30
    assert command_team["total"] == 32
    assert command_team["summary"] == "30 of 32 command teams met"
    assert command_team["missing"] == ["Havering", "Sutton"]


def test_meetings_outside_the_period_or_of_another_kind_do_not_count(planner):
    EngagementMeetingFactory(borough=borough("Camden"), met_on=D(2006, 12, 31))
    EngagementMeetingFactory(borough=borough("Brent"), kind=MeetingKind.POLICE_FEDERATION)
    coverage = engagement_coverage(planner, *YEAR_2007)
    assert measure(coverage, "command_team")["count"] == 0
    assert measure(coverage, "staff_associations")["count"] == 1
    assert "Brent" not in measure(coverage, "staff_associations")["missing"]


@pytest.mark.parametrize(
    "kind",
    [MeetingKind.POLICE_FEDERATION, MeetingKind.TRADE_UNION_SIDE, MeetingKind.STAFF_ASSOCIATIONS],
)
def test_any_staff_association_meeting_counts_as_contact(kind, planner):
    EngagementMeetingFactory(borough=borough("Ealing"), kind=kind)
    assert measure(engagement_coverage(planner, *YEAR_2007), "staff_associations")["count"] == 1


def test_pssp_input_comes_from_the_delivery_log_in_the_period(planner):
    DeliveryFactory(borough=borough("Havering"), stream=Stream.PSSP)
    DeliveryFactory(borough=borough("Sutton"), stream=Stream.CIVIL_ACTIONS)
    DeliveryFactory(borough=borough("Merton"), stream=Stream.NON_PSSP)  # outside the programme
    DeliveryFactory(borough=borough("Barnet"), delivered_on=D(2008, 1, 5))  # outside the period
    DeliveryFactory(borough=Borough.objects.get(name="New Scotland Yard"))  # a unit, not a borough
    pssp_input = measure(engagement_coverage(planner, *YEAR_2007), "pssp_input")
    assert pssp_input["count"] == 2
    assert "Havering" not in pssp_input["missing"]
    assert {"Merton", "Barnet"} <= set(pssp_input["missing"])


def test_a_borough_not_met_can_still_have_received_input(planner):
    DeliveryFactory(borough=borough("Havering"))
    coverage = engagement_coverage(planner, *YEAR_2007)
    havering = next(row for row in coverage["boroughs"] if row["name"] == "Havering")
    assert havering == {
        "name": "Havering",
        "command_team": False,
        "staff_associations": False,
        "pssp_input": True,
        "staff_associations_first": False,
    }


def test_the_result_is_json_serialisable(planner):
    EngagementMeetingFactory()
    coverage = engagement_coverage(planner, *YEAR_2007)
    assert json.loads(json.dumps(coverage)) == coverage
    assert coverage["period"] == {"start": "2007-01-01", "end": "2007-12-31"}


def test_with_a_user_it_reads_only_what_the_user_may_see(committee_member):
    EngagementMeetingFactory()
    DeliveryFactory()
    coverage = engagement_coverage(committee_member, *YEAR_2007)
    assert all(entry["count"] == 0 for entry in coverage["measures"])


def test_the_coverage_page_shows_the_figures_and_missing_names(client_as, staff_user):
    for each in london_boroughs()[1:]:
        EngagementMeetingFactory(borough=each)
    response = client_as(staff_user).get(
        "/pssp/engagement/coverage/?start=2007-01-01&end=2007-12-31"
    )
    body = response.content.decode()
    assert "31 of 32 command teams met" in body
    assert "Not yet: Barking and Dagenham." in body


def test_the_coverage_export_lists_every_borough(client_as, staff_user):
    response = client_as(staff_user).get(
        "/pssp/engagement/coverage/?start=2007-01-01&end=2007-12-31&_export=csv"
    )
    lines = response.content.decode().strip().splitlines()
    assert lines[0] == (
        "Borough,Command team met,Staff-association contact,PSSP input,"
        "Staff associations met before first input"
    )
    assert len(lines) == 33
    record = AccessRecord.objects.get()
    assert (record.user, record.kind, record.rows) == (staff_user, AccessRecord.Kind.EXPORT, 32)


def test_staff_associations_count_as_met_first_only_on_or_before_the_first_input(
    planner,
):
    DeliveryFactory(borough=borough("Brent"), delivered_on=D(2007, 3, 14))
    DeliveryFactory(borough=borough("Brent"), delivered_on=D(2007, 6, 1))
    EngagementMeetingFactory(
        borough=borough("Brent"), kind=MeetingKind.STAFF_ASSOCIATIONS, met_on=D(2007, 3, 14)
    )
    DeliveryFactory(borough=borough("Ealing"), delivered_on=D(2007, 3, 14))
    EngagementMeetingFactory(
        borough=borough("Ealing"), kind=MeetingKind.POLICE_FEDERATION, met_on=D(2007, 3, 15)
    )
    DeliveryFactory(borough=borough("Sutton"), delivered_on=D(2007, 2, 1))
    EngagementMeetingFactory(  # met before the period began: still before the first input
        borough=borough("Sutton"), kind=MeetingKind.TRADE_UNION_SIDE, met_on=D(2006, 11, 30)
    )
    coverage = engagement_coverage(planner, *YEAR_2007)
    first = measure(coverage, "staff_associations_first")
    assert (first["count"], first["total"], first["missing"]) == (2, 3, ["Ealing"])
    assert first["summary"] == (
        "2 of 3 boroughs given PSSP input had met the staff associations beforehand"
    )
    camden = next(row for row in coverage["boroughs"] if row["name"] == "Camden")
    assert camden["staff_associations_first"] is None  # no input, so the question does not arise
