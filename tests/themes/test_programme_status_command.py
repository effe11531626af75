"""`manage.py programme_status --as-at` prints the programme as it stood, from programme_as_at."""

import datetime
import io
import json

import pytest
from django.core.management import CommandError, call_command

from tests.themes.factories import MilestoneFactory, deliverable_in
from tests.themes.history import dated
from themes.models import Milestone

pytestmark = pytest.mark.django_db


def status(*args):
    out = io.StringIO()
    call_command("programme_status", *args, "--format", "json", stdout=out)
    return json.loads(out.getvalue())


def row(payload, title):
    return next((r for r in payload["milestones"] if r["title"] == title), None)


def test_it_prints_the_milestones_as_they_stood(go_live):
    before = status("--as-at", "2007-11-30")
    assert before["as_at"] == "2007-11-30"
    assert row(before, "Go-live") == {
        "theme": "taylor",
        "title": "Go-live",
        "baseline": "2008-04-01",
        "forecast": "2008-04-01",
        "actual": None,
        "rag": "green",
    }
    assert row(status("--as-at", "2008-03-31"), "Go-live")["forecast"] == "2008-12-01"
    done = row(status("--as-at", "2008-06-30"), "Go-live")
    assert (done["actual"], done["rag"]) == ("2008-06-02", "complete")


@pytest.fixture
def covert_milestone(db):
    with dated(datetime.date(2007, 7, 2), Milestone):
        return MilestoneFactory(deliverable=deliverable_in("covert"), title="Covert cut-over")


def test_the_operator_sees_every_theme(covert_milestone, go_live):
    payload = status("--as-at", "2008-03-31")
    assert {r["theme"] for r in payload["milestones"]} == {"taylor", "covert"}


def test_as_user_leaves_out_what_they_may_not_see(planner, cleared_planner, covert_milestone):
    assert (
        row(status("--as-at", "2008-03-31", "--as-user", planner.username), "Covert cut-over")
        is None
    )
    cleared = status("--as-at", "2008-03-31", "--as-user", cleared_planner.username)
    assert row(cleared, "Covert cut-over")["theme"] == "covert"


def test_a_hidden_theme_reads_as_a_missing_one(planner, covert_milestone):
    with pytest.raises(CommandError) as hidden:
        status("--as-at", "2008-03-31", "--theme", "covert", "--as-user", planner.username)
    with pytest.raises(CommandError) as missing:
        status("--as-at", "2008-03-31", "--theme", "no-such", "--as-user", planner.username)
    assert str(hidden.value).replace("covert", "X") == str(missing.value).replace("no-such", "X")


def test_theme_narrows_to_one_theme(go_live, covert_milestone):
    payload = status("--as-at", "2008-03-31", "--theme", "taylor")
    assert {r["theme"] for r in payload["milestones"]} == {"taylor"}


@pytest.mark.parametrize(
    "args",
    [
        ("--as-at", "31/03/2008"),
        ("--as-at", "2008-02-30"),
        ("--as-at", "2008-03-31", "--as-user", "nobody"),
    ],
)
def test_bad_arguments_are_refused_plainly(db, args):
    with pytest.raises(CommandError):
        status(*args)
