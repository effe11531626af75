"""Baseline comparison between two dates: what moved, why, what changed RAG, what was added or
closed, which risks opened, escalated or closed; on a page and as CSV."""

import csv
import datetime
import io

import pytest
from django.urls import reverse

from tests.factories import theme
from tests.themes.factories import (
    MilestoneFactory,
    RiskFactory,
    StatusUpdateFactory,
    deliverable_in,
)
from tests.themes.history import dated
from themes.asat import compare_programme
from themes.models import Deliverable, Milestone, Risk

pytestmark = pytest.mark.django_db

NOVEMBER = datetime.date(2007, 11, 30)
MARCH = datetime.date(2008, 3, 31)


@pytest.fixture
def changes(planner, go_live):
    with dated(datetime.date(2007, 9, 1), Risk):
        growing = RiskFactory(title="Trainers redeployed", likelihood_after=2, impact_after=2)
        ending = RiskFactory(title="Consultation late")
    with dated(datetime.date(2008, 2, 1), Risk, Milestone, Deliverable):
        growing.likelihood_after = 4
        growing.save()
        ending.status = "closed"
        ending.save()
        RiskFactory(title="Regulations deferred again")
        MilestoneFactory(deliverable=deliverable_in("taylor", title="Refresher"), title="Refresh")
    StatusUpdateFactory(as_at=datetime.date(2007, 10, 1), rag="green", reason="On track")
    StatusUpdateFactory(as_at=datetime.date(2008, 1, 25), rag="amber", reason="Deferred")


def test_it_lists_what_moved_with_the_reasons_and_what_changed(planner, changes):
    comparison = compare_programme(planner, NOVEMBER, MARCH)
    assert [(row["title"], row["from"], row["to"], row["days"]) for row in comparison["moved"]] == [
        ("Go-live", "2008-04-01", "2008-12-01", 244)
    ]
    assert comparison["moved"][0]["reforecasts"][0]["reason"] == "Home Office deferral"
    assert [
        (r["title"], r["from"]["value"], r["to"]["value"]) for r in comparison["rag_changes"]
    ] == [("Go-live", "green", "red")]
    assert [
        (r["theme"], r["from"]["value"], r["to"]["value"]) for r in comparison["theme_rag_changes"]
    ] == [("taylor", "green", "amber")]
    assert [r["title"] for r in comparison["milestones_added"]] == ["Refresh"]
    assert [r["title"] for r in comparison["deliverables_added"]] == ["Refresher"]
    assert [r["title"] for r in comparison["risks_opened"]] == ["Regulations deferred again"]
    assert [(r["title"], r["from"], r["to"]) for r in comparison["risks_escalated"]] == [
        ("Trainers redeployed", 4, 8)
    ]
    assert [r["title"] for r in comparison["risks_closed"]] == ["Consultation late"]
    later = compare_programme(planner, MARCH, datetime.date(2008, 7, 1))
    assert [(r["title"], r["how"]) for r in later["milestones_closed"]] == [
        ("Go-live", "completed")
    ]


def test_the_dates_may_come_in_either_order(planner, changes):
    assert compare_programme(planner, MARCH, NOVEMBER) == compare_programme(
        planner, NOVEMBER, MARCH
    )


def test_one_theme_only(planner, changes):
    assert compare_programme(planner, NOVEMBER, MARCH, theme="pssp")["moved"] == []


def test_covert_changes_are_absent_for_the_uncleared(planner, cleared_planner, go_live):
    with dated(datetime.date(2008, 2, 1), Milestone, Risk):
        MilestoneFactory(deliverable=deliverable_in("covert"), title="Covert cut-over")
        RiskFactory(theme=theme("covert"), title="Covert staffing")
    hidden = compare_programme(planner, NOVEMBER, MARCH)
    seen = compare_programme(cleared_planner, NOVEMBER, MARCH)
    assert "Covert" not in str(hidden) and not hidden["restricted"]
    assert "Covert cut-over" in str(seen) and seen["restricted"]


def test_the_page_and_its_csv(client_as, planner, changes, django_assert_max_num_queries):
    client = client_as(planner)
    url = reverse("themes:compare")
    with django_assert_max_num_queries(45):
        page = client.get(url, {"from": "2007-11-30", "to": "2008-03-31"})
    assert page.status_code == 200
    text = " ".join(page.content.decode().split())
    assert "What changed from 30 November 2007 to 31 March 2008" in text
    assert "+244" in text and "Home Office deferral" in text
    download = client.get(url, {"from": "2007-11-30", "to": "2008-03-31", "_export": "csv"})
    assert download["Content-Type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(download.content.decode())))
    moved = next(row for row in rows if row["change"] == "milestone moved")
    assert (moved["record"], moved["days"]) == ("Go-live", "244")
    assert "Home Office deferral" in moved["reasons"]
    assert {row["change"] for row in rows} >= {"risk opened", "risk closed", "risk escalated"}


@pytest.mark.parametrize(
    "query", [{"from": "9999-01-01"}, {"to": "2008-02-30"}, {"theme": "covert"}, {"_export": "pdf"}]
)
def test_bad_values_are_a_400(client_as, planner, query):
    assert client_as(planner).get(reverse("themes:compare"), query).status_code == 400


def test_others_may_not_open_it(client_as, committee_member, staff_user):
    for user in (committee_member, staff_user):
        assert client_as(user).get(reverse("themes:compare")).status_code == 403
