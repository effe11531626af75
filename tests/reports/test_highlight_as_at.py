"""A highlight report states the programme as at its period's end: the demo's Taylor report for
September to November 2007 (dated 17 January 2008) shows nothing that happened after it."""

import datetime
import io

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse
from pypdf import PdfReader

from dps import demo as demo_users
from reports import demo as reports_demo
from reports import rendering
from reports.highlight import highlight_text
from reports.models import Report
from themes import demo as themes_demo
from themes.asat import highlight_report_content

pytestmark = pytest.mark.django_db

# What the programme only learnt after 30 November 2007: the go-live deferral (21 January 2008)
# and its 244 days, the risk raised with it (review in March 2008), the issue raised in 2008,
# the amber status of 25 January 2008, the analysis re-forecast of 3 December 2007, the
# programme's default reporting date. (Baselines such as 31 March 2008 were known in 2007.)
LATER = [
    "1 Dec 2008",
    "1 December 2008",
    "244",
    "Regulations deferred again",
    "14 Mar 2008",
    "Re-baseline go-live to December 2008",
    "deferred the regulations",
    "18 Jan 2008",
    "Analysis extended",
    "as at 31 Mar 2008",
]


@pytest.fixture
def taylor_report(django_capture_on_commit_callbacks):
    users = demo_users.load(get_user_model())
    themes_demo.load(users)
    with django_capture_on_commit_callbacks(execute=True):
        reports_demo.load(users)
    report = Report.objects.get(kind="highlight", theme__code="taylor")
    assert (report.period_start, report.period_end) == (
        datetime.date(2007, 9, 1),
        datetime.date(2007, 11, 30),
    )
    return report, users


def _later_found(text):
    flat = " ".join(text.split())
    return [phrase for phrase in LATER if phrase in flat]


def test_the_report_page_shows_the_milestones_as_at_the_end_of_its_period(client, taylor_report):
    report, users = taylor_report
    client.force_login(users["planner"])
    page = client.get(reverse("reports:report-detail", args=[report.pk])).content.decode()
    flat = " ".join(page.split())
    assert "milestones as at 30 November 2007" in flat
    assert "New misconduct procedures mandatory (go-live)" in flat
    assert "states the programme as at 30 November 2007" in flat
    assert "dated 17 January 2008, after its period" in flat
    assert _later_found(page) == [], [
        page[max(0, page.find(p) - 300) : page.find(p) + 50] for p in _later_found(page)
    ]


def test_the_report_pdf_shows_nothing_after_its_period(taylor_report):
    report, users = taylor_report
    rendered = rendering.render_report(report, user=users["planner"])
    text = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(rendered.pdf)).pages)
    flat = " ".join(text.split())
    assert "milestones as at 30 November 2007" in flat
    assert "1 Apr 2008" in flat  # the go-live forecast then: its baseline
    assert "Detailed project plan agreed by the DPS Command Team" in flat
    assert _later_found(text) == []


def test_the_content_is_the_state_at_the_period_end(taylor_report):
    report, users = taylor_report
    content = highlight_report_content(
        users["planner"], "taylor", datetime.date(2007, 9, 1), datetime.date(2007, 11, 30)
    )
    assert [m["title"] for m in content["completed"]] == [
        "Highlight report to the Professional Standards & Complaints Committee – Q2",
        "Detailed project plan agreed by the DPS Command Team",
    ]
    assert [m["title"] for m in content["slipped"]] == [
        "Detailed project plan agreed by the DPS Command Team"
    ]
    assert content["slipped"][0]["reforecasts"][0]["on"] == "2007-09-20"
    assert content["status"]["as_at"] == "2007-09-13"
    assert content["status"]["rag"]["value"] == "green"
    assert content["computed_rag"]["value"] != "red"
    assert "Regulations deferred again" not in {r["title"] for r in content["risks"]}
    assert content["issues"] == []


def test_a_report_dated_within_its_period_does_not_say_it_is_late(taylor_report):
    report, users = taylor_report
    content = highlight_report_content(
        users["planner"], "taylor", datetime.date(2007, 9, 1), datetime.date(2007, 11, 30)
    )
    on_time = highlight_text(content, datetime.date(2007, 11, 30))["supporting_information"]
    assert "after its period" not in on_time
    late = highlight_text(content, datetime.date(2008, 1, 17))["supporting_information"]
    assert "dated 17 January 2008, after its period" in late
