"""An unrestricted report never names a restricted version it supersedes to anyone not cleared:
not on its page, not in its preview, not in the PDF rendered once at publication (as the
publisher, who is cleared) and then read by every committee member.
"""

import io
import re

import pytest
from django.urls import reverse
from pypdf import PdfReader

from reports import rendering, services
from reports.models import Report
from tests.factories import theme
from tests.reports.factories import ReportFactory, publish

pytestmark = pytest.mark.django_db

SUPERSEDES_NOTICE = "This report supersedes version 1"


def _words(text):
    return re.sub(r"\s+", " ", text)


def _reader_gets(client, report):
    """The report's page, print preview and stored PDF (as text), as this reader gets them."""
    pages = [
        client.get(reverse(name, args=[report.pk]))
        for name in ("reports:report-detail", "reports:report-preview")
    ]
    assert [page.status_code for page in pages] == [200, 200]
    pdf = client.get(reverse("reports:report-pdf", args=[report.pk]))
    assert pdf.status_code == 200
    assert pdf["Content-Type"] == "application/pdf"
    reader = PdfReader(io.BytesIO(b"".join(pdf.streaming_content)))
    pdf_text = "\n".join(page.extract_text() for page in reader.pages)
    assert report.title in _words(pdf_text)
    return [_words(page.content.decode()) for page in pages], _words(pdf_text)


def _second_version(original, user, *, drop_covert):
    successor = services.report_supersede(Report.objects.get(pk=original.pk), user=user)
    if drop_covert:
        for block in successor.blocks.filter(theme=theme("covert")):
            services.block_remove(block, user=user)
    successor.refresh_from_db()
    publish(successor, user)
    return successor


@pytest.fixture
def open_successor_of_restricted(cleared_planner, django_capture_on_commit_callbacks):
    """Version 1 embeds the covert theme; version 2 drops it and is published for everyone."""
    with django_capture_on_commit_callbacks(execute=True):
        original = ReportFactory(created_by=cleared_planner, title="Milestones review")
        services.block_add(
            original, user=cleared_planner, kind="theme-milestones", theme=theme("covert")
        )
        publish(Report.objects.get(pk=original.pk), cleared_planner)
        successor = _second_version(original, cleared_planner, drop_covert=True)
    original.refresh_from_db()
    successor.refresh_from_db()
    assert original.restricted and not successor.restricted
    assert successor.is_published and successor.pdf_sha256
    return original, successor


@pytest.fixture
def open_successor_of_open(cleared_planner, django_capture_on_commit_callbacks):
    """The same two versions with nothing restricted in either."""
    with django_capture_on_commit_callbacks(execute=True):
        original = ReportFactory(created_by=cleared_planner, title="Milestones review")
        services.block_add(
            original, user=cleared_planner, kind="theme-milestones", theme=theme("overt")
        )
        publish(Report.objects.get(pk=original.pk), cleared_planner)
        successor = _second_version(original, cleared_planner, drop_covert=False)
    original.refresh_from_db()
    successor.refresh_from_db()
    assert not original.restricted and not successor.restricted
    return original, successor


def test_committee_member_reads_no_restricted_predecessor_in_page_or_pdf(
    client_as, committee_member, open_successor_of_restricted
):
    _, successor = open_successor_of_restricted
    pages, pdf_text = _reader_gets(client_as(committee_member), successor)
    assert all("supersedes" not in page for page in pages)
    assert "supersedes" not in pdf_text


def test_uncleared_planner_reads_no_restricted_predecessor(
    client_as, planner, open_successor_of_restricted
):
    _, successor = open_successor_of_restricted
    pages, pdf_text = _reader_gets(client_as(planner), successor)
    assert all("supersedes" not in page for page in pages)
    assert "supersedes" not in pdf_text


def test_the_cleared_publisher_previews_what_everyone_else_reads(
    client_as, cleared_planner, open_successor_of_restricted
):
    """The print preview shows the PDF as the committee gets it; the page, for this reader
    alone, still names the version they may open."""
    _, successor = open_successor_of_restricted
    (page, preview), pdf_text = _reader_gets(client_as(cleared_planner), successor)
    assert SUPERSEDES_NOTICE in page
    assert "supersedes" not in preview
    assert "supersedes" not in pdf_text


def test_an_open_predecessor_is_still_named_to_the_committee(
    client_as, committee_member, open_successor_of_open
):
    _, successor = open_successor_of_open
    pages, pdf_text = _reader_gets(client_as(committee_member), successor)
    assert all(SUPERSEDES_NOTICE in page for page in pages)
    assert SUPERSEDES_NOTICE in pdf_text


def test_the_document_of_an_open_report_names_no_restricted_successor(
    cleared_planner, django_capture_on_commit_callbacks
):
    """Re-rendered as a cleared user (a proof, the render_report command), an open version 1
    still does not tell its readers that a restricted version 2 replaces it."""
    with django_capture_on_commit_callbacks(execute=True):
        original = ReportFactory(created_by=cleared_planner, title="Milestones review")
        publish(original, cleared_planner)
        successor = services.report_supersede(
            Report.objects.get(pk=original.pk), user=cleared_planner
        )
        services.block_add(
            successor, user=cleared_planner, kind="theme-milestones", theme=theme("covert")
        )
        publish(Report.objects.get(pk=successor.pk), cleared_planner)
    original.refresh_from_db()
    successor.refresh_from_db()
    assert successor.restricted and not original.restricted
    document = _words(rendering.report_document_html(original, user=cleared_planner))
    assert original.title in document
    assert "Superseded:" not in document
    # Every reader of the restricted version 2 may open the open version 1: it is named.
    successor_document = rendering.report_document_html(successor, user=cleared_planner)
    assert SUPERSEDES_NOTICE in _words(successor_document)
