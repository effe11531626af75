"""Who sees what: committee members see published, unrestricted reports only; 404 otherwise."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from dps.models import AccessRecord
from reports import services
from reports.models import Report
from tests.factories import theme
from tests.reports.factories import ReportFactory, publish
from tests.themes.factories import MilestoneFactory, deliverable_in

pytestmark = pytest.mark.django_db

REPORT_PAGES = ("reports:report-detail", "reports:report-preview", "reports:report-pdf")


@pytest.fixture
def restricted_report(cleared_planner, django_capture_on_commit_callbacks):
    """A published report embedding the restricted covert theme's milestones."""
    MilestoneFactory(deliverable=deliverable_in("covert"), title="Covert source review")
    report = ReportFactory(created_by=cleared_planner, title="Covert progress")
    services.block_add(report, user=cleared_planner, kind="theme-milestones", theme=theme("covert"))
    with django_capture_on_commit_callbacks(execute=True):
        publish(report, cleared_planner)
    report.refresh_from_db()
    return report


def test_committee_member_gets_404_for_draft(client_as, committee_member, draft_report):
    client = client_as(committee_member)
    for name in REPORT_PAGES:
        assert client.get(reverse(name, args=[draft_report.pk])).status_code == 404, name


def test_committee_member_gets_404_for_restricted_content(
    client_as, committee_member, restricted_report
):
    assert restricted_report.restricted
    assert restricted_report.pdf_sha256
    client = client_as(committee_member)
    for name in REPORT_PAGES:
        assert client.get(reverse(name, args=[restricted_report.pk])).status_code == 404, name
    listing = client.get(reverse("reports:index")).content.decode()
    assert "Covert progress" not in listing
    assert "Covert progress" not in client.get(reverse("home")).content.decode()


def test_uncleared_planner_gets_404_for_restricted_content(client_as, planner, restricted_report):
    client = client_as(planner)
    for name in REPORT_PAGES:
        assert client.get(reverse(name, args=[restricted_report.pk])).status_code == 404, name
    job = restricted_report.jobs.get()
    assert client.get(reverse("reports:job-status", args=[job.pk])).status_code == 404
    assert "Covert progress" not in client.get(reverse("reports:manage")).content.decode()


def test_cleared_planner_sees_restricted_content(client_as, cleared_planner, restricted_report):
    page = client_as(cleared_planner).get(
        reverse("reports:report-detail", args=[restricted_report.pk])
    )
    assert page.status_code == 200
    assert "Covert source review" in page.content.decode()


def test_uncleared_planner_cannot_embed_a_restricted_theme(planner, draft_report):
    with pytest.raises(ValidationError):
        services.block_add(
            draft_report, user=planner, kind="theme-milestones", theme=theme("covert")
        )


def test_committee_member_reads_and_downloads_published_reports(
    client_as, committee_member, published_report
):
    client = client_as(committee_member)
    listing = client.get(reverse("reports:index")).content.decode()
    assert published_report.title in listing
    assert "17 January 2008" in listing
    page = client.get(reverse("reports:report-detail", args=[published_report.pk]))
    assert page.status_code == 200
    assert "Edit" not in page.content.decode()  # no management panel for members
    response = client.get(reverse("reports:report-pdf", args=[published_report.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert b"".join(response.streaming_content).startswith(b"%PDF")
    record = AccessRecord.objects.get(user=committee_member, kind=AccessRecord.Kind.DOWNLOAD)
    assert published_report.title in record.what
    assert record.owner == published_report.created_by
    opened = AccessRecord.objects.get(user=committee_member, kind=AccessRecord.Kind.OPEN)
    assert published_report.title in opened.what


def test_committee_member_home_lists_published_reports(
    client_as, committee_member, published_report
):
    home = client_as(committee_member).get(reverse("home")).content.decode()
    assert "Committee papers" in home
    assert published_report.title in home


def test_committee_member_cannot_manage_reports(client_as, committee_member, published_report):
    client = client_as(committee_member)
    assert client.get(reverse("reports:manage")).status_code == 403
    assert client.get(reverse("reports:report-create")).status_code == 403
    job = published_report.jobs.get()
    assert client.get(reverse("reports:job-detail", args=[job.pk])).status_code == 403


def test_outsider_and_staff_get_403(client_as, outsider, staff_user, published_report):
    for user in (outsider, staff_user):
        client = client_as(user)
        assert client.get(reverse("reports:index")).status_code == 403
        url = reverse("reports:report-pdf", args=[published_report.pk])
        assert client.get(url).status_code == 403


def test_published_list_query_count_does_not_grow_with_reports(
    client_as, committee_member, planner, django_assert_max_num_queries
):
    for _ in range(15):
        report = ReportFactory(created_by=planner)
        publish(report, planner)
    assert Report.objects.filter(status="published").count() == 15
    client = client_as(committee_member)
    with django_assert_max_num_queries(10):
        response = client.get(reverse("reports:index"))
    assert response.content.decode().count("Being prepared") == 15  # PDFs not rendered: no commit


def test_manage_list_query_count(client_as, planner, django_assert_max_num_queries):
    for _ in range(30):
        ReportFactory(created_by=planner)
    client = client_as(planner)
    with django_assert_max_num_queries(12):
        response = client.get(reverse("reports:manage"))
    assert response.status_code == 200


def test_role_permissions_for_reports(committee_member, planner, staff_user):
    assert committee_member.has_perm("reports.view_published_report")
    assert not committee_member.has_perm("reports.view_report")
    assert not committee_member.has_perm("reports.publish_report")
    assert planner.has_perm("reports.publish_report") and planner.has_perm("reports.view_report")
    assert not staff_user.has_perm("reports.view_published_report")
