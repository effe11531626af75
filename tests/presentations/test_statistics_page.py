import csv
import io

import pytest
from django.urls import reverse

from dps.models import AccessRecord
from tests.factories import DeliveryFactory, borough

pytestmark = pytest.mark.django_db

URL = reverse("presentations:statistics")


def test_statistics_page_query_count_is_constant(
    client_as, staff_user, many_deliveries, django_assert_max_num_queries
):
    client = client_as(staff_user)
    client.get(reverse("home"))  # the session's idle expiry is refreshed here, not below
    many_deliveries(4)
    with django_assert_max_num_queries(17) as few:
        client.get(URL, {"year": 2007})
    many_deliveries(80, start=4)
    with django_assert_max_num_queries(17) as many:
        response = client.get(URL, {"year": 2007})
    assert len(many.captured_queries) == len(few.captured_queries)
    assert response.status_code == 200


def test_statistics_page_shows_tables_chart_coverage_and_satisfaction(client_as, staff_user):
    DeliveryFactory(attendees=40, borough=borough("Camden"), feedback_very_satisfied=20)
    html = client_as(staff_user).get(URL, {"year": 2007}).content.decode()
    assert "Number of presentations given in 2007" in html
    assert "Civil action presentations and attendees 2007" in html
    assert "Accident claims presentation participants 2007" in html
    assert '<svg xmlns="http://www.w3.org/2000/svg"' in html
    assert "1 of 32" in html
    assert "100.0%" in html  # all returns very satisfied


def test_statistics_default_to_the_year_of_the_latest_session(client_as, staff_user):
    DeliveryFactory()
    response = client_as(staff_user).get(URL)
    assert response.context["tables"]["period"]["label"] == "2007"


def test_a_from_to_range_and_its_errors(client_as, staff_user):
    client = client_as(staff_user)
    response = client.get(URL, {"start": "2007-03-01", "end": "2007-03-31"})
    assert response.context["tables"]["period"]["label"] == "1 March 2007 to 31 March 2007"
    response = client.get(URL, {"start": "2007-04-01", "end": "2007-03-01"})
    assert "The &#x27;to&#x27; date must be on or after the &#x27;from&#x27; date." in (
        response.content.decode()
    )


@pytest.mark.parametrize(
    ("table", "header"),
    [
        ("presentations", "month,pssp_attendees,non_pssp_attendees,total_people"),
        ("civil_actions", "month,sessions,attendees"),
        ("accident_claims", "month,participants"),
        ("boroughs", "family_group,borough_or_unit,received_input,sessions,attendees"),
    ],
)
def test_each_table_downloads_as_csv_and_the_download_is_recorded(
    client_as, staff_user, table, header
):
    DeliveryFactory(attendees=12)
    response = client_as(staff_user).get(URL, {"year": 2007, "_export": table})
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert ",".join(rows[0]).startswith(header)
    if table != "boroughs":
        assert rows[-1][0] == "Total"
    assert AccessRecord.objects.filter(user=staff_user).count() == 1


def test_an_unknown_export_is_a_bad_request_naming_the_parameter(client_as, staff_user):
    response = client_as(staff_user).get(URL, {"_export": "everything"})
    assert response.status_code == 400
    assert "_export" in response.content.decode()


def test_csv_without_a_table_is_a_clear_bad_request(client_as, staff_user):
    response = client_as(staff_user).get(URL, {"_export": "csv"})
    assert response.status_code == 400
    page = response.content.decode()
    assert "must name the table to download" in page
    assert "presentations, civil_actions, accident_claims, boroughs" in page


def test_csv_with_a_table_downloads_that_table(client_as, staff_user):
    DeliveryFactory(attendees=12)
    response = client_as(staff_user).get(
        URL, {"year": 2007, "_export": "csv", "table": "civil_actions"}
    )
    assert response["Content-Type"].startswith("text/csv")
    assert response.content.decode().startswith("month,sessions,attendees")
    response = client_as(staff_user).get(URL, {"_export": "csv", "table": "secrets"})
    assert response.status_code == 400
