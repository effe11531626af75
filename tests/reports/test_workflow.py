"""Draft → approved → published, by the planning manager; new versions supersede."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from reports import services
from reports.choices import JobPurpose, JobState, ReportStatus
from reports.models import Report
from reports.rendering import report_document_html
from tests.reports.factories import publish, second_pair_of_eyes

pytestmark = pytest.mark.django_db


def test_a_new_report_is_a_draft(draft_report):
    assert draft_report.status == ReportStatus.DRAFT


def test_planner_approves_then_publishes_and_the_pdf_is_stored(
    planner, draft_report, django_capture_on_commit_callbacks
):
    approver = second_pair_of_eyes(planner)
    approved = services.report_approve(draft_report, user=approver)
    assert approved.status == ReportStatus.APPROVED
    assert approved.approved_by == approver
    with django_capture_on_commit_callbacks(execute=True):
        job = services.report_publish(approved, user=planner)
    draft_report.refresh_from_db()
    job.refresh_from_db()
    assert draft_report.status == ReportStatus.PUBLISHED
    assert draft_report.published_by == planner
    assert job.purpose == JobPurpose.PUBLICATION
    assert job.state == JobState.DONE
    assert len(draft_report.pdf_sha256) == 64
    assert draft_report.pdf_sha256 == job.pdf_sha256


def test_a_draft_cannot_be_published_without_approval(planner, draft_report):
    with pytest.raises(ValidationError):
        services.report_publish(draft_report, user=planner)
    draft_report.refresh_from_db()
    assert draft_report.status == ReportStatus.DRAFT


def test_editing_an_approved_report_sends_it_back_to_draft(planner, draft_report):
    services.report_approve(draft_report, user=second_pair_of_eyes(planner))
    edited = services.report_update(draft_report, user=planner, title="A better title")
    assert edited.status == ReportStatus.DRAFT
    assert edited.approved_by is None


def test_only_a_planning_manager_may_approve(staff_user, committee_member, draft_report):
    for user in (staff_user, committee_member):
        with pytest.raises(PermissionDenied):
            services.report_approve(draft_report, user=user)


def test_committee_member_cannot_post_to_publish(client_as, committee_member, draft_report):
    response = client_as(committee_member).post(
        reverse("reports:report-approve", args=[draft_report.pk])
    )
    assert response.status_code == 403


def test_planner_walks_the_workflow_through_the_pages(
    client_as, planner, draft_report, django_capture_on_commit_callbacks
):
    client_as(second_pair_of_eyes(planner)).post(
        reverse("reports:report-approve", args=[draft_report.pk])
    )
    client = client_as(planner)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("reports:report-publish", args=[draft_report.pk]), {"confirm": "on"}
        )
    job = draft_report.jobs.get()
    assert response.url == reverse("reports:job-detail", args=[job.pk])
    draft_report.refresh_from_db()
    assert draft_report.status == ReportStatus.PUBLISHED
    page = client.get(reverse("reports:report-detail", args=[draft_report.pk]))
    assert "Download the PDF" in page.content.decode()


def test_a_new_version_supersedes_the_published_one_and_says_so(
    planner, published_report, django_capture_on_commit_callbacks
):
    successor = services.report_supersede(published_report, user=planner)
    assert successor.version == 2
    assert successor.status == ReportStatus.DRAFT
    assert successor.supersedes == published_report
    assert successor.blocks.count() == published_report.blocks.count()
    assert not successor.blocks.filter(frozen_at__isnull=False).exists()
    with django_capture_on_commit_callbacks(execute=True):
        publish(successor, planner)
    new_html = report_document_html(successor, user=planner)
    old_html = report_document_html(Report.objects.get(pk=published_report.pk), user=planner)
    assert "This report supersedes version 1" in new_html
    assert "Superseded: version 2 of this report" in old_html


def test_only_one_newer_version_at_a_time(planner, published_report):
    services.report_supersede(published_report, user=planner)
    with pytest.raises(ValidationError):
        services.report_supersede(published_report, user=planner)
