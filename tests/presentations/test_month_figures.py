"""The statistics keep each month's figures (MonthFigures): a month counted before is served
again without reading its sessions, and every way of writing a session (the logging form, the
import, a correction, a deletion, the admin) shows up in the next figures at once."""

import datetime

import pytest
from django.urls import reverse

from presentations import imports, stats
from presentations.models import Delivery, MonthFigures, note_months_changed
from tests.factories import DeliveryFactory, borough, product
from tests.presentations.test_logging_form import form_data

pytestmark = pytest.mark.django_db

YEAR = stats.year_range(2007)


def figures():
    """The 2007 figures as the statistics page reads them (the whole log)."""
    tables = stats.monthly_tables(Delivery.objects.all(), *YEAR)
    months = {row["month"]: row for row in tables["presentations"]}
    satisfaction = stats.satisfaction_rates(Delivery.objects.all(), *YEAR)
    return months, satisfaction


def counted_afresh():
    """The same figures counted from the sessions, bypassing what is stored."""
    MonthFigures.objects.all().delete()
    return figures()


def pssp_people(month):
    months, _ = figures()
    return months[month]["pssp_attendees"] if month in months else 0


@pytest.fixture
def counted_year(staff_user):
    DeliveryFactory(delivered_on=datetime.date(2007, 3, 14), attendees=20, entered_by=staff_user)
    DeliveryFactory(delivered_on=datetime.date(2007, 4, 2), attendees=7, entered_by=staff_user)
    figures()  # every month of 2007 counted and stored
    assert MonthFigures.objects.filter(month__year=2007).count() == 12
    return staff_user


def test_a_counted_month_is_served_again_from_one_read(counted_year, django_assert_num_queries):
    with django_assert_num_queries(1):  # the stored months; no session is read
        tables = stats.monthly_tables(Delivery.objects.all(), *YEAR)
    assert [row["month"] for row in tables["presentations"]] == ["2007-03", "2007-04", "Total"]
    assert tables["presentations"][-1]["pssp_attendees"] == 27


def test_stored_figures_equal_figures_counted_afresh(counted_year):
    DeliveryFactory(
        delivered_on=datetime.date(2007, 3, 20),
        stream="non-pssp",
        attendees=11,
        feedback_very_satisfied=4,
        products=["deaths-in-custody", "computer-misuse"],
    )
    DeliveryFactory(delivered_on=datetime.date(2007, 9, 1), stream="civil-actions", attendees=3)
    stored = figures()
    assert stored == counted_afresh()


def test_a_session_logged_with_the_form_shows_at_once(counted_year, client_as):
    response = client_as(counted_year).post(
        reverse("presentations:delivery-create"), form_data(delivered_on="2007-03-20")
    )
    assert response.status_code == 302
    assert pssp_people("2007-03") == 20 + 25
    months, satisfaction = figures()
    assert months["2007-03"]["attending_computer_misuse"] == 25
    assert satisfaction["returns"] == 15
    assert figures() == counted_afresh()


def test_an_imported_session_shows_at_once(counted_year):
    result = imports.import_file(
        "sessions.csv",
        b"date,borough,stream,attendees,topics,occasion,presenter,reference\n"
        b"2007-03-21,Camden,pssp,30,deaths-in-custody,seminar,PS D,R1\n"
        b"2007-07-01,Sutton,pssp,4,,seminar,PS D,R2\n",
        dry_run=False,
    )
    assert result.errors == []
    assert pssp_people("2007-03") == 50
    assert pssp_people("2007-07") == 4
    # Re-imported with a new date: it leaves March for May.
    imports.import_file(
        "sessions.csv",
        b"date,borough,stream,attendees,topics,occasion,presenter,reference\n"
        b"2007-05-21,Camden,pssp,30,deaths-in-custody,seminar,PS D,R1\n",
        dry_run=False,
    )
    assert (pssp_people("2007-03"), pssp_people("2007-05")) == (20, 30)
    assert figures() == counted_afresh()


def test_a_correction_shows_in_both_the_month_left_and_the_month_joined(counted_year, client_as):
    delivery = Delivery.objects.get(delivered_on=datetime.date(2007, 3, 14))
    response = client_as(counted_year).post(
        reverse("presentations:delivery-edit", args=[delivery.pk]),
        form_data(delivered_on="2007-06-14", attendees="21"),
    )
    assert response.status_code == 302
    assert (pssp_people("2007-03"), pssp_people("2007-06")) == (0, 21)
    months, _ = figures()
    assert "2007-03" not in months  # no session left in March: no row
    assert months["2007-06"]["attending_computer_misuse"] == 21
    assert figures() == counted_afresh()


def test_changing_only_the_products_shows_at_once(counted_year):
    delivery = Delivery.objects.get(delivered_on=datetime.date(2007, 4, 2))
    delivery.products.add(product("deaths-in-custody"))
    months, _ = figures()
    assert months["2007-04"]["attending_preventing_deaths_in_custody"] == 7
    product("deaths-in-custody").deliveries.remove(delivery)  # from the product's side
    months, _ = figures()
    assert months["2007-04"]["attending_preventing_deaths_in_custody"] == 0


def test_a_deletion_shows_at_once(counted_year, client_as):
    delivery = Delivery.objects.get(delivered_on=datetime.date(2007, 4, 2))
    response = client_as(counted_year).post(
        reverse("presentations:delivery-delete", args=[delivery.pk])
    )
    assert response.status_code == 302
    months, _ = figures()
    assert "2007-04" not in months
    assert figures() == counted_afresh()


def test_a_plain_save_as_the_admin_makes_shows_at_once(counted_year):
    delivery = Delivery.objects.get(delivered_on=datetime.date(2007, 4, 2))
    delivery.attendees = 70
    delivery.borough = borough("Sutton")
    delivery.save()  # the admin's change form saves the model itself, not through services
    assert pssp_people("2007-04") == 70


def test_figures_counted_before_a_concurrent_write_are_never_served(counted_year):
    """A reader that noted version v, then counted, must not have its figures served once a
    write has bumped the month to v + 1 meanwhile."""
    march = MonthFigures.objects.get(month=datetime.date(2007, 3, 1))
    DeliveryFactory(delivered_on=datetime.date(2007, 3, 2), attendees=100)  # bumps March
    stale = {"pssp_attendees": 20}  # what the slow reader counted before that write
    stats._store_month_figures([(march.month, march.version, stale, {})])
    assert not MonthFigures.objects.get(month=march.month).is_current
    assert pssp_people("2007-03") == 120


def test_a_partial_period_or_a_narrowed_log_is_counted_not_read(counted_year):
    note_months_changed([])  # nothing to note is fine
    spring = stats.monthly_tables(
        Delivery.objects.all(), datetime.date(2007, 3, 15), datetime.date(2007, 4, 30)
    )
    assert spring["presentations"][-1]["pssp_attendees"] == 7
    camden = stats.monthly_tables(Delivery.objects.filter(borough__name="Nowhere"), *YEAR)
    assert camden["presentations"] == [
        {
            "month": "Total",
            "pssp_attendees": 0,
            "non_pssp_attendees": 0,
            "total_people": 0,
            "attending_preventing_deaths_in_custody": 0,
            "attending_computer_misuse": 0,
        }
    ]


def everything(user):
    """Every figure the statistics page shows for 2007, borough coverage included."""
    return stats.period_statistics(user, *YEAR)


def test_a_session_logged_keeps_its_month_current_with_the_session_added(
    counted_year, client_as, django_assert_num_queries, django_assert_max_num_queries
):
    """Logging a session adds its own figures to its month's stored ones in the same
    transaction: the next reader counts nothing again, and gets what counting afresh gives."""
    data = form_data(delivered_on="2007-03-10", borough=borough("Sutton").pk, attendees="30")
    client = client_as(counted_year)
    client.get(reverse("home"))  # the session and permissions read, as on any page
    # The post's 15 queries (tests/presentations/test_logging_form.py), and the new session's
    # own figures: counted (3) and added to the month's (1).
    with django_assert_max_num_queries(19):
        response = client.post(reverse("presentations:delivery-create"), data)
    assert response.status_code == 302
    assert MonthFigures.objects.get(month=datetime.date(2007, 3, 1)).is_current
    with django_assert_num_queries(1):  # the stored months; no session is read
        tables = stats.monthly_tables(Delivery.objects.all(), *YEAR)
    assert tables["presentations"][0]["pssp_attendees"] == 20 + 30
    stored = everything(counted_year)
    sutton = stats.coverage_entry(stored["coverage"], "Sutton")
    assert (sutton["sessions"], sutton["attendees"]) == (1, 30)
    assert stored == (MonthFigures.objects.all().delete() and everything(counted_year))


def test_a_session_logged_earlier_in_the_month_moves_its_boroughs_first_input(
    counted_year, client_as
):
    """Per borough, the month keeps the first date of input: an added session before it moves
    it back, as counting afresh would."""
    client = client_as(counted_year)
    for day in ("2007-03-20", "2007-03-05"):  # Camden: the 14th (the fixture's), 20th, 5th
        client.post(reverse("presentations:delivery-create"), form_data(delivered_on=day))
    stored = everything(counted_year)
    assert MonthFigures.objects.get(month=datetime.date(2007, 3, 1)).is_current
    camden = stats.coverage_entry(stored["coverage"], "Camden")
    assert camden["first_input"] == "2007-03-05"
    assert stored == (MonthFigures.objects.all().delete() and everything(counted_year))


def test_a_month_not_current_before_a_session_is_logged_is_counted_again(counted_year, client_as):
    note_months_changed([datetime.date(2007, 3, 1)])  # March stale, as after a correction
    client = client_as(counted_year)
    client.post(reverse("presentations:delivery-create"), form_data(delivered_on="2007-03-20"))
    client.post(reverse("presentations:delivery-create"), form_data(delivered_on="2008-01-20"))
    assert not MonthFigures.objects.get(month=datetime.date(2007, 3, 1)).is_current
    assert not MonthFigures.objects.get(month=datetime.date(2008, 1, 1)).is_current  # never counted
    assert pssp_people("2007-03") == 20 + 25
    assert figures() == counted_afresh()


def test_a_month_counted_empty_takes_its_first_session(counted_year, client_as):
    august = MonthFigures.objects.get(month=datetime.date(2007, 8, 1))
    assert (august.figures, august.boroughs) == ({}, {})  # counted: no session
    client_as(counted_year).post(
        reverse("presentations:delivery-create"), form_data(delivered_on="2007-08-20")
    )
    assert MonthFigures.objects.get(month=august.month).is_current
    assert pssp_people("2007-08") == 25
    stored = everything(counted_year)
    assert stored == (MonthFigures.objects.all().delete() and everything(counted_year))
