import datetime

import pytest
from django.urls import reverse

from tests.themes.factories import MilestoneFactory
from themes.ical import escape_text, fold
from themes.models import CalendarFeed

pytestmark = pytest.mark.django_db


def test_text_is_escaped_per_rfc_5545():
    assert escape_text("a;b,c\\d\ne") == "a\\;b\\,c\\\\d\\ne"


def test_long_lines_are_folded_at_75_octets():
    folded = fold("SUMMARY:" + "é" * 80)
    lines = folded.split("\r\n")
    assert all(len(line.encode()) <= 75 for line in lines)
    assert all(line.startswith(" ") for line in lines[1:])
    assert "".join(line[1:] if i else line for i, line in enumerate(lines)) == "SUMMARY:" + "é" * 80


def test_feed_needs_no_session_but_a_valid_token(client, planner):
    MilestoneFactory(
        owner=planner, title="Go-live; phase 1, London", forecast_date=datetime.date(2008, 12, 1)
    )
    feed = CalendarFeed.objects.create(user=planner, token=CalendarFeed.new_token())
    response = client.get(reverse("themes:calendar-feed", args=[feed.token]))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    assert "SUMMARY:Milestone: Go-live\\; phase 1\\, London" in response.text
    assert "DTSTART;VALUE=DATE:20081201" in response.text
    assert client.get(reverse("themes:calendar-feed", args=["wrong"])).status_code == 404


def test_resetting_the_address_stops_the_old_one(client_as, planner):
    client = client_as(planner)
    client.post(reverse("themes:calendar"))
    old = CalendarFeed.objects.get(user=planner).token
    client.post(reverse("themes:calendar"))
    new = CalendarFeed.objects.get(user=planner).token
    assert new != old
    client.logout()
    assert client.get(reverse("themes:calendar-feed", args=[old])).status_code == 404
    assert client.get(reverse("themes:calendar-feed", args=[new])).status_code == 200


def test_feed_is_empty_once_the_user_loses_the_role(client, planner):
    MilestoneFactory(owner=planner, title="Secretly planned")
    feed = CalendarFeed.objects.create(user=planner, token=CalendarFeed.new_token())
    planner.groups.clear()
    assert (
        "Secretly planned"
        not in client.get(reverse("themes:calendar-feed", args=[feed.token])).text
    )
