"""The embedded demo (`make run`) shows the service's own 403/404/500 pages, never Django's
technical pages, and still serves its static files; developers get Django's pages with
DEBUG_PAGES=true."""

import runpy
from pathlib import Path

import pytest
from django.test import Client, override_settings
from django.urls import reverse

pytestmark = pytest.mark.django_db

SETTINGS = Path(__file__).resolve().parents[2] / "dps" / "settings.py"
READ_BY_SETTINGS = ("DEBUG", "DEBUG_PAGES", "SECRET_KEY", "ALLOWED_HOSTS", "REQUEST_LOG_LEVEL")


def demo_settings(monkeypatch, **env):
    """dps/settings.py as `make run` reads it: nothing set but what is given."""
    for key in READ_BY_SETTINGS:
        monkeypatch.delenv(key, raising=False)
    for key, value in env.items():
        monkeypatch.setenv(key, value)
    return runpy.run_path(str(SETTINGS))


def test_the_demo_runs_without_django_debug_pages(monkeypatch):
    demo = demo_settings(monkeypatch)
    assert demo["EMBEDDED"] is True
    assert demo["DEBUG"] is False
    assert demo["WHITENOISE_USE_FINDERS"] is True  # static files without collectstatic
    assert demo["LOGGING"]["loggers"]["django.server"]["level"] == "ERROR"


def test_a_developer_asks_for_django_debug_pages(monkeypatch):
    assert demo_settings(monkeypatch, DEBUG_PAGES="true")["DEBUG"] is True
    # Never in production, whatever is asked.
    production = demo_settings(
        monkeypatch,
        DEBUG="false",
        DEBUG_PAGES="true",
        SECRET_KEY="k" * 20 + "abcdefghijklmnopqrstuvwxyz0123456789",
        ALLOWED_HOSTS="dps.example.org",
    )
    assert production["DEBUG"] is False


@pytest.fixture
def demo_client():
    with override_settings(DEBUG=False, WHITENOISE_USE_FINDERS=True, WHITENOISE_AUTOREFRESH=True):
        yield Client(raise_request_exception=False)


def test_a_missing_page_in_the_demo_is_our_404(demo_client, staff_user):
    demo_client.force_login(staff_user)
    response = demo_client.get("/no-such-page/")
    page = response.content.decode()
    assert response.status_code == 404
    assert "Page not found" in page
    assert "URLconf" not in page and "urlpatterns" not in page
    assert 'href="/presentations/log/"' in page  # the service's menu


def test_a_refused_page_in_the_demo_is_our_403(demo_client, staff_user):
    demo_client.force_login(staff_user)
    response = demo_client.get(reverse("themes:programme"))
    page = response.content.decode()
    assert response.status_code == 403
    assert "You cannot open this page" in page
    assert "Traceback" not in page


def test_the_demo_still_serves_static_files(demo_client):
    response = demo_client.get("/static/govuk/all.bundle.js")
    assert response.status_code == 200
