import re
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from pssp import services
from pssp.uploads import safe_display_name, validate_report_document
from tests.pssp.factories import PDF_BYTES, BoroughReportFactory, docx_bytes, odt_bytes, pdf_upload

pytestmark = pytest.mark.django_db

STORED_NAME = re.compile(r"^borough-reports/[0-9a-f]{32}\.(pdf|docx|odt)$")


def upload(name, content):
    return SimpleUploadedFile(name, content)


@pytest.mark.parametrize(
    ("name", "content", "kind"),
    [
        ("report.pdf", PDF_BYTES, "pdf"),
        ("Report.DOCX", docx_bytes(), "docx"),
        ("report.odt", odt_bytes(), "odt"),
    ],
)
def test_it_accepts_pdf_docx_and_odt_by_content(name, content, kind):
    assert validate_report_document(upload(name, content)) == kind


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("tool.exe", b"MZ\x90\x00rest", "must be a PDF"),
        ("report.pdf", b"MZ\x90\x00\x03\x00\x00\x00 renamed executable", "content is not a PDF"),
        ("report.docx", b"#!/bin/sh\nrm -rf /\n", "content is not a PDF"),
        ("report.pdf", docx_bytes(), "content is a .docx"),
        ("report.html", b"<html><script>alert(1)</script>", "must be a PDF"),
        ("report", PDF_BYTES, "must be a PDF"),
        ("report.pdf", b"", "empty"),
    ],
)
def test_it_rejects_the_wrong_type_whatever_the_name(name, content, message):
    with pytest.raises(ValidationError, match=message):
        validate_report_document(upload(name, content))


def test_a_zip_that_is_not_a_word_document_is_rejected():
    import io
    import zipfile

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("payload.exe", b"MZ")
    with pytest.raises(ValidationError, match="content is not a PDF"):
        validate_report_document(upload("report.docx", buffer.getvalue()))


def test_it_rejects_an_oversize_file_naming_the_limit(settings):
    settings.PSSP_REPORT_MAX_UPLOAD_BYTES = 1024
    big = PDF_BYTES + b"0" * 2048
    with pytest.raises(ValidationError) as refused:
        validate_report_document(upload("report.pdf", big))
    assert refused.value.code == "too_large"
    assert "largest allowed is 1.0\xa0KB" in refused.value.messages[0]


@pytest.mark.parametrize(
    "name",
    ["../../../etc/passwd.pdf", "/etc/cron.d/evil.pdf", "..\\..\\windows\\evil.pdf", "....pdf"],
)
def test_path_tricks_in_the_name_never_reach_the_stored_path(name, private_media):
    report = BoroughReportFactory()
    services.report_attach_document(report=report, uploaded=pdf_upload(name))
    report.refresh_from_db()
    assert STORED_NAME.match(report.document.name)
    stored = Path(report.document.path).resolve()
    assert stored.is_relative_to(Path(private_media).resolve())
    assert stored.read_bytes() == PDF_BYTES
    assert "/" not in report.document_original_name
    assert "\\" not in report.document_original_name
    assert ".." not in report.document_original_name.replace("....pdf", "")


def test_the_display_name_is_reduced_to_a_harmless_label():
    assert safe_display_name("../../etc/passwd.pdf") == "passwd.pdf"
    assert safe_display_name("C:\\Users\\me\\My report.pdf") == "My_report.pdf"
    assert safe_display_name('"><script>.pdf') == "script.pdf"


def test_the_planner_uploads_through_the_page(client_as, planner):
    report = BoroughReportFactory()
    response = client_as(planner).post(
        f"/pssp/reports/{report.pk}/document/", {"document": pdf_upload("draft.pdf")}
    )
    assert response.status_code == 302
    report.refresh_from_db()
    assert report.document_kind == "pdf"
    assert report.document_original_name == "draft.pdf"


def test_the_page_shows_a_renamed_executable_as_an_error_on_the_field(client_as, planner):
    report = BoroughReportFactory()
    response = client_as(planner).post(
        f"/pssp/reports/{report.pk}/document/",
        {"document": upload("invoice.pdf", b"MZ\x90\x00 this is a program")},
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert "govuk-error-summary" in body
    assert "The file is called .pdf but its content is not" in body
    report.refresh_from_db()
    assert not report.document


def test_dps_staff_cannot_upload(client_as, staff_user):
    report = BoroughReportFactory()
    response = client_as(staff_user).post(
        f"/pssp/reports/{report.pk}/document/", {"document": pdf_upload()}
    )
    assert response.status_code == 403


def test_an_oversize_upload_is_cut_off_and_reported_on_the_field(client_as, planner, settings):
    settings.PSSP_REPORT_MAX_UPLOAD_BYTES = 100 * 1024
    report = BoroughReportFactory()
    huge = pdf_upload("big.pdf", PDF_BYTES + b"0" * (300 * 1024))
    response = client_as(planner).post(f"/pssp/reports/{report.pk}/document/", {"document": huge})
    assert response.status_code == 200
    assert "larger than 100.0\xa0KB, the largest allowed" in response.content.decode()
    report.refresh_from_db()
    assert not report.document


def test_an_upload_one_byte_over_the_limit_is_not_also_called_missing(client_as, planner, settings):
    settings.PSSP_REPORT_MAX_UPLOAD_BYTES = 100 * 1024
    report = BoroughReportFactory()
    over = pdf_upload("over.pdf", PDF_BYTES + b"0" * (100 * 1024 + 1 - len(PDF_BYTES)))
    response = client_as(planner).post(f"/pssp/reports/{report.pk}/document/", {"document": over})
    page = response.content.decode()
    assert "the largest allowed" in page
    assert "This field is required" not in page


def test_the_upload_page_still_checks_csrf(planner):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(planner)
    report = BoroughReportFactory()
    response = client.post(f"/pssp/reports/{report.pk}/document/", {"document": pdf_upload()})
    assert response.status_code == 403
    report.refresh_from_db()
    assert not report.document


def test_the_upload_works_with_csrf_enforced(planner):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(planner)
    report = BoroughReportFactory()
    client.get(f"/pssp/reports/{report.pk}/document/")
    token = client.cookies["csrftoken"].value
    response = client.post(
        f"/pssp/reports/{report.pk}/document/",
        {"document": pdf_upload(), "csrfmiddlewaretoken": token},
    )
    assert response.status_code == 302
    report.refresh_from_db()
    assert report.document_kind == "pdf"
