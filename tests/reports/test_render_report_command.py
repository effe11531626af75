import io

import pytest
from django.core.management import CommandError, call_command
from pypdf import PdfReader

pytestmark = pytest.mark.django_db


def test_list_prints_one_line_per_report(published_report, draft_report):
    out = io.StringIO()
    call_command("render_report", list=True, stdout=out)
    lines = out.getvalue().splitlines()
    assert len(lines) == 2
    first = lines[0].split("\t")
    assert first[0] == str(published_report.pk)
    assert first[1:4] == ["PSC", "2008-01-17", published_report.number]
    assert first[4] == published_report.title
    assert first[5] == "published"
    assert lines[1].split("\t")[5] == "draft"


def test_output_writes_the_pdf_with_the_frozen_figures(published_report, tmp_path):
    target = tmp_path / "report.pdf"
    out = io.StringIO()
    call_command("render_report", published_report.pk, output=str(target), stdout=out)
    text = "\n".join(page.extract_text() for page in PdfReader(target).pages)
    assert "Total" in text and "67" in text
    assert "SHA-256" in out.getvalue()


def test_unknown_report_is_a_clear_error(db, tmp_path):
    with pytest.raises(CommandError, match="No report with id 999"):
        call_command("render_report", 999, output=str(tmp_path / "x.pdf"))
