"""The demo reproduces both seed reports from app data, and loading it twice changes nothing."""

import csv
import io
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.urls import reverse
from pypdf import PdfReader

from dps import demo as demo_users
from presentations import demo as delivery_demo
from reports import demo, rendering
from reports.guard import report_findings
from reports.models import Report, ReportBlock, ReportJob
from themes.models import Theme

pytestmark = pytest.mark.django_db


def _published_totals():
    rows = list(
        csv.DictReader((Path(settings.BASE_DIR) / "data/pssp_2007_presentations.csv").open())
    )
    return {
        column: sum(int(row[column]) for row in rows) for column in rows[0] if column != "month"
    }


@pytest.fixture
def demo_loaded(django_capture_on_commit_callbacks):
    users = demo_users.load(get_user_model())
    delivery_demo.load(users)
    with django_capture_on_commit_callbacks(execute=True):
        demo.load(users)
    return users


def test_both_seed_reports_are_published_with_their_pdfs(demo_loaded):
    report_6 = Report.objects.get(number="6", meeting__date="2007-09-13")
    report_10 = Report.objects.get(number="10", meeting__date="2008-01-17")
    for report in (report_6, report_10):
        assert report.status == "published" and report.pdf_sha256
    assert "- Taylor Report - New police misconduct procedures" in report_6.supporting_information
    text = _pdf_text(report_6)
    assert "Investigations - Overt" in text and "Sharon Hicks, Planning Manager, MPS" in text


def test_report_10_tables_come_from_the_log_and_equal_the_published_figures(demo_loaded):
    block = ReportBlock.objects.get(report__number="10")
    assert block.kind == "monthly-tables" and block.frozen_at
    total = block.frozen_data["presentations"][-1]
    assert {column: total[column] for column in _published_totals()} == _published_totals()
    assert block.frozen_data["civil_actions"][-1] == {
        "month": "Total",
        "sessions": 287,
        "attendees": 5414,
    }
    assert block.frozen_data["accident_claims"][-1] == {"month": "Total", "participants": 1293}


def test_loading_the_demo_twice_changes_nothing(demo_loaded, django_capture_on_commit_callbacks):
    before = (Report.objects.count(), ReportBlock.objects.count(), ReportJob.objects.count())
    hashes = dict(Report.objects.values_list("pk", "pdf_sha256"))
    with django_capture_on_commit_callbacks(execute=True):
        demo.load(demo_loaded)
    assert (
        Report.objects.count(),
        ReportBlock.objects.count(),
        ReportJob.objects.count(),
    ) == before
    assert dict(Report.objects.values_list("pk", "pdf_sha256")) == hashes


def _pdf_text(report):
    with report.pdf.open("rb") as pdf:
        reader = PdfReader(io.BytesIO(pdf.read()))
    return "\n".join(page.extract_text() for page in reader.pages)


def _restricted_words():
    """What names the restricted theme: its name (as typed with a hyphen too), its code, and the
    code word its work goes by."""
    words = {"anti-corruption"}
    for covert in Theme.objects.filter(restricted=True):
        words |= {covert.name, covert.name.replace("–", "-"), covert.code}
    return {word.lower() for word in words}


def test_published_demo_reports_name_nothing_restricted_to_the_uncleared(demo_loaded, client):
    published = list(Report.objects.filter(status="published"))
    assert len(published) == 2
    forbidden = _restricted_words()
    assert "covert" in forbidden
    for reader in (demo_loaded["committee"], demo_loaded["planner2"]):
        client.force_login(reader)
        for report in published:
            seen = {
                "page": client.get(reverse("reports:report-detail", args=[report.pk])),
                "preview": client.get(reverse("reports:report-preview", args=[report.pk])),
            }
            assert all(response.status_code == 200 for response in seen.values())
            texts = {name: response.content.decode() for name, response in seen.items()}
            texts["document"] = rendering.report_document_html(report, user=reader)
            texts["pdf"] = _pdf_text(report)
            for name, text in texts.items():
                found = {word for word in forbidden if word in text.lower()}
                assert not found, (reader.username, report.number, name, found)


def test_seed_reports_were_approved_by_a_second_person_and_pass_the_guard(demo_loaded):
    for report in Report.objects.filter(status="published"):
        assert report.created_by == demo_loaded["planner"]
        assert report.approved_by == demo_loaded["planner2"]  # four eyes
        assert not report.restricted
        assert report_findings(report, user=demo_loaded["planner2"]) == []
