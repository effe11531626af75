"""The statistics page assembles a period from the stored months (MonthFigures: the tables,
satisfaction AND borough coverage) plus the days that are not a whole month. Its figures are the
ones the functions count one by one, for every reader of the log; a write to a closed month, by
any route, shows on the page at once, coverage included."""

import datetime

import pytest
from django.urls import reverse

from presentations import imports, stats
from presentations.models import Delivery, MonthFigures
from tests.factories import DeliveryFactory, borough
from tests.presentations.test_logging_form import form_data

pytestmark = pytest.mark.django_db

URL = reverse("presentations:statistics")
YEAR = stats.year_range(2007)


def one_by_one(user, start, end):
    """The figures as monthly_tables, borough_coverage and satisfaction_rates give them."""
    deliveries = Delivery.objects.visible_to(user)
    return {
        "tables": stats.monthly_tables(deliveries, start, end),
        "coverage": stats.borough_coverage(user, start, end),
        "satisfaction": stats.satisfaction_rates(deliveries, start, end),
    }


@pytest.fixture
def year_logged(staff_user):
    """Sessions across 2007 and either side of it, in several streams and boroughs."""
    for day, where, stream, attendees in [
        ("2006-12-31", "Camden", "pssp", 3),
        ("2007-01-01", "Camden", "pssp", 20),
        ("2007-01-31", "Sutton", "civil-actions", 6),
        ("2007-03-14", "Camden", "non-pssp", 11),  # not PSSP input: no coverage
        ("2007-03-15", "Bexley", "accident-claims", 9),
        ("2007-06-30", "Sutton", "pssp", 4),
        ("2007-11-10", "Camden", "pssp", 8),
        ("2007-12-31", "Brent", "pssp", 5),
        ("2008-01-01", "Brent", "pssp", 2),
    ]:
        DeliveryFactory(
            delivered_on=datetime.date.fromisoformat(day),
            borough=borough(where),
            stream=stream,
            attendees=attendees,
            feedback_satisfied=attendees // 2,
            entered_by=staff_user,
            products=["computer-misuse"] if stream in ("pssp", "non-pssp") else [],
        )
    return staff_user


@pytest.mark.parametrize(
    ("start", "end"),
    [
        YEAR,
        (datetime.date(2007, 1, 2), datetime.date(2007, 12, 30)),  # no whole month at either end
        (datetime.date(2006, 12, 15), datetime.date(2008, 1, 15)),  # partial months both sides
        (datetime.date(2007, 3, 15), datetime.date(2007, 3, 20)),  # within one month
        (datetime.date(2007, 6, 1), datetime.date(2007, 6, 30)),  # one whole month
    ],
)
def test_the_page_figures_equal_the_functions_counted_afresh_and_stored(
    year_logged, planner, start, end
):
    expected = one_by_one(planner, start, end)
    assert stats.period_statistics(planner, start, end) == expected  # counted and stored
    assert MonthFigures.objects.exists() or start.month == end.month
    assert stats.period_statistics(planner, start, end) == expected  # from what was stored


def test_coverage_of_a_year_is_added_up_across_its_months(year_logged, planner):
    stats.period_statistics(planner, *YEAR)
    coverage = stats.period_statistics(planner, *YEAR)["coverage"]
    camden = stats.coverage_entry(coverage, "Camden")
    # 1 January and 10 November (the non-PSSP session of March is not PSSP input).
    assert (camden["sessions"], camden["attendees"], camden["first_input"]) == (
        2,
        28,
        "2007-01-01",
    )
    sutton = stats.coverage_entry(coverage, "Sutton")
    assert (sutton["sessions"], sutton["attendees"], sutton["first_input"]) == (2, 10, "2007-01-31")
    assert coverage["reached"] == 4  # Camden, Sutton, Bexley, Brent


def test_a_stored_year_is_served_from_one_read_and_the_boroughs(
    year_logged, planner, django_assert_num_queries
):
    stats.period_statistics(planner, *YEAR)
    planner.has_perm("presentations.view_delivery")  # the user's permissions, loaded once
    with django_assert_num_queries(2):  # the stored months (coverage included), the boroughs
        stats.period_statistics(planner, *YEAR)


def test_the_statistics_page_reads_the_stored_months_once(
    year_logged, client_as, planner, django_assert_max_num_queries
):
    client = client_as(planner)
    client.get(URL, {"year": 2007})  # counts and stores the months
    # Session, user, two permission reads, the latest session's date, the stored months, the
    # boroughs: no session is counted.
    with django_assert_max_num_queries(7) as served:
        response = client.get(URL, {"year": 2007})
    assert response.status_code == 200
    assert not any(
        'presentations_delivery"' in q["sql"] and "GROUP BY" in q["sql"]
        for q in served.captured_queries
    )


# --- Who sees what ----------------------------------------------------------------------------


def test_every_reader_of_the_log_gets_the_same_stored_figures(
    year_logged, planner, cleared_planner, staff_user
):
    """Sessions are never restricted (stats refuses to load if they could be), so the stored
    whole-log months are what a reader not cleared for restricted themes may see, too."""
    first = stats.period_statistics(cleared_planner, *YEAR)  # stored by a cleared reader
    assert stats.period_statistics(planner, *YEAR) == first
    assert stats.period_statistics(staff_user, *YEAR) == first
    assert first == one_by_one(planner, *YEAR)


def test_a_user_who_may_not_read_the_log_gets_nothing_from_the_stored_months(
    year_logged, planner, committee_member, outsider
):
    stats.period_statistics(planner, *YEAR)  # every month of 2007 stored
    for user in (committee_member, outsider):
        assert not user.has_perm("presentations.view_delivery")
        figures = stats.period_statistics(user, *YEAR)
        assert figures == one_by_one(user, *YEAR)
        assert figures["tables"]["presentations"][-1]["total_people"] == 0
        assert figures["coverage"]["sessions"] == 0
        assert figures["satisfaction"]["returns"] == 0


# --- A write to a closed month shows on the page at once ---------------------------------------


def page(client):
    response = client.get(URL, {"year": 2007})
    assert response.status_code == 200
    return response.context["tables"], response.context["coverage"]


def sutton(coverage):
    entry = stats.coverage_entry(coverage, "Sutton")
    return entry["sessions"], entry["attendees"]


def log_with_the_form(client, delivery):
    data = form_data(delivered_on="2007-06-20", borough=borough("Sutton").pk, attendees="30")
    assert client.post(reverse("presentations:delivery-create"), data).status_code == 302
    return (3, 40), 34  # Sutton's sessions and people; June's PSSP people


def import_a_session(client, delivery):
    result = imports.import_file(
        "sessions.csv",
        b"date,borough,stream,attendees,topics,occasion,presenter,reference\n"
        b"2007-06-21,Sutton,pssp,30,,seminar,PS D,R1\n",
        dry_run=False,
    )
    assert result.errors == []
    return (3, 40), 34


def correct_the_session(client, delivery):
    data = form_data(
        delivered_on="2007-06-30", borough=borough("Sutton").pk, attendees="30", stream="pssp"
    )
    edit = reverse("presentations:delivery-edit", args=[delivery.pk])
    assert client.post(edit, data).status_code == 302
    return (2, 36), 30


def delete_the_session(client, delivery):
    delete = reverse("presentations:delivery-delete", args=[delivery.pk])
    assert client.post(delete).status_code == 302
    return (1, 6), 0


@pytest.mark.parametrize(
    "write", [log_with_the_form, import_a_session, correct_the_session, delete_the_session]
)
def test_a_write_to_a_closed_month_shows_on_the_page_at_once(year_logged, client_as, write):
    client = client_as(year_logged)
    tables, coverage = page(client)  # every month of 2007 counted and stored
    assert sutton(coverage) == (2, 10)
    june = Delivery.objects.get(delivered_on=datetime.date(2007, 6, 30))
    expected_sutton, expected_june_pssp = write(client, june)
    tables, coverage = page(client)
    assert sutton(coverage) == expected_sutton
    months = {row["month"]: row for row in tables["presentations"]}
    assert months.get("2007-06", {"pssp_attendees": 0})["pssp_attendees"] == expected_june_pssp
    MonthFigures.objects.all().delete()
    assert page(client) == (tables, coverage)  # the same as counted afresh


def test_the_planner_settings_of_the_count_do_not_outlast_it(year_logged):
    """The count turns PostgreSQL's sorting and JIT off for its own queries only: a caller
    already in a transaction (a report, an import, this test) keeps its planner as it was."""
    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL's planner settings")
    with connection.cursor() as cursor:
        cursor.execute("SHOW enable_sort")
        before = cursor.fetchone()
        months = stats.count_months(stats._in_period(Delivery.objects.all(), *YEAR))
        assert months["2007-06"]["pssp_attendees"] == 4
        cursor.execute("SHOW enable_sort")
        assert cursor.fetchone() == before == ("on",)
