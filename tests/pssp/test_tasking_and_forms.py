import datetime

import pytest

from pssp.choices import DecisionStatus
from pssp.models import EventAudience, SourceFigure, SourceReview, TaskingDecision
from tests.factories import borough, product
from tests.pssp.factories import EventFactory, TaskingDecisionFactory, TaskingMeetingFactory

pytestmark = pytest.mark.django_db


def test_a_decision_needs_a_product_or_a_resource(client_as, planner):
    meeting = TaskingMeetingFactory()
    response = client_as(planner).post(
        f"/pssp/tasking/{meeting.pk}/decisions/new/",
        {
            "decision": "Target Brent",
            "owner": "PSSP team leader",
            "due_on": "2007-10-01",
            "status": "open",
            "boroughs": [borough("Brent").pk],
        },
    )
    assert response.status_code == 200
    assert "Give the product or the resource" in response.content.decode()
    assert "Target Brent" in response.content.decode()  # what was typed is kept


def test_the_planner_records_a_decision_for_boroughs(client_as, planner):
    meeting = TaskingMeetingFactory()
    response = client_as(planner).post(
        f"/pssp/tasking/{meeting.pk}/decisions/new/",
        {
            "decision": "Computer misuse input",
            "owner": "PSSP team leader",
            "due_on": "2007-10-01",
            "status": "open",
            "product": product("computer-misuse").pk,
            "boroughs": [borough("Brent").pk, borough("Ealing").pk],
        },
    )
    assert response.status_code == 302
    decision = TaskingDecision.objects.get(decision="Computer misuse input")
    assert decision.meeting == meeting
    assert set(decision.boroughs.values_list("name", flat=True)) == {"Brent", "Ealing"}


def test_following_up_to_done_needs_the_date(client_as, planner):
    decision = TaskingDecisionFactory()
    data = {
        "decision": decision.decision,
        "resource": decision.resource,
        "owner": decision.owner,
        "due_on": "2007-09-30",
        "status": "done",
        "follow_up": "Delivered",
    }
    client = client_as(planner)
    response = client.post(f"/pssp/decisions/{decision.pk}/edit/", data)
    assert "Give the date the decision was done." in response.content.decode()
    response = client.post(
        f"/pssp/decisions/{decision.pk}/edit/", {**data, "completed_on": "2007-09-20"}
    )
    assert response.status_code == 302
    decision.refresh_from_db()
    assert decision.status == DecisionStatus.DONE
    assert decision.history.count() == 2


def test_overdue_means_open_and_past_due():
    decision = TaskingDecisionFactory(due_on=datetime.date(2007, 9, 30))
    assert decision.is_overdue(datetime.date(2007, 10, 1))
    assert not decision.is_overdue(datetime.date(2007, 9, 30))
    assert TaskingDecision.objects.overdue(datetime.date(2007, 10, 1)).count() == 1


def test_a_source_review_is_entered_with_a_figure_per_source(client_as, planner):
    client = client_as(planner)
    data = {
        "borough": borough("Croydon").pk,
        "period_start": "2007-01-01",
        "period_end": "2007-06-30",
        "reviewed_on": "2007-07-10",
        "analyst": "PAU analyst",
        "commentary": "High civil claims",
        "figure_public_complaints": "41",
        "figure_civil_claims": "17",
    }
    response = client.post("/pssp/reviews/new/", data)
    assert response.status_code == 302
    review = SourceReview.objects.get()
    figures = dict(review.figures.values_list("source__code", "count"))
    assert figures == {"public-complaints": 41, "civil-claims": 17}
    # Editing: clearing a figure removes it, changing one updates it.
    data.update(figure_public_complaints="", figure_civil_claims="18")
    client.post(f"/pssp/reviews/{review.pk}/edit/", data)
    assert dict(SourceFigure.objects.values_list("source__code", "count")) == {"civil-claims": 18}


def test_a_review_period_must_be_in_order(client_as, planner):
    response = client_as(planner).post(
        "/pssp/reviews/new/",
        {
            "borough": borough("Croydon").pk,
            "period_start": "2007-06-30",
            "period_end": "2007-01-01",
            "reviewed_on": "2007-07-10",
        },
    )
    assert "The period must end on or after its start." in response.content.decode()


def test_an_event_records_its_audience_by_category(client_as, planner):
    event = EventFactory()
    response = client_as(planner).post(
        f"/pssp/events/{event.pk}/edit/",
        {
            "title": event.title,
            "kind": "seminar",
            "status": "held",
            "starts_on": "2007-03-22",
            "audience_custody_practitioners": "64",
            "audience_icv": "14",
            "audience_ipcc": "",
        },
    )
    assert response.status_code == 302
    assert dict(EventAudience.objects.values_list("category", "number")) == {
        "custody-practitioners": 64,
        "icv": 14,
    }
    page = client_as(planner).get(f"/pssp/events/{event.pk}/").content.decode()
    assert "78" in page  # the total


def test_a_held_event_needs_its_date(client_as, planner):
    response = client_as(planner).post(
        "/pssp/events/new/", {"title": "Seminar", "kind": "seminar", "status": "held"}
    )
    assert "Give the date of an event that was held." in response.content.decode()


def test_record_pages_show_their_history(client_as, staff_user):
    decision = TaskingDecisionFactory()
    body = client_as(staff_user).get(f"/pssp/tasking/{decision.meeting_id}/").content.decode()
    assert 'id="history"' in body
    assert "Created" in body
