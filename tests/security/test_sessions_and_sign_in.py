"""Sessions end after 30 idle minutes and after a working day however busy; sign-in is
throttled per username and address, never for everyone."""

import time
from datetime import timedelta

import pytest
from django.conf import settings
from django.contrib.sessions.models import Session
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from dps.middleware import SESSION_REFRESHED_KEY, SESSION_STARTED_KEY
from tests.security.support import LOGIN, outcome

pytestmark = pytest.mark.django_db

PASSWORD = "correct-horse-battery"  # tests/factories.py UserFactory


def _sign_in(username="pat.planner", password=PASSWORD, address="198.51.100.1", client=None):
    client = client or Client()
    response = client.post(
        reverse("sign-in"), {"username": username, "password": password}, REMOTE_ADDR=address
    )
    return client, response


def _session(client):
    return Session.objects.get(session_key=client.cookies[settings.SESSION_COOKIE_NAME].value)


def _last_refreshed(client, minutes_ago):
    """As if the session's expiry was last pushed back that long ago (it is then due to end
    30 minutes after that)."""
    session = client.session
    session[SESSION_REFRESHED_KEY] = time.time() - minutes_ago * 60
    session.save()
    stored = _session(client)
    stored.expire_date = timezone.now() + timedelta(minutes=30 - minutes_ago)
    stored.save()


def test_a_session_lasts_thirty_minutes_from_the_last_request(world):
    client, response = _sign_in()
    assert response.status_code == 302
    _last_refreshed(client, minutes_ago=29)  # nearly idle for too long

    assert client.get(reverse("home")).status_code == 200
    remaining = _session(client).expire_date - timezone.now()
    assert timedelta(minutes=29) < remaining <= timedelta(minutes=30)


def test_pages_within_a_minute_of_the_last_refresh_do_not_write_the_session(world):
    client, _ = _sign_in()
    client.get(reverse("home"))
    before = _session(client).expire_date
    for _ in range(3):
        assert client.get(reverse("home")).status_code == 200
    assert _session(client).expire_date == before  # no UPDATE per page view

    _last_refreshed(client, minutes_ago=1)  # a minute on: the next page pushes it back
    assert client.get(reverse("home")).status_code == 200
    remaining = _session(client).expire_date - timezone.now()
    assert timedelta(minutes=29) < remaining <= timedelta(minutes=30)


def test_after_thirty_idle_minutes_you_sign_in_again(world):
    client, _ = _sign_in()
    stored = _session(client)
    stored.expire_date = timezone.now() - timedelta(seconds=1)
    stored.save()
    assert outcome(client.get(reverse("home"))) == LOGIN


def test_a_busy_session_still_ends_after_the_absolute_limit(world):
    client, _ = _sign_in()
    session = client.session
    limit = settings.SESSION_ABSOLUTE_LIMIT.total_seconds()
    session[SESSION_STARTED_KEY] = time.time() - limit + 60  # a minute to go: still fine
    session.save()
    assert client.get(reverse("home")).status_code == 200

    session = client.session
    session[SESSION_STARTED_KEY] = time.time() - limit - 1
    session.save()
    assert outcome(client.get(reverse("home"))) == LOGIN
    assert outcome(client.get(reverse("home"))) == LOGIN  # signed out, not just redirected once


def _fail(times, username="pat.planner", address="198.51.100.7"):
    """Wrong passwords; the statuses: the form again (200) until the limit locks (429)."""
    return [_sign_in(username, "not-the-password", address)[1].status_code for _ in range(times)]


def test_repeated_failures_lock_that_username_from_that_address(world):
    limit = settings.AXES_FAILURE_LIMIT
    assert _fail(limit) == [200] * (limit - 1) + [429]
    _, response = _sign_in(address="198.51.100.7")  # even with the right password
    assert response.status_code == 429
    assert "sessionid" not in response.cookies


def test_the_lock_holds_neither_the_user_elsewhere_nor_others_here(world):
    _fail(settings.AXES_FAILURE_LIMIT)
    _, from_elsewhere = _sign_in(address="203.0.113.9")
    assert outcome(from_elsewhere) == 302 and from_elsewhere["Location"] == reverse("home")
    _, someone_else_here = _sign_in("chris.cleared", address="198.51.100.7")
    assert someone_else_here["Location"] == reverse("home")


def test_failures_below_the_limit_are_forgotten_after_a_success(world):
    assert 429 not in _fail(settings.AXES_FAILURE_LIMIT - 1)
    _, response = _sign_in(address="198.51.100.7")
    assert response.status_code == 302
    assert 429 not in _fail(settings.AXES_FAILURE_LIMIT - 1)
    _, response = _sign_in(address="198.51.100.7")
    assert response.status_code == 302


def test_the_admin_sign_in_is_throttled_the_same_way(world):
    client = Client()
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post(
            reverse("admin:login"),
            {"username": "alex.admin", "password": "wrong"},
            REMOTE_ADDR="198.51.100.8",
        )
    response = client.post(
        reverse("admin:login"),
        {"username": "alex.admin", "password": PASSWORD},
        REMOTE_ADDR="198.51.100.8",
    )
    assert response.status_code == 429


def test_signing_in_starts_a_new_session(world):
    client = Client()
    client.get(reverse("sign-in"))
    client.session.save()  # an anonymous session, as a planted cookie would be
    before = client.session.session_key
    _sign_in(client=client)
    assert client.session.session_key != before


@pytest.mark.parametrize(
    "next_url", ["https://evil.example/", "//evil.example/", "/\\evil.example/"], ids=str
)
def test_sign_in_never_sends_you_off_the_site(world, next_url):
    client = Client()
    response = client.post(
        reverse("sign-in") + f"?next={next_url}",
        {"username": "pat.planner", "password": PASSWORD, "next": next_url},
        REMOTE_ADDR="198.51.100.2",
    )
    assert response["Location"] == reverse("home")
