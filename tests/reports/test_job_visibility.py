"""A PDF job is read like what it rendered: a proof made for a cleared user is for the cleared."""

import io

import pytest
from django.urls import reverse
from pypdf import PdfReader

from reports import jobs, services
from reports.choices import JobPurpose
from reports.models import ReportJob
from tests.reports.factories import ReportFactory, publish

pytestmark = pytest.mark.django_db

COVERT = "Investigations – Covert"
JOB_PAGES = ("reports:job-detail", "reports:job-status", "reports:job-pdf")


def _pdf_text(job):
    job.pdf.open("rb")
    with job.pdf:
        reader = PdfReader(io.BytesIO(job.pdf.read()))
    return "\n".join(page.extract_text() for page in reader.pages)


@pytest.fixture
def summary_draft(planner):
    """An uncleared planner's draft embedding the programme summary (computed for its reader)."""
    report = ReportFactory(created_by=planner, supporting_information="1. Where we are.")
    services.block_add(report, user=planner, kind="programme-summary")
    assert not report.restricted  # its author cannot see the covert theme
    return report


def _proof(client, report, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("reports:report-render", args=[report.pk]))
    return ReportJob.objects.get(pk=response.url.rstrip("/").rsplit("/", 1)[-1])


def test_uncleared_planner_gets_404_for_a_cleared_planners_proof_of_their_own_draft(
    client_as, planner, cleared_planner, summary_draft, django_capture_on_commit_callbacks
):
    proof = _proof(client_as(cleared_planner), summary_draft, django_capture_on_commit_callbacks)
    assert proof.state == "done" and proof.restricted
    assert COVERT in _pdf_text(proof)  # what the proof would leak

    uncleared = client_as(planner)
    for name in JOB_PAGES:
        assert uncleared.get(reverse(name, args=[proof.pk])).status_code == 404, name
    page = uncleared.get(reverse("reports:report-detail", args=[summary_draft.pk]))
    assert reverse("reports:job-detail", args=[proof.pk]) not in page.content.decode()

    cleared = client_as(cleared_planner)
    for name in JOB_PAGES:
        assert cleared.get(reverse(name, args=[proof.pk])).status_code == 200, name
    page = cleared.get(reverse("reports:report-detail", args=[summary_draft.pk]))
    assert reverse("reports:job-detail", args=[proof.pk]) in page.content.decode()


def test_an_uncleared_planners_proof_is_readable_by_both_planners(
    client_as, planner, cleared_planner, summary_draft, django_capture_on_commit_callbacks
):
    proof = _proof(client_as(planner), summary_draft, django_capture_on_commit_callbacks)
    assert not proof.restricted
    assert COVERT not in _pdf_text(proof)
    for user in (planner, cleared_planner):
        response = client_as(user).get(reverse("reports:job-pdf", args=[proof.pk]))
        assert response.status_code == 200


def test_a_publication_job_is_read_like_the_published_report(
    client_as, planner, cleared_planner, django_capture_on_commit_callbacks
):
    # Publishing freezes the blocks every reader of the report then reads, so the job that
    # renders them is no more restricted than the report.
    report = ReportFactory(created_by=planner)
    with django_capture_on_commit_callbacks(execute=True):
        job = publish(report, cleared_planner)
    assert not job.restricted
    response = client_as(planner).get(reverse("reports:job-pdf", args=[job.pk]))
    assert response.status_code == 200


def test_only_a_proof_for_a_cleared_requester_is_restricted(planner, cleared_planner):
    assert jobs.job_is_restricted(purpose=JobPurpose.PROOF, requested_by=cleared_planner)
    assert not jobs.job_is_restricted(purpose=JobPurpose.PROOF, requested_by=planner)
    assert not jobs.job_is_restricted(purpose=JobPurpose.PUBLICATION, requested_by=cleared_planner)


def test_job_visible_to_follows_the_report_and_the_clearance(
    planner, cleared_planner, committee_member, summary_draft
):
    open_proof = jobs.job_request(summary_draft, user=planner)
    cleared_proof = jobs.job_request(summary_draft, user=cleared_planner)
    assert set(ReportJob.objects.visible_to(planner)) == {open_proof}
    assert set(ReportJob.objects.visible_to(cleared_planner)) == {open_proof, cleared_proof}
    # A committee member may not read drafts, so none of a draft's jobs either.
    assert not ReportJob.objects.visible_to(committee_member).exists()
