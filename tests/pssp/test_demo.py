import datetime

import pytest
from django.apps import apps
from django.contrib.auth import get_user_model

from dps import demo as dps_demo
from pssp import demo
from pssp.choices import BoroughReportStatus, EventStatus, PlanStatus
from pssp.coverage import engagement_coverage, measure
from pssp.models import BoroughReport, Event, Outcome

pytestmark = pytest.mark.django_db


def counts():
    return {
        model.__name__: model.objects.count() for model in apps.get_app_config("pssp").get_models()
    }


@pytest.fixture
def loaded():
    users = dps_demo.load(get_user_model())
    demo.load(users)
    return users


def test_loading_twice_changes_nothing(loaded):
    before = counts()
    demo.load(loaded)
    assert counts() == before


def test_it_recreates_30_of_32_command_teams_met_in_2007(loaded):
    coverage = engagement_coverage(
        loaded["planner"], datetime.date(2007, 1, 1), datetime.date(2007, 12, 31)
    )
    command_team = measure(coverage, "command_team")
    assert command_team["summary"] == "30 of 32 command teams met"
    assert command_team["missing"] == list(demo.NOT_MET_2007)
    assert measure(coverage, "staff_associations")["count"] == 32


def test_staff_associations_were_met_before_any_2007_input(loaded):
    from tests.factories import DeliveryFactory, borough

    DeliveryFactory(borough=borough("Havering"), delivered_on=datetime.date(2007, 1, 2))
    coverage = engagement_coverage(
        loaded["planner"], datetime.date(2007, 1, 1), datetime.date(2007, 12, 31)
    )
    first = measure(coverage, "staff_associations_first")
    assert (first["count"], first["total"]) == (1, 1)


def test_it_records_the_seminars_master_class_and_planned_events(loaded):
    held = Event.objects.filter(status=EventStatus.HELD)
    seminars = held.filter(title__startswith="Preventing Death in Custody seminar")
    assert seminars.count() == 4
    assert set(seminars.values_list("venue", flat=True)) == {"New Scotland Yard"}
    assert held.filter(title__startswith="Necessary Force").exists()
    planned = set(
        Event.objects.filter(status=EventStatus.PLANNED).values_list("partners", flat=True)
    )
    assert planned == {
        "Directorate of Information",
        "MPS Driving School",
        "Academics of international reputation",
    }


def test_one_borough_has_a_distributed_report_with_an_action_plan_in_preparation(loaded):
    report = BoroughReport.objects.get(action_plan__isnull=False)
    assert report.status == BoroughReportStatus.DISTRIBUTED
    assert report.document_kind == "pdf"
    assert report.action_plan.status == PlanStatus.IN_PREPARATION
    assert report.action_plan.actions.count() >= 3


def test_it_records_the_fixed_penalty_notice_outcome(loaded):
    outcome = Outcome.objects.get(title__contains="Fixed Penalty Notices")
    assert outcome.borough is None  # force-wide
    assert "Professional Standards Strategic Group" in outcome.evidence_reference
