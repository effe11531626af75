"""Every pssp page, per role: DPS staff read; the planning manager reads and writes; committee
members, administrators (outside reference data) and users without a role get 403."""

import pytest

from pssp import services
from pssp.models import Source
from tests.factories import borough
from tests.pssp.factories import (
    EngagementMeetingFactory,
    EventFactory,
    OutcomeFactory,
    PlanActionFactory,
    SourceReviewFactory,
    TaskingDecisionFactory,
    pdf_upload,
)

pytestmark = pytest.mark.django_db

READ = "read"
WRITE = "write"
DOWNLOAD = "download"


@pytest.fixture
def records():
    review = SourceReviewFactory()
    services.review_save_figures(review=review, figures={Source.objects.first(): 3})
    decision = TaskingDecisionFactory(boroughs=["Camden"])
    action = PlanActionFactory()
    report = action.plan.report
    services.report_attach_document(report=report, uploaded=pdf_upload())
    return {
        "review": review.pk,
        "meeting": decision.meeting.pk,
        "decision": decision.pk,
        "report": report.pk,
        "action": action.pk,
        "engagement": EngagementMeetingFactory().pk,
        "outcome": OutcomeFactory().pk,
        "event": EventFactory().pk,
        "borough": borough().pk,
    }


PAGES = [
    ("/pssp/reviews/", READ),
    ("/pssp/reviews/?_export=csv", READ),
    ("/pssp/reviews/comparison/", READ),
    ("/pssp/reviews/{review}/", READ),
    ("/pssp/reviews/new/", WRITE),
    ("/pssp/reviews/{review}/edit/", WRITE),
    ("/pssp/tasking/", READ),
    ("/pssp/tasking/{meeting}/", READ),
    ("/pssp/tasking/new/", WRITE),
    ("/pssp/tasking/{meeting}/edit/", WRITE),
    ("/pssp/tasking/{meeting}/decisions/new/", WRITE),
    ("/pssp/decisions/", READ),
    ("/pssp/decisions/?_export=xlsx", READ),
    ("/pssp/decisions/{decision}/edit/", WRITE),
    ("/pssp/reports/", READ),
    ("/pssp/reports/{report}/", READ),
    ("/pssp/reports/new/", WRITE),
    ("/pssp/reports/{report}/edit/", WRITE),
    ("/pssp/reports/{report}/document/", WRITE),
    ("/pssp/reports/{report}/step/drafted/", WRITE),
    ("/pssp/reports/{report}/plan/", WRITE),
    ("/pssp/reports/{report}/plan/actions/new/", WRITE),
    ("/pssp/reports/{report}/plan/actions/{action}/", WRITE),
    ("/pssp/reports/{report}/download/", DOWNLOAD),
    ("/pssp/engagement/", READ),
    ("/pssp/engagement/coverage/", READ),
    ("/pssp/engagement/{engagement}/", READ),
    ("/pssp/engagement/new/", WRITE),
    ("/pssp/engagement/{engagement}/edit/", WRITE),
    ("/pssp/outcomes/", READ),
    ("/pssp/outcomes/{outcome}/", READ),
    ("/pssp/outcomes/new/", WRITE),
    ("/pssp/outcomes/{outcome}/edit/", WRITE),
    ("/pssp/events/", READ),
    ("/pssp/events/?_export=csv", READ),
    ("/pssp/events/{event}/", READ),
    ("/pssp/events/new/", WRITE),
    ("/pssp/events/{event}/edit/", WRITE),
    ("/pssp/reviews/{review}/delete/", WRITE),
    ("/pssp/decisions/{decision}/delete/", WRITE),
    ("/pssp/engagement/{engagement}/delete/", WRITE),
    ("/pssp/outcomes/{outcome}/delete/", WRITE),
    ("/pssp/events/{event}/delete/", WRITE),
]

ALLOWED = {
    "staff_user": {READ},
    "planner": {READ, WRITE, DOWNLOAD},
    "committee_member": set(),
    "administrator": set(),
    "outsider": set(),
}


@pytest.mark.parametrize("persona", list(ALLOWED))
def test_each_page_answers_each_role_as_its_permissions_say(request, client_as, persona, records):
    client = client_as(request.getfixturevalue(persona))
    for template, access in PAGES:
        path = template.format(**records)
        expected = 200 if access in ALLOWED[persona] else 403
        assert client.get(path).status_code == expected, (persona, path)


@pytest.mark.parametrize(
    ("persona", "expected"),
    [("staff_user", 200), ("planner", 200), ("administrator", 200), ("committee_member", 403)],
)
def test_the_borough_page_follows_the_borough_permission(
    request, client_as, persona, expected, records
):
    client = client_as(request.getfixturevalue(persona))
    assert client.get(f"/pssp/boroughs/{records['borough']}/").status_code == expected


def test_anonymous_users_are_sent_to_sign_in(client, records):
    response = client.get("/pssp/outcomes/")
    assert response.status_code == 302
    assert "/sign-in/" in response["Location"]


def test_staff_cannot_post_a_new_outcome(client_as, staff_user):
    response = client_as(staff_user).post("/pssp/outcomes/new/", {"title": "x"})
    assert response.status_code == 403


def test_the_planner_navigation_shows_the_pssp_sections(client_as, planner):
    body = client_as(planner).get("/").content.decode()
    assert "Tasking and engagement" in body
    assert "tasking decision" in body  # the planning manager's home panel
    # The section's own pages are listed on its pages.
    section_page = client_as(planner).get("/pssp/boroughs/").content.decode()
    for url in ("/pssp/tasking/", "/pssp/reports/", "/pssp/outcomes/", "/pssp/events/"):
        assert f'href="{url}"' in section_page


def test_committee_members_see_no_pssp_navigation(client_as, committee_member):
    body = client_as(committee_member).get("/").content.decode()
    assert "/pssp/tasking/" not in body


def test_staff_cannot_delete_and_the_planner_can(client_as, staff_user, planner):
    from pssp.models import EngagementMeeting

    meeting = EngagementMeetingFactory()
    assert client_as(staff_user).post(f"/pssp/engagement/{meeting.pk}/delete/").status_code == 403
    assert EngagementMeeting.objects.filter(pk=meeting.pk).exists()
    response = client_as(planner).post(f"/pssp/engagement/{meeting.pk}/delete/")
    assert response.status_code == 302
    assert not EngagementMeeting.objects.filter(pk=meeting.pk).exists()
    deleted = EngagementMeeting.history.filter(id=meeting.pk).latest("history_date")
    assert (deleted.history_type, deleted.history_user) == ("-", planner)


def test_an_uncleared_planner_cannot_delete_a_restricted_outcome(client_as, planner):
    from pssp.models import Outcome
    from tests.factories import theme

    covert = OutcomeFactory(theme=theme("covert"))
    assert client_as(planner).post(f"/pssp/outcomes/{covert.pk}/delete/").status_code == 404
    assert Outcome.objects.filter(pk=covert.pk).exists()
