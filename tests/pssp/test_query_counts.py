"""Lists and the borough page stay within a fixed number of queries however many rows there are."""

import datetime

import pytest

from dps.models import Borough
from pssp import services
from pssp.choices import MeetingKind, PlanActionStatus
from pssp.models import Source
from tests.factories import DeliveryFactory, borough, product, theme
from tests.pssp.factories import (
    EngagementMeetingFactory,
    EventFactory,
    OutcomeFactory,
    PlanActionFactory,
    SourceReviewFactory,
    TaskingDecisionFactory,
)

pytestmark = pytest.mark.django_db

D = datetime.date


@pytest.fixture
def plenty():
    camden = borough()
    sources = list(Source.objects.all())
    for month in range(1, 13):
        review = SourceReviewFactory(
            borough=camden, period_start=D(2007, month, 1), period_end=D(2007, month, 28)
        )
        services.review_save_figures(review=review, figures=dict.fromkeys(sources, month))
        DeliveryFactory(
            borough=camden, delivered_on=D(2007, month, 10), products=["computer-misuse"]
        )
        DeliveryFactory(borough=camden, delivered_on=D(2007, month, 20))
        EngagementMeetingFactory(borough=camden, met_on=D(2007, month, 5))
        EngagementMeetingFactory(
            borough=camden, met_on=D(2007, month, 6), kind=MeetingKind.POLICE_FEDERATION
        )
        OutcomeFactory(borough=camden, product=product("computer-misuse"), theme=theme("pssp"))
        TaskingDecisionFactory(boroughs=["Camden", "Brent"], product=product("civil-actions"))
        event = EventFactory()
        services.event_save_audiences(event=event, audiences={"ipcc": month, "coroners": 2})
    for _ in range(4):
        action = PlanActionFactory(status=PlanActionStatus.DONE, completed_on=D(2007, 12, 1))
        PlanActionFactory(plan=action.plan)
    for index, other in enumerate(Borough.objects.filter(kind="borough")[:20]):
        SourceReviewFactory(
            borough=other, period_start=D(2006, 1, 1), period_end=D(2006, 1, 1 + index)
        )
    return camden


@pytest.mark.parametrize(
    "path",
    [
        "/pssp/reviews/",
        "/pssp/tasking/",
        "/pssp/decisions/",
        "/pssp/reports/",
        "/pssp/engagement/",
        "/pssp/outcomes/",
        "/pssp/events/",
        "/pssp/reviews/comparison/?start=2007-01-01&end=2007-12-31",
        "/pssp/engagement/coverage/?start=2007-01-01&end=2007-12-31",
    ],
)
def test_lists_are_bounded(client_as, cleared_planner, plenty, path, django_assert_max_num_queries):
    client = client_as(cleared_planner)
    with django_assert_max_num_queries(14):
        response = client.get(path)
    assert response.status_code == 200


def test_exports_are_bounded(client_as, planner, plenty, django_assert_max_num_queries):
    client = client_as(planner)
    with django_assert_max_num_queries(15):
        assert client.get("/pssp/decisions/?_export=csv").status_code == 200


def test_the_borough_page_is_bounded(client_as, planner, plenty, django_assert_max_num_queries):
    PlanActionFactory(plan__report__borough=plenty)
    client = client_as(planner)
    # 21: the borough's PSSP input (default period, then borough coverage) added four.
    with django_assert_max_num_queries(21):
        response = client.get(f"/pssp/boroughs/{plenty.pk}/")
    assert response.status_code == 200
    body = response.content.decode()
    assert "Dec 2007" in body and "Jan 2007" in body  # deliveries by month
    assert "0 of 1 actions done" in body
    assert "PSSP input in 2007:" in body


def test_the_report_and_tasking_pages_are_bounded(
    client_as, planner, plenty, django_assert_max_num_queries
):
    action = PlanActionFactory()
    decision = TaskingDecisionFactory(boroughs=["Camden", "Brent", "Ealing"])
    client = client_as(planner)
    with django_assert_max_num_queries(16):
        assert client.get(f"/pssp/reports/{action.plan.report_id}/").status_code == 200
    with django_assert_max_num_queries(16):
        assert client.get(f"/pssp/tasking/{decision.meeting_id}/").status_code == 200


def test_the_planner_home_page_is_bounded(
    client_as, planner, plenty, django_assert_max_num_queries
):
    client = client_as(planner)
    # 22: engagement coverage reads the input, the boroughs and the meetings once each.
    with django_assert_max_num_queries(22):
        response = client.get("/")
    assert "command teams met" in response.content.decode()
