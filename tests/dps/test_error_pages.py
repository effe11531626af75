"""Refusals and failures are plain pages in the service's layout, never Django's bare defaults."""

import pytest
from django.test import RequestFactory
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_refused_page_explains_and_keeps_the_menu(client_as, staff_user):
    response = client_as(staff_user).get(reverse("themes:programme"))
    page = response.content.decode()
    assert response.status_code == 403
    assert "You cannot open this page" in page
    assert 'href="/presentations/log/"' in page  # the user's own menu is still there


def test_missing_page_says_not_found_without_confirming_the_record(client_as, planner):
    response = client_as(planner).get(reverse("themes:theme-detail", args=["covert"]))
    page = response.content.decode()
    assert response.status_code == 404
    assert "Page not found" in page
    assert "may not be available to you" in page
    assert "Covert" not in page


def test_server_error_page_renders_without_a_request_context(settings):
    settings.DEBUG = False
    settings.DEBUG_PROPAGATE_EXCEPTIONS = False
    from django.views.defaults import server_error

    response = server_error(RequestFactory().get("/"))
    page = response.content.decode()
    assert response.status_code == 500
    assert "Sorry, there is a problem with the service" in page
    assert "Traceback" not in page


def test_a_request_for_another_host_is_a_400_in_the_layout(client, settings):
    # CommonMiddleware refuses the host before AuthenticationMiddleware has run: the 400 page is
    # drawn for a request with no user at all, and must not fail on the menu.
    settings.DEBUG = False
    settings.ALLOWED_HOSTS = ["dps.example"]
    response = client.get("/", HTTP_HOST="attacker.example")
    page = response.content.decode()
    assert response.status_code == 400
    assert "This address cannot be opened" in page
    assert "moj-primary-navigation" not in page  # nobody signed in: no menu
