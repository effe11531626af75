"""The demo's record-level 2007 sessions reproduce the published tables exactly."""

import csv
import io
import json
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command

from dps import demo as dps_demo
from dps.models import Borough
from presentations import demo, stats
from presentations.models import Delivery

pytestmark = pytest.mark.django_db

DATA = Path(settings.BASE_DIR) / "data"


@pytest.fixture
def demo_users(django_user_model):
    # Only the two staff accounts enter sessions; created without the (slow) password hashing.
    return {
        username: django_user_model.objects.create(username=username)
        for username, *_ in dps_demo.DEMO_USERS
    }


@pytest.fixture
def loaded(demo_users):
    demo.load(demo_users)
    return demo_users


def stats_output(*args):
    out = io.StringIO()
    call_command("delivery_stats", *args, stdout=out)
    return out.getvalue()


def published(name):
    with (DATA / f"pssp_2007_{name}.csv").open(newline="", encoding="utf-8") as source:
        return [
            {key: value if key == "month" else int(value) for key, value in row.items()}
            for row in csv.DictReader(source)
        ]


@pytest.mark.parametrize("table", ["presentations", "civil_actions", "accident_claims"])
def test_delivery_stats_json_equals_the_published_csv_month_by_month(loaded, table):
    figures = json.loads(stats_output("--year", "2007", "--format", "json"))
    assert list(figures) == ["presentations", "civil_actions", "accident_claims"]
    assert figures[table][:-1] == published(table)
    assert figures[table][-1]["month"] == "Total"


def test_delivery_stats_totals_are_the_published_totals(loaded):
    figures = json.loads(stats_output("--year", "2007"))
    assert figures["presentations"][-1] == {
        "month": "Total",
        "pssp_attendees": 6071,
        "non_pssp_attendees": 1776,
        "total_people": 7847,
        "attending_preventing_deaths_in_custody": 1407,
        "attending_computer_misuse": 5663,
    }
    assert figures["civil_actions"][-1] == {"month": "Total", "sessions": 287, "attendees": 5414}
    assert figures["accident_claims"][-1] == {"month": "Total", "participants": 1293}
    # March had civil-actions and presentations but no accident-claims sessions: a 0 row.
    assert {"month": "2007-03", "participants": 0} in figures["accident_claims"]


@pytest.mark.parametrize("table", ["presentations", "civil_actions", "accident_claims"])
def test_delivery_stats_csv_of_one_table_is_the_published_csv_plus_total(loaded, table):
    output = stats_output("--year", "2007", "--format", "csv", "--table", table)
    lines = output.splitlines()
    expected = (DATA / f"pssp_2007_{table}.csv").read_text(encoding="utf-8").splitlines()
    assert lines[:-1] == expected
    assert lines[-1].startswith("Total,")


def test_from_to_range_gives_the_same_figures_as_the_year(loaded):
    assert stats_output("--from", "2007-01-01", "--to", "2007-12-31") == stats_output(
        "--year", "2007"
    )


def test_every_london_borough_receives_input_during_2007(loaded):
    reached = set(Delivery.objects.values_list("borough__name", flat=True))
    assert set(Borough.objects.boroughs().values_list("name", flat=True)) <= reached


def test_the_demo_borough_coverage_reads_32_of_32_boroughs_received_pssp_input(loaded, planner):
    # The report: the two boroughs whose command teams were not met "did receive input from the
    # programme". Non-PSSP sessions do not count towards it.
    coverage = stats.borough_coverage(planner, *stats.year_range(2007))
    assert (coverage["reached"], coverage["total"], coverage["unreached"]) == (32, 32, [])


def test_loading_the_demo_twice_changes_nothing(loaded):
    count = Delivery.objects.count()
    history = Delivery.history.count()
    demo.load(loaded)
    assert Delivery.objects.count() == count
    assert Delivery.history.count() == history


def test_demo_sessions_are_entered_by_the_demo_staff(loaded):
    assert set(Delivery.objects.values_list("entered_by__username", flat=True)) == {
        "staff",
        "staff2",
    }
