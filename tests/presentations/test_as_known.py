"""The statistics as known on a date: each session's latest version written by the end of that
day (presentations.asknown), beside the figures as they are now."""

import csv
import datetime
import io
import re
from contextlib import contextmanager

import pytest
from django.db.models import Max
from django.urls import reverse
from django.utils import timezone

from dps.models import AccessRecord, Borough
from presentations import asknown, services, stats
from presentations.choices import Stream
from presentations.models import Delivery
from tests.factories import DeliveryFactory

pytestmark = pytest.mark.django_db

URL = reverse("presentations:statistics")
YEAR = (datetime.date(2007, 1, 1), datetime.date(2007, 12, 31))
KNOWN_ON = datetime.date(2007, 6, 30)


@contextmanager
def written_on(day, hour=12):
    """Date every history version written inside the block at `hour` o'clock on `day`."""
    mark = Delivery.history.aggregate(last=Max("history_id"))["last"] or 0
    yield
    when = timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))
    Delivery.history.filter(history_id__gt=mark).update(history_date=when)


def march(tables, table="presentations"):
    return next(row for row in tables[table] if row["month"] == "2007-03")


def total(tables, table="presentations"):
    return tables[table][-1]


def test_a_session_logged_after_the_date_is_not_counted_then(staff_user):
    with written_on(datetime.date(2007, 4, 2)):
        DeliveryFactory(attendees=30)
    with written_on(datetime.date(2007, 7, 1), hour=0):  # the first minute after 30 June
        DeliveryFactory(attendees=12, delivered_on=datetime.date(2007, 3, 20))
    then = asknown.monthly_tables_as_known(staff_user, *YEAR, KNOWN_ON)
    now = stats.monthly_tables(Delivery.objects.visible_to(staff_user), *YEAR)
    assert march(then)["pssp_attendees"] == 30
    assert march(now)["pssp_attendees"] == 42


def test_the_end_of_the_day_is_london_time(staff_user):
    # 23:30 in London on 30 June 2007 (summer time) is 22:30 UTC: still known on 30 June.
    with written_on(KNOWN_ON, hour=23):
        DeliveryFactory(attendees=30)
    then = asknown.monthly_tables_as_known(staff_user, *YEAR, KNOWN_ON)
    assert march(then)["pssp_attendees"] == 30
    assert asknown.monthly_tables_as_known(staff_user, *YEAR, KNOWN_ON.replace(day=29))[
        "presentations"
    ] == [{"month": "Total", **dict.fromkeys(stats.PRESENTATION_COLUMNS, 0)}]


def test_a_session_edited_after_the_date_counts_with_its_old_values_then(staff_user):
    with written_on(datetime.date(2007, 4, 2)):
        session = DeliveryFactory(attendees=30, products=["computer-misuse"])
    with written_on(datetime.date(2007, 8, 1)):
        session.attendees = 50
        session.stream = Stream.CIVIL_ACTIONS
        session.save()
        session.products.set([])
    then = asknown.monthly_tables_as_known(staff_user, *YEAR, KNOWN_ON)
    assert march(then)["pssp_attendees"] == 30
    assert march(then)["attending_computer_misuse"] == 30
    assert march(then, "civil_actions") == {"month": "2007-03", "sessions": 0, "attendees": 0}
    later = asknown.monthly_tables_as_known(staff_user, *YEAR, datetime.date(2007, 8, 1))
    assert march(later)["pssp_attendees"] == 0
    assert march(later)["attending_computer_misuse"] == 0
    assert march(later, "civil_actions") == {"month": "2007-03", "sessions": 1, "attendees": 50}


def test_a_session_moved_to_another_month_later_counts_in_its_old_month_then(staff_user):
    with written_on(datetime.date(2007, 4, 2)):
        session = DeliveryFactory(attendees=30)
    with written_on(datetime.date(2007, 8, 1)):
        session.delivered_on = datetime.date(2007, 5, 3)
        session.save()
    then = asknown.monthly_tables_as_known(staff_user, *YEAR, KNOWN_ON)
    assert [row["month"] for row in then["presentations"]] == ["2007-03", "Total"]


def test_a_session_deleted_after_the_date_is_counted_then_and_not_after(staff_user):
    with written_on(datetime.date(2007, 4, 2)):
        DeliveryFactory(attendees=30)
        doomed = DeliveryFactory(attendees=5, stream=Stream.ACCIDENT_CLAIMS)
    with written_on(datetime.date(2007, 9, 1)):
        doomed.delete()
    then = asknown.monthly_tables_as_known(staff_user, *YEAR, KNOWN_ON)
    assert march(then, "accident_claims")["participants"] == 5
    after = asknown.monthly_tables_as_known(staff_user, *YEAR, datetime.date(2007, 9, 1))
    assert march(after, "accident_claims")["participants"] == 0


def test_on_a_day_after_the_last_change_the_figures_are_those_of_now(staff_user, many_deliveries):
    with written_on(datetime.date(2007, 12, 31)):
        many_deliveries(12)
    now = stats.monthly_tables(Delivery.objects.visible_to(staff_user), *YEAR)
    then = asknown.monthly_tables_as_known(staff_user, *YEAR, datetime.date(2008, 1, 1))
    assert stats.figures_only(then) == stats.figures_only(now)
    assert stats.revised_cells(then, now) == []


def test_no_history_for_someone_who_may_not_read_the_log(outsider, staff_user):
    with written_on(datetime.date(2007, 4, 2)):
        DeliveryFactory(attendees=30)
    assert not outsider.has_perm("presentations.view_delivery")
    then = asknown.monthly_tables_as_known(outsider, *YEAR, KNOWN_ON)
    assert stats.figures_only(then) == stats.figures_only(
        stats.monthly_tables(Delivery.objects.none(), *YEAR)
    )
    assert total(asknown.monthly_tables_as_known(staff_user, *YEAR, KNOWN_ON))["total_people"]


def test_the_page_shows_both_and_names_the_revised_cells(client_as, staff_user):
    with written_on(datetime.date(2007, 4, 2)):
        session = DeliveryFactory(attendees=30)
    with written_on(datetime.date(2007, 8, 1)):
        session.attendees = 45
        session.save()
    response = client_as(staff_user).get(URL, {"year": 2007, "known_on": "2007-06-30"})
    assert response.status_code == 200
    assert march(response.context["tables"])["pssp_attendees"] == 45
    assert march(response.context["known_tables"])["pssp_attendees"] == 30
    html = response.content.decode()
    assert "As known on 30 June 2007" in html
    assert "Figures revised since 30 June 2007" in html
    assert "Number of presentations given in 2007, as known on 30 June 2007" in html
    assert ">Known then</th>" in html
    assert ">+15</td>" in html  # the change in words and figures, not only a colour


def test_typed_day_month_year_is_accepted_and_no_revision_is_said(client_as, staff_user):
    with written_on(datetime.date(2007, 4, 2)):
        DeliveryFactory(attendees=30)
    response = client_as(staff_user).get(URL, {"year": 2007, "known_on": "30/6/2007"})
    assert response.context["known_on"] == KNOWN_ON
    assert "No figure for 2007 has been revised since 30 June 2007." in response.content.decode()


def test_without_the_date_the_page_is_as_before(client_as, staff_user):
    response = client_as(staff_user).get(URL, {"year": 2007})
    assert response.context["known_tables"] is None
    assert 'id="as-known"' not in response.content.decode()


@pytest.mark.parametrize(
    "hostile", ["9999-12-31", "2007-06-30\x00", "\x00", "0001-01-01", "x" * 5000]
)
def test_a_hostile_date_is_a_form_error_or_a_400_never_a_500(client_as, staff_user, hostile):
    response = client_as(staff_user).get(URL, {"year": 2007, "known_on": hostile})
    assert response.status_code in (200, 400)
    if response.status_code == 200:
        assert response.context["form"].errors["known_on"]
        assert response.context["known_tables"] is None


def test_a_future_date_is_a_form_error(client_as, staff_user):
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    response = client_as(staff_user).get(URL, {"known_on": tomorrow.isoformat()})
    assert response.context["form"].errors["known_on"] == [
        "The 'as known on' date must be today or in the past."
    ]


def test_the_page_as_known_on_a_date_takes_a_constant_number_of_queries(
    client_as, staff_user, many_deliveries, django_assert_max_num_queries
):
    client = client_as(staff_user)
    client.get(reverse("home"))  # the session's idle expiry is refreshed here, not below
    query = {"year": 2007, "known_on": "2007-06-30"}
    # The page's 17 (tests/presentations/test_statistics_page.py), the history's counting (two
    # queries and a product lookup) and, on PostgreSQL, its JIT-off savepoint (three).
    with written_on(datetime.date(2007, 4, 2)):
        many_deliveries(4)
    with django_assert_max_num_queries(23) as few:
        client.get(URL, query)
    with written_on(datetime.date(2007, 5, 2)):
        many_deliveries(80, start=4)
    with django_assert_max_num_queries(23) as many:
        response = client.get(URL, query)
    assert len(many.captured_queries) == len(few.captured_queries)
    assert total(response.context["known_tables"])["total_people"] > 0


@pytest.mark.parametrize("fast_path", [False, True])
def test_imported_sessions_count_their_products_as_known(staff_user, monkeypatch, fast_path):
    if fast_path:  # the INSERT … SELECT path of large imports, from the first row
        monkeypatch.setattr(services, "FAST_PATH_FROM", 0)
    camden = Borough.objects.get(name="Camden")

    def row(reference, attendees, products):
        return services.DeliveryRow(
            delivered_on=datetime.date(2007, 3, 5),
            borough_id=camden.pk,
            stream=Stream.PSSP,
            attendees=attendees,
            occasion="other",
            presenters="PS Example",
            products=products,
            reference=reference,
        )

    with written_on(datetime.date(2007, 4, 2)):
        services.save_delivery_rows([row("a", 30, ["computer-misuse"]), row("b", 7, [])])
    with written_on(datetime.date(2007, 8, 1)):  # re-imported: b now covered computer misuse
        services.save_delivery_rows([row("b", 7, ["computer-misuse"])])
    then = asknown.monthly_tables_as_known(staff_user, *YEAR, KNOWN_ON)
    assert march(then)["attending_computer_misuse"] == 30
    now = stats.monthly_tables(Delivery.objects.visible_to(staff_user), *YEAR)
    later = asknown.monthly_tables_as_known(staff_user, *YEAR, datetime.date(2007, 8, 1))
    assert march(now)["attending_computer_misuse"] == 37
    assert stats.figures_only(later) == stats.figures_only(now)


def _revised_march(staff_user):
    """March 2007: 30 people as known on 30 June 2007, 45 since a correction on 1 August."""
    with written_on(datetime.date(2007, 4, 2)):
        session = DeliveryFactory(attendees=30)
    with written_on(datetime.date(2007, 8, 1)):
        session.attendees = 45
        session.save()


@pytest.mark.parametrize(
    "query", [{"_export": "presentations"}, {"_export": "csv", "table": "presentations"}]
)
def test_the_csv_gives_the_figures_as_known_and_says_so(client_as, staff_user, query):
    _revised_march(staff_user)
    client = client_as(staff_user)
    response = client.get(URL, {"year": 2007, "known_on": "2007-06-30", **query})
    assert "as-known-on-2007-06-30" in response["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[0][:3] == ["figures_as_known_on", "month", "pssp_attendees"]
    assert {row[0] for row in rows[1:]} == {"2007-06-30"}
    march_row = next(row for row in rows if row[1] == "2007-03")
    assert march_row[2] == "30"
    record = AccessRecord.objects.get(user=staff_user)
    assert record.what.endswith("as known on 2007-06-30")
    # Without the date, the figures as they stand now, and no such column.
    now = client.get(URL, {"year": 2007, **query})
    rows = list(csv.reader(io.StringIO(now.content.decode())))
    assert rows[0][:2] == ["month", "pssp_attendees"]
    assert next(row for row in rows if row[0] == "2007-03")[1] == "45"


def test_the_borough_csv_stays_as_now_and_does_not_claim_otherwise(client_as, staff_user):
    _revised_march(staff_user)
    response = client_as(staff_user).get(
        URL, {"year": 2007, "known_on": "2007-06-30", "_export": "boroughs"}
    )
    assert "as-known" not in response["Content-Disposition"]
    assert response.content.decode().startswith("family_group,")


def test_someone_who_may_not_read_the_log_gets_no_csv_as_known(client_as, outsider):
    response = client_as(outsider).get(
        URL, {"year": 2007, "known_on": "2007-06-30", "_export": "presentations"}
    )
    assert response.status_code == 403


def test_the_chart_as_known_is_drawn_beside_today_s_on_the_same_scale(client_as, staff_user):
    _revised_march(staff_user)
    response = client_as(staff_user).get(URL, {"year": 2007, "known_on": "2007-06-30"})
    now, known = response.context["chart"], response.context["known_chart"]
    assert "People reached each month, 2007, as known on 30 June 2007" in known
    # The text alternatives: each chart's totals, and the other's beside them.
    assert "PSSP presentations (people): 30" in known and "as known on 30 June 2007" in known
    assert "as the log stands now: totals – PSSP presentations (people): 45" in known
    assert "PSSP presentations (people): 45" in now
    assert "as known on 30 June 2007: totals – PSSP presentations (people): 30" in now
    # One axis for both (fitted to the larger figure, 45): the same gridline figures.
    labels = re.compile(r'text-anchor="end" fill="#0b0c0c">(\d+)</text>')
    assert labels.findall(now) == labels.findall(known) == ["0", "10", "20", "30", "40", "50"]
    html = response.content.decode()
    assert "As the log stands now</h3>" in html and "As known on 30 June 2007</h3>" in html
    plain = client_as(staff_user).get(URL, {"year": 2007})
    assert plain.context["known_chart"] is None
