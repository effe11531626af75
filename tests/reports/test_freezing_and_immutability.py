"""Publishing freezes the live blocks; a published report, and its PDF, never change."""

import datetime
import hashlib

import pytest
from django.core.management import call_command
from django.urls import reverse

from reports import jobs, rendering, services
from reports.choices import JobState
from reports.models import ReportJob
from tests.factories import DeliveryFactory

pytestmark = pytest.mark.django_db


def _total_row(html):
    # The presentations table's Total row: PSSP people, non-PSSP people, total.
    return html.split(">Total<", 1)[1][:600]


def test_draft_blocks_are_live_and_follow_the_log(planner, tables_report):
    before = rendering.report_document_html(tables_report, user=planner)
    DeliveryFactory(delivered_on=datetime.date(2007, 1, 30), attendees=1000)
    after = rendering.report_document_html(tables_report, user=planner)
    assert "<strong>55</strong>" in _total_row(before)
    assert "<strong>1055</strong>" in _total_row(after)


def test_published_figures_stay_as_they_were_when_the_log_changes(planner, published_report):
    block = published_report.blocks.get()
    assert block.frozen_at is not None
    assert block.frozen_data["presentations"][-1]["total_people"] == 67

    DeliveryFactory(delivered_on=datetime.date(2007, 1, 30), attendees=1000)
    DeliveryFactory(delivered_on=datetime.date(2007, 1, 31), attendees=7, stream="non-pssp")

    html = rendering.report_document_html(published_report, user=planner)
    assert "<strong>55</strong>" in _total_row(html)  # PSSP people, as published
    assert "<strong>67</strong>" in _total_row(html)  # total people, as published
    assert "1055" not in html


def test_published_report_refuses_edits(planner, published_report):
    with pytest.raises(services.ReportLocked):
        services.report_update(published_report, user=planner, title="Rewritten history")
    with pytest.raises(services.ReportLocked):
        services.block_add(published_report, user=planner, kind="programme-summary")
    with pytest.raises(services.ReportLocked):
        services.block_remove(published_report.blocks.get(), user=planner)
    published_report.refresh_from_db()
    assert published_report.title.startswith("Update on progress")


def test_edit_page_of_a_published_report_is_refused(client_as, planner, published_report):
    client = client_as(planner)
    title = published_report.title
    assert client.get(reverse("reports:report-edit", args=[published_report.pk])).status_code == 403
    response = client.post(
        reverse("reports:report-edit", args=[published_report.pk]), {"title": "Changed"}
    )
    assert response.status_code == 403
    published_report.refresh_from_db()
    assert published_report.title == title


def test_stored_pdf_hash_never_changes(
    planner, published_report, tmp_path, django_capture_on_commit_callbacks
):
    original = published_report.pdf_sha256
    stored = published_report.pdf.read()
    assert hashlib.sha256(stored).hexdigest() == original

    publication_job = published_report.jobs.get()
    jobs.job_run(publication_job.pk)  # a redelivered task: exits, done already
    with django_capture_on_commit_callbacks(execute=True):
        proof = jobs.job_request(published_report, user=planner)  # a later re-render
    call_command("render_report", published_report.pk, output=str(tmp_path / "again.pdf"))
    DeliveryFactory(delivered_on=datetime.date(2007, 1, 30), attendees=1000)

    published_report.refresh_from_db()
    proof.refresh_from_db()
    assert proof.state == JobState.DONE
    assert published_report.pdf_sha256 == original
    assert published_report.pdf.read() == stored
    assert ReportJob.objects.get(pk=publication_job.pk).pdf_sha256 == original
