"""Hostile values in the address and in forms never give a 500, and never half-save a record.

Issue 12's crawl found pages answering 500 to a page number past a database integer, to dates in
year 1 or 9999, to a NUL byte, and forms that saved values no later page could use. Here every
page of the app is tried with each hostile value in every query parameter the app reads, and the
affected forms are posted the same values.
"""

import datetime

import pytest
from django.test import Client
from django.urls import reverse

from dps import dates
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
    "themes:compare": ("from", "to", "theme", "_export"),
    "themes:highlight[open]": ("start", "end"),
    "themes:timeline": ("theme", "as_at"),
    "themes:calendar-feed[open]": ("scope",),
    "presentations:statistics": ("year", "start", "end", "known_on", "_export"),
    "presentations:delivery-create": ("delivered_on", "borough", "presenters"),
    "pssp:comparison": ("start", "end", "rank_by", "_export"),
    "pssp:coverage": ("start", "end", "_export"),
    "search": ("q", "kind", "theme", "milestones-page", "sessions-page"),
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


# --- Forms ----------------------------------------------------------------------------------------


def _as_posted(form):
    """What the edit page would post back unchanged: each field's current value."""
    data = {}
    for name in form.fields:
        value = form[name].value()
        if value is None or value == []:
            continue
        if isinstance(value, list | tuple):
            data[name] = [str(item) for item in value]
        elif isinstance(value, datetime.date):
            data[name] = value.isoformat()
        elif value is True or value is False:
            if value:
                data[name] = "on"
        else:
            data[name] = str(value)
    return data


def _post(client, url, data):
    response = client.post(url, data)
    assert response.status_code < 500
    return response


@pytest.mark.parametrize("days", ["2147483648", "3651", HUGE])
def test_a_tolerance_past_ten_years_is_a_field_error(world, planner_client, days):
    theme = world.open["theme"]
    response = _post(
        planner_client,
        reverse("themes:tolerances", args=[theme.code]),
        {"time_tolerance_days": days, "cost_tolerance_percent": "5"},
    )
    assert response.status_code == 200
    assert "Time tolerance (days) must be 3650 or less" in response.content.decode()
    theme.refresh_from_db()
    assert theme.time_tolerance_days != int(days)


@pytest.mark.parametrize("day", ["9999-12-31", "0001-01-01", "1989-12-31"])
def test_a_milestone_forecast_outside_the_service_range_is_refused(world, planner_client, day):
    from themes.forms import MilestoneForm

    milestone = world.open["milestone"]
    milestone.refresh_from_db()
    user = world.users["cleared_planner"]
    form = MilestoneForm(instance=milestone, theme=milestone.deliverable.theme, user=user)
    data = _as_posted(form) | {"forecast_date": day, "reason": "Probe"}
    response = _post(planner_client, reverse("themes:milestone-edit", args=[milestone.pk]), data)
    assert "Forecast date must be between 1 January 1990 and" in response.content.decode()
    milestone.refresh_from_db()
    assert milestone.forecast_date.isoformat() != day


def test_a_second_measurement_on_the_same_day_is_a_form_error(world, planner_client):
    from themes.models import BenefitMeasurement

    benefit = world.open["benefit"]
    url = reverse("themes:benefit-detail", args=[benefit.pk])
    data = {"measured_on": "2007-06-01", "value": "3", "note": ""}
    assert _post(planner_client, url, data).status_code == 302
    response = _post(planner_client, url, data | {"value": "4"})
    assert response.status_code == 200
    assert "already has a measurement on 1 June 2007" in response.content.decode()
    assert BenefitMeasurement.objects.filter(benefit=benefit).count() == 1


@pytest.mark.parametrize("number", [str(10**12), "2147483648", "²", "9" * 5000])
def test_an_event_audience_past_a_database_integer_saves_nothing(world, planner_client, number):
    from pssp.forms import EventForm
    from pssp.models import EventAudience

    event = world.open["event"]
    event.refresh_from_db()
    before = list(EventAudience.objects.filter(event=event).values_list("category", "number"))
    data = _as_posted(EventForm(instance=event)) | {"audience_ipcc": number, "title": "Changed"}
    response = _post(planner_client, reverse("pssp:event-edit", args=[event.pk]), data)
    assert response.status_code == 200
    event.refresh_from_db()
    assert event.title != "Changed"
    after = list(EventAudience.objects.filter(event=event).values_list("category", "number"))
    assert after == before


@pytest.mark.parametrize("number", [str(10**12), "2147483648"])
def test_a_review_figure_past_a_database_integer_saves_nothing(world, planner_client, number):
    from pssp.forms import SourceReviewForm

    review = world.open["review"]
    review.refresh_from_db()
    form = SourceReviewForm(instance=review)
    figure = form.figure_field(form.sources[0])
    data = _as_posted(form) | {figure: number, "commentary": "Changed"}
    response = _post(planner_client, reverse("pssp:review-edit", args=[review.pk]), data)
    assert response.status_code == 200
    assert "2147483647 or less" in response.content.decode()
    review.refresh_from_db()
    assert review.commentary != "Changed"
    assert all(figure.count <= 2_147_483_647 for figure in review.figures.all())


def test_a_list_page_number_past_any_integer_is_a_400_naming_it(planner_client):
    response = planner_client.get(reverse("presentations:delivery-list"), {"page": HUGE})
    assert response.status_code == 400
    page = response.content.decode()
    assert "The ‘page’ value in the address must be a whole number" in page
    assert 'href="/presentations/log/"' in page  # the page keeps the service's menu


def test_a_page_past_the_last_shows_the_first_rows_not_an_error(planner_client):
    response = planner_client.get(reverse("presentations:delivery-list"), {"page": "99999"})
    assert response.status_code == 200


def test_the_dashboard_refuses_year_9999_with_a_400(planner_client):
    response = planner_client.get(reverse("themes:dashboard"), {"as_at": "9999-12-31"})
    assert response.status_code == 400
    assert "must be a date from 1 January 1990" in response.content.decode()


def test_a_step_that_is_not_open_goes_back_to_the_report_saying_so(world, planner_client):
    report = world.open["borough_report"]
    url = reverse("pssp:report-step", kwargs={"pk": report.pk, "step": "closed"})
    response = planner_client.get(url, follow=True)
    assert response.status_code == 200
    assert "This step is not open" in response.content.decode()


def test_the_calendar_feed_survives_a_milestone_saved_in_year_9999(world):
    from themes.models import Milestone

    milestone = world.open["milestone"]
    Milestone.objects.filter(pk=milestone.pk).update(forecast_date=datetime.date(9999, 12, 31))
    feed = world.open["feed"]
    response = Client(raise_request_exception=False).get(
        reverse("themes:calendar-feed", args=[feed.token]), {"scope": "all"}
    )
    assert response.status_code == 200
    assert "DTSTART;VALUE=DATE:99991231" in response.content.decode()


def test_the_service_date_range_is_1990_to_ten_years_ahead():
    assert datetime.date(1990, 1, 1) == dates.EARLIEST
    assert dates.latest(datetime.date(2024, 2, 29)) == datetime.date(2034, 2, 28)
    assert dates.latest(datetime.date(2025, 6, 1)) == datetime.date(2035, 6, 1)
