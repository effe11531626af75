import datetime
import json

import pytest
from django.template.loader import render_to_string

from presentations import stats
from presentations.charts import monthly_chart_svg
from presentations.choices import Stream
from presentations.models import Delivery
from tests.factories import DeliveryFactory, borough

pytestmark = pytest.mark.django_db

YEAR = stats.year_range(2007)


def log(day, stream=Stream.PSSP, attendees=10, products=(), where="Camden", **extra):
    return DeliveryFactory(
        delivered_on=datetime.date.fromisoformat(day),
        stream=stream,
        attendees=attendees,
        products=list(products),
        borough=borough(where),
        **extra,
    )


def tables_for(start, end):
    return stats.monthly_tables(Delivery.objects.all(), start, end)


def test_it_counts_people_per_stream_and_product_by_month():
    log("2007-01-05", Stream.PSSP, 30, ["computer-misuse", "deaths-in-custody"])
    log("2007-01-20", Stream.NON_PSSP, 12, ["deaths-in-custody"])
    log("2007-01-21", Stream.CIVIL_ACTIONS, 9)
    log("2007-01-22", Stream.CIVIL_ACTIONS, 11)
    log("2007-02-02", Stream.ACCIDENT_CLAIMS, 7)

    tables = tables_for(*YEAR)

    assert tables["presentations"] == [
        {
            "month": "2007-01",
            "pssp_attendees": 30,
            "non_pssp_attendees": 12,
            "total_people": 42,
            "attending_preventing_deaths_in_custody": 42,
            "attending_computer_misuse": 30,
        },
        {
            "month": "2007-02",
            "pssp_attendees": 0,
            "non_pssp_attendees": 0,
            "total_people": 0,
            "attending_preventing_deaths_in_custody": 0,
            "attending_computer_misuse": 0,
        },
        {
            "month": "Total",
            "pssp_attendees": 30,
            "non_pssp_attendees": 12,
            "total_people": 42,
            "attending_preventing_deaths_in_custody": 42,
            "attending_computer_misuse": 30,
        },
    ]
    assert tables["civil_actions"] == [
        {"month": "2007-01", "sessions": 2, "attendees": 20},
        {"month": "2007-02", "sessions": 0, "attendees": 0},
        {"month": "Total", "sessions": 2, "attendees": 20},
    ]
    assert tables["accident_claims"] == [
        {"month": "2007-01", "participants": 0},
        {"month": "2007-02", "participants": 7},
        {"month": "Total", "participants": 7},
    ]


def test_a_session_covering_two_products_is_counted_once_per_column_not_doubled():
    log("2007-03-01", Stream.PSSP, 25, ["computer-misuse", "deaths-in-custody", "taylor-reforms"])
    row = tables_for(*YEAR)["presentations"][0]
    assert row["pssp_attendees"] == 25
    assert row["attending_computer_misuse"] == 25
    assert row["attending_preventing_deaths_in_custody"] == 25


def test_product_columns_ignore_civil_actions_and_accident_claims_sessions():
    log("2007-03-01", Stream.CIVIL_ACTIONS, 25, ["computer-misuse", "civil-actions"])
    row = tables_for(*YEAR)["presentations"][0]
    assert row["attending_computer_misuse"] == 0


def test_dates_outside_the_range_are_left_out_and_both_ends_are_included():
    log("2006-12-31", attendees=100)
    log("2007-01-01", attendees=1)
    log("2007-12-31", attendees=2)
    log("2008-01-01", attendees=100)
    tables = tables_for(*YEAR)
    assert [row["month"] for row in tables["presentations"]] == ["2007-01", "2007-12", "Total"]
    assert tables["presentations"][-1]["pssp_attendees"] == 3


def test_months_without_sessions_are_left_out_and_the_period_is_labelled():
    tables = tables_for(*YEAR)
    assert tables["presentations"] == [
        {"month": "Total", **dict.fromkeys(stats.PRESENTATION_COLUMNS, 0)}
    ]
    assert tables["period"] == {"start": "2007-01-01", "end": "2007-12-31", "label": "2007"}
    partial = tables_for(datetime.date(2007, 1, 1), datetime.date(2007, 11, 30))
    assert partial["period"]["label"] == "1 January 2007 to 30 November 2007"


def test_it_is_json_serialisable_and_uses_a_constant_number_of_queries(
    django_assert_max_num_queries,
):
    for day in range(1, 28):
        log(f"2007-{day % 12 + 1:02d}-{day:02d}", products=["computer-misuse"])
    # The stored month figures read, products, stream figures (with each borough's input),
    # product figures, the counted months stored (+ on PostgreSQL a SET LOCAL, a savepoint, and
    # inside a transaction such as a test's, its rollback, which undoes the SET LOCAL, and
    # release).
    with django_assert_max_num_queries(9):
        tables = tables_for(*YEAR)
    json.dumps(tables)
    # Counted once, the months are served from what was stored.
    with django_assert_max_num_queries(2):
        assert tables_for(*YEAR) == tables
    assert stats.figures_only(tables).keys() == {
        "presentations",
        "civil_actions",
        "accident_claims",
    }


def test_it_counts_only_the_deliveries_it_is_given():
    log("2007-01-05", attendees=30, where="Camden")
    log("2007-01-05", attendees=5, where="Sutton")
    tables = stats.monthly_tables(Delivery.objects.filter(borough__name="Sutton"), *YEAR)
    assert tables["presentations"][-1]["pssp_attendees"] == 5


def test_borough_coverage_lists_every_borough_and_names_the_unreached(
    planner, django_assert_max_num_queries
):
    camden = borough("Camden")
    camden.family_group = "Family group 2"
    camden.save()
    log("2007-02-01", attendees=20, where="Camden")
    log("2007-03-01", Stream.CIVIL_ACTIONS, attendees=5, where="Camden")
    log("2007-03-01", attendees=8, where="Sutton")
    log("2006-03-01", attendees=8, where="Bexley")

    planner.has_perm("presentations.view_delivery")  # the user's permissions, loaded once
    with django_assert_max_num_queries(2):
        coverage = stats.borough_coverage(planner, *YEAR)

    json.dumps(coverage)
    assert coverage["reached"] == 2
    assert coverage["total"] == 32
    assert len(coverage["unreached"]) == 30
    assert "Bexley" in coverage["unreached"]
    assert "Camden" not in coverage["unreached"]
    first = coverage["groups"][0]
    assert first["name"] == "Family group 2"
    assert first["boroughs"] == [
        {
            "id": camden.pk,
            "name": "Camden",
            "kind": "borough",
            "sessions": 2,
            "attendees": 25,
            "reached": True,
            "first_input": "2007-02-01",
        }
    ]
    unnamed = coverage["groups"][1]
    assert unnamed["name"] == "No family group"
    assert len(unnamed["boroughs"]) == 31
    assert (coverage["sessions"], coverage["attendees"]) == (3, 33)
    # Other units appear only when they received input.
    assert all(group["name"] != "Other units" for group in coverage["groups"])


def test_borough_coverage_lists_other_units_that_received_input(planner):
    from dps.models import Borough

    unit = Borough.objects.filter(kind="unit").first()
    log("2007-04-01", attendees=4, where=unit.name)
    coverage = stats.borough_coverage(planner, *YEAR)
    assert coverage["groups"][-1]["name"] == "Other units"
    assert coverage["groups"][-1]["boroughs"][0]["name"] == unit.name
    assert coverage["reached"] == 0


def test_non_pssp_sessions_are_not_pssp_input(planner):
    log("2007-04-01", Stream.NON_PSSP, attendees=50, where="Merton")
    log("2007-04-02", Stream.ACCIDENT_CLAIMS, attendees=7, where="Sutton")
    coverage = stats.borough_coverage(planner, *YEAR)
    assert coverage["reached"] == 1
    assert "Merton" in coverage["unreached"] and "Sutton" not in coverage["unreached"]
    assert (coverage["sessions"], coverage["attendees"]) == (1, 7)


def test_borough_coverage_reads_only_what_the_user_may_see(committee_member):
    log("2007-04-01", attendees=50)
    coverage = stats.borough_coverage(committee_member, *YEAR)
    assert (coverage["reached"], coverage["sessions"], coverage["groups"]) == (0, 0, [])


def test_delivery_stream_groupings():
    for stream in Stream:
        log("2007-04-01", stream)
    assert set(Delivery.objects.pssp_input().values_list("stream", flat=True)) == {
        Stream.PSSP,
        Stream.CIVIL_ACTIONS,
        Stream.ACCIDENT_CLAIMS,
    }
    assert set(Delivery.objects.presentations().values_list("stream", flat=True)) == {
        Stream.PSSP,
        Stream.NON_PSSP,
    }


def test_satisfaction_rates_are_shares_of_returns_and_none_without_returns():
    empty = stats.satisfaction_rates(Delivery.objects.all(), *YEAR)
    assert empty["satisfied_rate"] is None
    assert empty["response_rate"] is None
    log("2007-05-01", attendees=40, feedback_very_satisfied=10, feedback_satisfied=5)
    log("2007-05-02", attendees=10, feedback_dissatisfied=5)
    rates = stats.satisfaction_rates(Delivery.objects.all(), *YEAR)
    assert rates["returns"] == 20
    assert rates["attendees"] == 50
    assert rates["response_rate"] == 40.0
    assert rates["satisfied_rate"] == 75.0
    assert rates["levels"][0] == {
        "level": "very-satisfied",
        "label": "Very satisfied",
        "returns": 10,
        "percent": 50.0,
    }
    json.dumps(rates)


def test_templates_render_only_from_the_dicts_including_a_json_round_trip(planner):
    log("2007-01-05", Stream.PSSP, 30, ["computer-misuse"])
    log("2007-03-05", Stream.ACCIDENT_CLAIMS, 6)
    tables = tables_for(*YEAR)
    coverage = stats.borough_coverage(planner, *YEAR)
    live = render_to_string("presentations/includes/monthly_tables.html", {"tables": tables})
    frozen = render_to_string(
        "presentations/includes/monthly_tables.html", {"tables": json.loads(json.dumps(tables))}
    )
    assert live == frozen
    assert "Number of presentations given in 2007" in live
    assert "Jan 2007" in live and "Mar 2007" in live and "Total" in live
    coverage_html = render_to_string(
        "presentations/includes/borough_coverage.html",
        {"coverage": json.loads(json.dumps(coverage))},
    )
    assert "1 of 32" in coverage_html
    assert "Barnet" in coverage_html


def test_chart_is_accessible_self_contained_svg_without_style_attributes():
    log("2007-01-05", Stream.PSSP, 30)
    log("2007-02-05", Stream.NON_PSSP, 12)
    svg = monthly_chart_svg(tables_for(*YEAR), title="People reached <2007> & after")
    assert svg.startswith("<svg")
    assert 'role="img"' in svg
    assert "<title id=" in svg and "<desc id=" in svg
    assert "People reached &lt;2007&gt; &amp; after" in svg
    assert "style" not in svg
    assert "href" not in svg and "http://" not in svg.replace("http://www.w3.org/2000/svg", "")
    assert "<script" not in svg
    assert "PSSP presentations (people): 30" in svg
    assert "<pattern" in svg  # fills are patterns as well as colours


def test_chart_with_no_data_says_so():
    svg = monthly_chart_svg(tables_for(*YEAR), title="Nothing")
    assert "nothing to chart" in svg
