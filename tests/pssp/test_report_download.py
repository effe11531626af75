import pytest

from dps.models import AccessRecord
from pssp import services
from tests.pssp.factories import PDF_BYTES, BoroughReportFactory, pdf_upload

pytestmark = pytest.mark.django_db


@pytest.fixture
def report_with_document():
    report = BoroughReportFactory()
    services.report_attach_document(report=report, uploaded=pdf_upload("../secret name.pdf"))
    return report


def test_the_planning_manager_downloads_and_it_is_recorded(
    client_as, planner, report_with_document
):
    response = client_as(planner).get(f"/pssp/reports/{report_with_document.pk}/download/")
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF_BYTES
    assert response["Content-Type"] == "application/pdf"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Disposition"] == (
        f'attachment; filename="borough-report-camden-{report_with_document.pk}.pdf"'
    )
    assert "no-store" in response["Cache-Control"]
    record = AccessRecord.objects.get()
    assert record.user == planner
    assert record.kind == AccessRecord.Kind.DOWNLOAD
    assert report_with_document.title in record.what


@pytest.mark.parametrize("persona", ["staff_user", "committee_member", "administrator", "outsider"])
def test_others_may_not_download_and_nothing_is_recorded(
    request, client_as, persona, report_with_document
):
    user = request.getfixturevalue(persona)
    response = client_as(user).get(f"/pssp/reports/{report_with_document.pk}/download/")
    assert response.status_code == 403
    assert not AccessRecord.objects.exists()


def test_dps_staff_see_the_report_but_no_download_link(client_as, staff_user, report_with_document):
    response = client_as(staff_user).get(f"/pssp/reports/{report_with_document.pk}/")
    assert response.status_code == 200
    body = response.content.decode()
    assert "only the planning manager may download it" in body
    assert f"/pssp/reports/{report_with_document.pk}/download/" not in body


def test_a_report_without_a_document_is_not_found(client_as, planner):
    report = BoroughReportFactory()
    response = client_as(planner).get(f"/pssp/reports/{report.pk}/download/")
    assert response.status_code == 404
    assert not AccessRecord.objects.exists()
