"""Writing a report through its pages: clear errors naming the field, typed values kept."""

import pytest
from django.urls import reverse

from reports.models import Meeting, Report
from tests.reports.factories import CommitteeFactory

pytestmark = pytest.mark.django_db


def _form(committee, **changes):
    data = {
        "committee": committee.pk,
        "meeting_date": "2008-01-17",
        "agenda_order": "10",
        "number": "10",
        "report_date": "2008-01-17",
        "title": "Update on progress of the PSSP",
        "by": "Assistant Commissioner Operational Services",
        "protective_marking": "OFFICIAL",
        "summary": "One year on.",
        "recommendations": "That Members note the progress.",
        "supporting_information": "1. Launched in November 2006.",
        "race_equality_impact": "",
        "financial_implications": "",
        "background_papers": "None",
        "contact_details": "Superintendent Paul McGregor, MPS",
    }
    data.update(changes)
    return data


def test_planner_creates_a_draft_and_its_meeting(client_as, planner):
    committee = CommitteeFactory()
    response = client_as(planner).post(reverse("reports:report-create"), _form(committee))
    report = Report.objects.get()
    assert response.url == report.get_absolute_url()
    assert report.status == "draft" and report.created_by == planner
    assert report.meeting == Meeting.objects.get(committee=committee, date="2008-01-17")


def test_missing_title_is_named_and_typed_text_kept(client_as, planner):
    committee = CommitteeFactory()
    response = client_as(planner).post(
        reverse("reports:report-create"), _form(committee, title="", summary="Kept <text>")
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert "govuk-error-summary" in body
    assert 'id="id_title-error"' in body
    assert "Kept &lt;text&gt;" in body
    assert not Report.objects.exists()


def test_planner_edits_a_draft(client_as, planner, draft_report):
    committee = draft_report.meeting.committee
    response = client_as(planner).post(
        reverse("reports:report-edit", args=[draft_report.pk]),
        _form(committee, title="Retitled", protective_marking="OFFICIAL-SENSITIVE"),
    )
    assert response.status_code == 302
    draft_report.refresh_from_db()
    assert draft_report.title == "Retitled"
    assert draft_report.protective_marking == "OFFICIAL-SENSITIVE"
    assert draft_report.history.count() >= 2  # audited


def test_committee_member_cannot_edit(client_as, committee_member, draft_report):
    url = reverse("reports:report-edit", args=[draft_report.pk])
    assert client_as(committee_member).get(url).status_code == 403
