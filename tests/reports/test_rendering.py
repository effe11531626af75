"""What the render function produces: PDF text, page furniture, tags, escaped user text."""

import datetime
import io
import re
import socket
import urllib.request

import pytest
from pypdf import PdfReader

from reports import rendering, services
from tests.reports.factories import ReportFactory

pytestmark = pytest.mark.django_db

HOSTILE = (
    '<script>alert("x")</script> <img src="file:///etc/passwd"> '
    "see http://evil.example/track.png and [a link](javascript:alert(1)) "
    '<a href="http://evil.example">click</a>'
)


def pdf_text(pdf):
    reader = PdfReader(io.BytesIO(pdf))
    return reader, [page.extract_text() for page in reader.pages]


def test_pdf_carries_the_tables_totals_page_numbers_and_marking(planner, tables_report):
    services.report_update(tables_report, user=planner, protective_marking="OFFICIAL-SENSITIVE")
    tables_report.refresh_from_db()
    rendered = rendering.render_report(tables_report, user=planner)
    reader, pages = pdf_text(rendered.pdf)
    text = "\n".join(pages)
    assert re.search(r"Total\s+55\s+12\s+67\s+0\s+25", text)  # presentations total row
    for number, page in enumerate(pages, start=1):
        assert f"Page {number} of {len(pages)}" in page
        assert page.count("OFFICIAL-SENSITIVE") >= 2  # top and bottom of every page
        assert "Professional Standards & Complaints Committee" in " ".join(page.split())
    assert "B. Supporting information" in text and "F. Contact details" in text


def test_pdf_is_tagged_with_title_and_language(planner, draft_report):
    rendered = rendering.render_report(draft_report, user=planner)
    reader, _ = pdf_text(rendered.pdf)
    root = reader.trailer["/Root"]
    assert root["/Lang"] == "en-GB"
    assert root["/MarkInfo"]["/Marked"]
    assert "/StructTreeRoot" in root
    assert reader.metadata.title == f"Report {draft_report.number}: {draft_report.title}"


def test_tables_repeat_their_header_when_they_split_across_pages(planner, january_deliveries):
    # The borough coverage table lists all 32 boroughs: with text before it, it must split.
    report = ReportFactory(
        created_by=planner,
        supporting_information="\n\n".join(f"{n}. Paragraph " + "words " * 80 for n in (1, 2, 3))
        + "\n\n[block 1]",
    )
    services.block_add(
        report,
        user=planner,
        kind="borough-coverage",
        period_start=datetime.date(2007, 1, 1),
        period_end=datetime.date(2007, 1, 31),
    )
    _, pages = pdf_text(rendering.render_report(report, user=planner).pdf)
    # Table rows read "<borough> None 0 0" (the unreached list above the table has names only).
    first = next(page for page in pages if re.search(r"Barking and Dagenham\s+None", page))
    last = next(page for page in pages if re.search(r"Westminster\s+None", page))
    assert first != last  # the table does split across pages...
    assert "Borough or unit" in first and "Borough or unit" in last  # ...repeating its header


def test_user_text_is_escaped_in_html_and_pdf_and_nothing_is_fetched(planner, monkeypatch):
    opened = []
    monkeypatch.setattr(urllib.request.OpenerDirector, "open", lambda *a, **k: opened.append(a))
    monkeypatch.setattr(socket, "create_connection", lambda *a, **k: opened.append(a))
    report = ReportFactory(
        created_by=planner,
        title=f"Title {HOSTILE}",
        summary=HOSTILE,
        supporting_information=f"1. {HOSTILE}\n\n- bullet {HOSTILE}",
        contact_details=HOSTILE,
    )
    rendered = rendering.render_report(report, user=planner)
    html = rendered.html
    assert "<script>" not in html
    assert "<img" not in html
    assert "javascript:" not in html.replace("[a link](javascript:alert(1))", "")
    assert '<a href="http://evil.example"' not in html
    assert "&lt;img src=" in html
    assert "&lt;script&gt;" in html
    reader, pages = pdf_text(rendered.pdf)
    text = "\n".join(pages)
    assert '<img src="file:///etc/passwd">' in text.replace("\n", " ")  # shown as text
    assert all(len(page.images) == 0 for page in reader.pages)
    assert opened == []


def test_web_page_escapes_user_text(client_as, planner):
    from django.urls import reverse

    report = ReportFactory(created_by=planner, summary=HOSTILE)
    page = client_as(planner).get(reverse("reports:report-detail", args=[report.pk]))
    body = page.content.decode()
    assert '<img src="file:///etc/passwd">' not in body
    assert "&lt;img src=" in body


def test_preview_is_the_document_the_pdf_is_made_from(client_as, planner, tables_report):
    from django.urls import reverse

    preview = client_as(planner).get(reverse("reports:report-preview", args=[tables_report.pk]))
    expected = rendering.report_document_html(tables_report, user=planner)
    assert preview.content.decode() == expected
    assert "css/report-print.css" in expected
