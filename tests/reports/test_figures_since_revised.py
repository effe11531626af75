"""A published report whose frozen figures differ from the delivery log's figures today for the
same period says so on its page, cell by cell, and never in its PDF or print preview."""

import datetime

import pytest
from django.urls import reverse

from presentations.models import Delivery
from presentations.stats import RevisedCell, revised_cells
from reports import rendering, services
from reports.revisions import figures_since_revised
from tests.factories import DeliveryFactory
from tests.reports.factories import ReportFactory, publish

pytestmark = pytest.mark.django_db


def _tables(pssp, non_pssp, participants=0):
    return {
        "presentations": [
            {
                "month": month,
                "pssp_attendees": pssp,
                "non_pssp_attendees": non_pssp,
                "total_people": pssp + non_pssp,
                "attending_preventing_deaths_in_custody": 0,
                "attending_computer_misuse": 0,
            }
            for month in ("2007-01", "Total")
        ],
        "civil_actions": [],
        "accident_claims": [{"month": "Total", "participants": participants}],
    }


def test_only_the_cells_that_moved_are_listed_with_the_change():
    cells = revised_cells(_tables(55, 12), _tables(60, 12, participants=3))
    assert cells == [
        RevisedCell("Presentations", "Jan 2007", "PSSP presentations (people)", 55, 60),
        RevisedCell("Presentations", "Jan 2007", "Total no. of people", 67, 72),
        RevisedCell("Presentations", "Total", "PSSP presentations (people)", 55, 60),
        RevisedCell("Presentations", "Total", "Total no. of people", 67, 72),
        RevisedCell("Accident claims", "Total", "Numbers", 0, 3),
    ]
    assert [cell.change for cell in cells] == [5, 5, 5, 5, 3]
    assert revised_cells(_tables(55, 12), _tables(55, 12)) == []


def test_nothing_is_revised_while_the_log_agrees(published_report):
    assert figures_since_revised(published_report) == []


def test_a_draft_has_no_revisions(tables_report):
    DeliveryFactory(delivered_on=datetime.date(2007, 1, 30), attendees=5)
    assert figures_since_revised(tables_report) == []


def test_the_page_shows_revised_cells_and_the_pdf_and_preview_do_not(
    published_report, planner, committee_member, client_as, django_assert_max_num_queries
):
    # A late session logged, and one corrected, after publication.
    DeliveryFactory(delivered_on=datetime.date(2007, 1, 30), attendees=5)
    corrected = Delivery.objects.every_row("test").filter(stream="pssp").first()
    corrected.attendees += 1
    corrected.save()

    [block] = figures_since_revised(published_report)
    total = [c for c in block.cells if c.month == "Total" and c.column == "Total no. of people"]
    assert total == [RevisedCell("Presentations", "Total", "Total no. of people", 67, 73)]

    for reader in (planner, committee_member):
        client = client_as(reader)
        with django_assert_max_num_queries(40):
            page = client.get(reverse("reports:report-detail", args=[published_report.pk]))
        text = page.content.decode()
        assert "Figures since revised" in text
        assert "+6" in text and ">67<" in text and ">73<" in text
        preview = client.get(reverse("reports:report-preview", args=[published_report.pk]))
        assert "Figures since revised" not in preview.content.decode()
    assert "Figures since revised" not in rendering.report_document_html(
        published_report, user=planner
    )


def test_the_next_report_carries_a_figures_since_revised_block_frozen_when_published(
    published_report, planner, django_capture_on_commit_callbacks
):
    DeliveryFactory(delivered_on=datetime.date(2007, 1, 30), attendees=5)
    later = ReportFactory(created_by=planner, meeting=published_report.meeting)
    block = services.block_add(later, user=planner, kind="figures-revised")
    html = rendering.report_document_html(later, user=planner)
    assert f"Figures since revised in report {published_report.number}" in html
    assert "+5" in html

    with django_capture_on_commit_callbacks(execute=True):
        publish(later, planner)
    block.refresh_from_db()
    [entry] = block.frozen_data["reports"]
    assert entry["report"] == published_report.number
    assert {
        "table": "Presentations",
        "month": "Total",
        "column": "Total no. of people",
        "published": 67,
        "now": 72,
        "change": 5,
    } in entry["cells"]
    # Frozen: a further correction does not move the published block.
    DeliveryFactory(delivered_on=datetime.date(2007, 1, 29), attendees=100)
    later.refresh_from_db()
    assert "+5" in rendering.report_document_html(later, user=planner)
    assert "+105" not in rendering.report_document_html(later, user=planner)


def test_a_restricted_report_is_left_out_of_the_block(published_report, planner, cleared_planner):
    Report = type(published_report)
    Report.objects.filter(pk=published_report.pk).update(restricted=True)
    DeliveryFactory(delivered_on=datetime.date(2007, 1, 30), attendees=5)
    later = ReportFactory(created_by=cleared_planner, meeting=published_report.meeting)
    services.block_add(later, user=cleared_planner, kind="figures-revised")
    assert block_is_empty(rendering.report_document_html(later, user=cleared_planner))


def block_is_empty(html):
    return "No figure published in an earlier report has been revised since" in html
