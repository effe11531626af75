"""A record's history reads as the MOJ timeline: one item per change, newest first, saying what
changed, who changed it (by name) and when (GOV.UK style), the latest 20 with the rest on request.
"""

import datetime
import re
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse
from django.utils.html import escape

from dps.audit import CHANGES_SHOWN, EARLIER_CHANGES_RESTRICTED, readable_history
from dps.dates import in_words_with_time
from pssp.models import Outcome
from tests.factories import theme

pytestmark = pytest.mark.django_db

LONDON = ZoneInfo("Europe/London")


@pytest.mark.parametrize(
    ("moment", "words"),
    [
        (datetime.datetime(2008, 1, 17, 14, 5), "17 January 2008 at 2:05pm"),
        (datetime.datetime(2008, 1, 17, 15, 0), "17 January 2008 at 3pm"),
        (datetime.datetime(2008, 1, 7, 9, 30), "7 January 2008 at 9:30am"),
        (datetime.datetime(2008, 1, 17, 12, 0), "17 January 2008 at midday"),
        (datetime.datetime(2008, 1, 17, 0, 0), "17 January 2008 at midnight"),
        (datetime.datetime(2008, 1, 17, 0, 15), "17 January 2008 at 12:15am"),
        (datetime.datetime(2008, 1, 17, 12, 45), "17 January 2008 at 12:45pm"),
        # Stored in UTC, read in London: summer time moves the hour (and here the day).
        (datetime.datetime(2008, 6, 30, 23, 30, tzinfo=datetime.UTC), "1 July 2008 at 12:30am"),
    ],
)
def test_a_moment_reads_as_gov_uk_writes_it(moment, words):
    assert in_words_with_time(moment) == words


def outcome_with_changes(user, count):
    """An outcome created by `user` and then changed `count` times, its title numbering each."""
    outcome = Outcome(
        title="Change 0",
        description="What followed",
        occurred_on=datetime.date(2008, 3, 1),
        theme=theme("pssp"),
        evidence="Report",
    )
    outcome._history_user = user
    outcome.save()
    for number in range(1, count + 1):
        outcome.title = f"Change {number}"
        outcome._history_user = user
        outcome.save()
    return outcome


def timeline_items(page):
    section = page[page.index('id="history"') :]
    assert '<div class="moj-timeline">' in section
    return re.findall(r'<div class="moj-timeline__item">(.*?)</div>\s*</div>', section, re.S)


def test_each_change_is_one_timeline_item_with_what_who_and_when(client_as, cleared_planner):
    outcome = outcome_with_changes(cleared_planner, 2)
    page = client_as(cleared_planner).get(reverse("pssp:outcome-detail", args=[outcome.pk]))
    items = timeline_items(page.content.decode())

    assert len(items) == 3
    titles = [re.search(r'moj-timeline__title">(.*?)<', item).group(1) for item in items]
    assert titles == ["Changed", "Changed", "Created"]
    name = escape(cleared_planner.get_full_name())
    assert all(f'<p class="moj-timeline__byline">by {name}</p>' in item for item in items)
    assert cleared_planner.username not in "".join(items)
    made = Outcome.history.filter(id=outcome.pk).order_by("-history_date").first().history_date
    assert f">{in_words_with_time(made)}</time>" in items[0]
    assert "<li>Title: Change 1 → Change 2</li>" in items[0]
    assert "<li>Title: Change 0 → Change 1</li>" in items[1]


def test_the_uncleared_reader_sees_one_item_standing_for_the_restricted_past(
    client_as, planner, cleared_planner
):
    outcome = outcome_with_changes(cleared_planner, 0)
    outcome.theme = theme("covert")
    outcome.title = "Nightjar source"
    outcome.save()
    outcome.theme = theme("pssp")
    outcome.title = "Integrity result"
    outcome.save()

    page = client_as(planner).get(reverse("pssp:outcome-detail", args=[outcome.pk]))
    items = timeline_items(page.content.decode())

    titles = [re.search(r'moj-timeline__title">(.*?)<', item).group(1) for item in items]
    # Created openly, then restricted, then open again: the covert stretch is one item.
    assert titles == ["Changed", EARLIER_CHANGES_RESTRICTED, "Created"]
    assert "moj-timeline__byline" not in items[1] and "<time" not in items[1]
    assert "Nightjar" not in page.content.decode()


def test_a_long_history_shows_the_latest_changes_and_offers_the_rest(
    client_as, cleared_planner, django_assert_max_num_queries
):
    outcome = outcome_with_changes(cleared_planner, CHANGES_SHOWN + 4)
    client = client_as(cleared_planner)
    url = reverse("pssp:outcome-detail", args=[outcome.pk])

    page = client.get(url).content.decode()
    items = timeline_items(page)
    assert len(items) == CHANGES_SHOWN
    assert f"Title: Change {CHANGES_SHOWN + 3} → Change {CHANGES_SHOWN + 4}" in items[0]
    assert 'href="?history=all#history"' in page
    assert "Show all changes" in page

    with django_assert_max_num_queries(40):
        whole = client.get(url, {"history": "all"}).content.decode()
    items = timeline_items(whole)
    assert len(items) == CHANGES_SHOWN + 5
    assert "Created" in items[-1]
    assert "Show all changes" not in whole


def test_a_short_history_offers_nothing_more(client_as, cleared_planner):
    outcome = outcome_with_changes(cleared_planner, CHANGES_SHOWN - 1)
    page = client_as(cleared_planner).get(reverse("pssp:outcome-detail", args=[outcome.pk]))
    assert len(timeline_items(page.content.decode())) == CHANGES_SHOWN
    assert "Show all changes" not in page.content.decode()
    assert not readable_history(outcome, cleared_planner, limit=CHANGES_SHOWN).earlier


@pytest.mark.parametrize("value", ["everything", "ALL", "all\x00", "a" * 300])
def test_a_history_parameter_the_page_does_not_offer_is_a_400_not_a_500(
    client_as, cleared_planner, value
):
    outcome = outcome_with_changes(cleared_planner, 1)
    response = client_as(cleared_planner).get(
        reverse("pssp:outcome-detail", args=[outcome.pk]), {"history": value}
    )
    assert response.status_code == 400
    assert "history" in response.content.decode()
