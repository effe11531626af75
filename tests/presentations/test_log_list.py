import csv
import io

import pytest
from django.urls import reverse

from tests.factories import DeliveryFactory, borough

pytestmark = pytest.mark.django_db

URL = reverse("presentations:delivery-list")


def count_queries(client, url, django_assert_max_num_queries, limit):
    with django_assert_max_num_queries(limit):
        response = client.get(url)
    assert response.status_code == 200
    return response


def test_log_page_query_count_does_not_grow_with_rows(
    client_as, planner, many_deliveries, django_assert_max_num_queries
):
    client = client_as(planner)
    client.get(reverse("home"))  # the first request after signing in also rotates the session
    many_deliveries(5)
    # Session, user, permissions (one read: dps.permissions.AccountsBackend), the page,
    # borough and product choices (one read: presentations.selectors.filter_choices), session
    # save (plus the test transaction's savepoint pair). A page with more to come adds the
    # bounded "N sessions match" count; the last page counts its rows itself.
    count_queries(client, URL, django_assert_max_num_queries, 8)
    many_deliveries(60, start=5)
    with django_assert_max_num_queries(9) as first:
        client.get(URL)
    camden_url = f"{URL}?per_page=10&borough={borough('Camden').pk}&product=1&page=2"
    with django_assert_max_num_queries(9) as bigger:
        client.get(camden_url)
    assert len(bigger.captured_queries) <= len(first.captured_queries)


def test_the_page_never_counts_the_whole_table(client_as, planner, many_deliveries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    many_deliveries(30)
    client = client_as(planner)
    with CaptureQueriesContext(connection) as queries:
        client.get(URL)
    # The one count it makes ("N sessions match") stops after 10,001 rows.
    counts = [q["sql"].upper() for q in queries.captured_queries if "COUNT(" in q["sql"].upper()]
    assert len(counts) == 1
    assert "LIMIT 10001" in counts[0]


def test_the_log_says_how_many_sessions_match(client_as, planner, many_deliveries):
    many_deliveries(3)
    DeliveryFactory(borough=borough("Camden"))
    client = client_as(planner)
    assert "4 sessions match." in client.get(URL).content.decode()
    page = client.get(URL, {"borough": borough("Sutton").pk}).content.decode()
    assert "1 session matches these filters." in page
    page = client.get(URL, {"delivered_from": "2030-01-01"}).content.decode()
    assert "No sessions match these filters." in page
    assert "Widen the filters" in page


@pytest.mark.parametrize(
    ("sessions", "query", "says"),
    [
        (3, {}, "3 sessions match."),
        (7, {"per_page": 3, "page": 3}, "7 sessions match these filters."),  # 3 + 3 + 1
        (6, {"per_page": 3, "page": 2}, "6 sessions match these filters."),  # a full last page
        (0, {}, "No sessions match."),
    ],
)
def test_the_last_page_counts_the_sessions_without_a_count_query(
    client_as, planner, many_deliveries, sessions, query, says
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    many_deliveries(sessions)
    client = client_as(planner)
    with CaptureQueriesContext(connection) as queries:
        page = client.get(URL, query).content.decode()
    assert says in page
    assert not [q for q in queries.captured_queries if "COUNT(" in q["sql"].upper()]


def test_a_page_with_more_to_come_counts_them_all(client_as, planner, many_deliveries):
    many_deliveries(7)
    page = client_as(planner).get(URL, {"per_page": 3, "page": 2}).content.decode()
    assert "7 sessions match these filters." in page


def test_past_the_cap_the_log_says_more_than(client_as, planner, many_deliveries, monkeypatch):
    from presentations import views

    monkeypatch.setattr(views, "MATCH_COUNT_CAP", 2)
    many_deliveries(3)
    client = client_as(planner)
    assert "More than 2 sessions match." in client.get(URL).content.decode()
    # Counted from a last page too (one page of three).
    for per_page in (5, 1):
        page = client.get(URL, {"per_page": per_page}).content.decode()
        assert "More than 2 sessions match these filters." in page


def test_the_log_names_products_rather_than_codes(client_as, planner):
    DeliveryFactory(products=["taylor-reforms"])
    page = client_as(planner).get(URL).content.decode()
    assert "Taylor reforms" in page
    assert "taylor-reforms" not in page.split("<table")[1]


def test_filters_by_borough_stream_product_month_and_entered_by(
    client_as, planner, staff_user, many_deliveries
):
    many_deliveries(24)
    client = client_as(planner)
    camden = client.get(URL, {"borough": borough("Camden").pk}).context["table"]
    assert {row.record.borough.name for row in camden.paginated_rows} == {"Camden"}
    civil = client.get(URL, {"stream": "civil-actions"}).context["table"]
    assert {row.record.stream for row in civil.paginated_rows} == {"civil-actions"}
    march = client.get(URL, {"month": "2007-03"}).context["table"]
    assert {row.record.delivered_on.month for row in march.paginated_rows} == {3}
    mine = client.get(URL, {"entered_by": staff_user.username}).context["table"]
    assert {row.record.entered_by for row in mine.paginated_rows} == {staff_user}
    ranged = client.get(
        URL, {"delivered_from": "2007-02-01", "delivered_to": "2007-02-28"}
    ).context["table"]
    assert all(row.record.delivered_on.month == 2 for row in ranged.paginated_rows)


def test_entered_by_filter_is_typed_not_a_list_of_every_user(client_as, planner):
    html = client_as(planner).get(URL).content.decode()
    assert 'name="entered_by"' in html
    assert '<select name="entered_by"' not in html


def test_sorting_is_offered_only_on_indexed_columns(client_as, planner, many_deliveries):
    many_deliveries(3)
    table = client_as(planner).get(URL).context["table"]
    sortable = {column.name for column in table.columns if column.orderable}
    assert sortable == {"delivered_on", "stream", "presenters"}


def test_export_contains_exactly_the_filtered_rows_and_neutralises_formulas(client_as, planner):
    DeliveryFactory(borough=borough("Camden"), presenters='=HYPERLINK("http://x")')
    DeliveryFactory(borough=borough("Camden"), presenters="+44 team")
    DeliveryFactory(borough=borough("Sutton"), presenters="@Sutton")
    response = client_as(planner).get(URL, {"borough": borough("Camden").pk, "_export": "csv"})
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    presenters = rows[0].index("Presenters")
    assert sorted(row[presenters] for row in rows[1:]) == ["'+44 team", '\'=HYPERLINK("http://x")']


def test_xlsx_export_for_the_planner(client_as, planner):
    import openpyxl

    DeliveryFactory(presenters="-1+1")
    response = client_as(planner).get(URL, {"_export": "xlsx"})
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    values = [cell.value for cell in sheet[2]]
    assert "'-1+1" in values


def test_an_export_over_the_cap_asks_for_narrower_filters(client_as, planner, monkeypatch):
    from presentations import views

    monkeypatch.setattr(views, "MAX_EXPORT_ROWS", 2)
    for _ in range(3):
        DeliveryFactory(borough=borough("Camden"))
    DeliveryFactory(borough=borough("Sutton"))
    client = client_as(planner)
    response = client.get(URL, {"_export": "csv"})
    assert response.status_code == 302
    assert "_export" not in response.url
    narrowed = client.get(URL, {"_export": "csv", "borough": borough("Sutton").pk})
    assert narrowed.status_code == 200
    assert len(narrowed.content.decode().splitlines()) == 2


def test_the_log_reads_only_what_its_table_shows(client_as, planner, many_deliveries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    many_deliveries(3)
    client = client_as(planner)
    with CaptureQueriesContext(connection) as queries:
        page = client.get(URL).content.decode()
    rows_sql = next(q["sql"] for q in queries.captured_queries if "STRING_AGG" in q["sql"])
    # Notes and the search vector can be long; a password hash has no business on a list page.
    for unread in ('"notes"', '"search_vector"', '"password"', '"gss_code"'):
        assert unread not in rows_sql
    assert page.count('<tr class="govuk-table__row">') == 3 + 1  # the rows and the header
