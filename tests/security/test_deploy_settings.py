"""Production settings: Django's deploy check is clean, a weak key stops the app starting, cookies
and transport are locked down, and every page carries a strict Content-Security-Policy."""

import os
import re
import runpy
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.test import Client
from django.urls import reverse

from tests.security.support import Page, scan

# Every module here runs inside the shared sample world (conftest.py), so it is a database test:
# pytest-django then runs it with the others, before any test that flushes the database.
pytestmark = pytest.mark.django_db

BASE_DIR = Path(__file__).resolve().parents[2]
STRONG_KEY = secrets.token_urlsafe(64)
PRODUCTION = {"DEBUG": "false", "SECRET_KEY": STRONG_KEY, "ALLOWED_HOSTS": "dps.example.org"}
# Everything in the environment that dps/settings.py reads, cleared so only the values a test
# gives apply.
SETTINGS_ENV = (
    "DEBUG",
    "SECRET_KEY",
    "ALLOWED_HOSTS",
    "SECURE_COOKIES",
    "SECURE_SSL_REDIRECT",
    "SECURE_HSTS_SECONDS",
    "BEHIND_TLS_PROXY",
)


def _manage(*args, **env):
    environment = {key: value for key, value in os.environ.items() if key not in SETTINGS_ENV}
    environment.update({key: value for key, value in env.items() if value is not None})
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=BASE_DIR,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_the_deploy_check_is_clean_with_production_settings():
    result = _manage("check", "--deploy", "--fail-level", "WARNING", **PRODUCTION)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_the_app_will_not_start_in_production_without_a_secret_key():
    result = _manage("check", **{**PRODUCTION, "SECRET_KEY": None})
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr and "SECRET_KEY" in result.stderr


def _production_settings(monkeypatch, **overrides):
    """dps/settings.py as production would read it, run afresh (Django's own settings, already
    loaded for the tests, are not touched)."""
    for key in SETTINGS_ENV:
        monkeypatch.delenv(key, raising=False)
    for key, value in {**PRODUCTION, **overrides}.items():
        if value is not None:
            monkeypatch.setenv(key, value)
    return runpy.run_path(str(BASE_DIR / "dps" / "settings.py"))


@pytest.mark.parametrize(
    "key",
    [
        None,
        "",
        "django-insecure-" + secrets.token_urlsafe(48),  # Django's generated development key
        secrets.token_urlsafe(20),  # too short
        "a" * 64,  # long but guessable
        "abab" * 16,
    ],
    ids=["missing", "empty", "django-insecure", "short", "one-letter", "few-letters"],
)
def test_a_weak_secret_key_stops_the_app_in_production(monkeypatch, key):
    with pytest.raises(ImproperlyConfigured, match="SECRET_KEY"):
        _production_settings(monkeypatch, SECRET_KEY=key)


def test_production_needs_its_host_names(monkeypatch):
    with pytest.raises(ImproperlyConfigured, match="ALLOWED_HOSTS"):
        _production_settings(monkeypatch, ALLOWED_HOSTS=None)


def test_production_cookies_and_transport(monkeypatch):
    live = _production_settings(monkeypatch)
    assert live["DEBUG"] is False
    assert live["ALLOWED_HOSTS"] == ["dps.example.org"]
    assert live["SESSION_COOKIE_SECURE"] is True
    assert live["SESSION_COOKIE_HTTPONLY"] is True
    assert live["SESSION_COOKIE_SAMESITE"] == "Lax"
    assert live["CSRF_COOKIE_SECURE"] is True
    assert live["CSRF_COOKIE_HTTPONLY"] is True
    assert live["SECURE_SSL_REDIRECT"] is True
    assert live["SECURE_HSTS_SECONDS"] >= 365 * 24 * 3600
    assert live["SECURE_CONTENT_TYPE_NOSNIFF"] is True
    assert live["X_FRAME_OPTIONS"] == "DENY"


def test_sessions_end_after_thirty_idle_minutes_and_a_working_day_in_all(monkeypatch):
    live = _production_settings(monkeypatch)
    assert live["SESSION_COOKIE_AGE"] == 30 * 60
    # Idle time, not time since sign-in: the middleware refreshes the expiry at most once a
    # minute rather than writing the session on every request.
    assert live["SESSION_SAVE_EVERY_REQUEST"] is False
    assert live["SESSION_REFRESH_INTERVAL"].total_seconds() <= 60
    assert live["SESSION_EXPIRE_AT_BROWSER_CLOSE"] is True
    assert live["SESSION_ABSOLUTE_LIMIT"].total_seconds() <= 12 * 3600
    assert "dps.middleware.AbsoluteSessionLimitMiddleware" in live["MIDDLEWARE"]


def test_session_cookie_is_http_only_and_same_site_on_sign_in(client, world):
    response = client.post(
        reverse("sign-in"), {"username": "pat.planner", "password": "correct-horse-battery"}
    )
    assert response.status_code == 302
    cookie = response.cookies["sessionid"]
    assert cookie["httponly"] is True
    assert cookie["samesite"] == "Lax"


# --- Content-Security-Policy --------------------------------------------------------------------


def _policy(header):
    return {
        directive.split()[0]: directive.split()[1:]
        for directive in header.split(";")
        if directive.strip()
    }


def _csp_problems(page):
    header = page.headers.get("Content-Security-Policy")
    if not header:
        return ["no Content-Security-Policy header"]
    problems = []
    if "'unsafe-inline'" in header or "'unsafe-eval'" in header:
        problems.append(f"unsafe source in {header}")
    policy = _policy(header)
    if policy.get("script-src", [None])[0] != "'self'":
        problems.append(f"script-src is {policy.get('script-src')}")
    nonces = [source for source in policy.get("script-src", []) if source.startswith("'nonce-")]
    nonce = re.sub(r"^'nonce-|'$", "", nonces[0]) if nonces else None
    inline = [attributes for attributes, _ in scan(page.html).scripts if "src" not in attributes]
    if inline and len(nonces) != 1:
        problems.append(f"inline script but script-src has no nonce: {policy.get('script-src')}")
    for directive, wanted in (("object-src", "'none'"), ("frame-ancestors", "'none'")):
        if policy.get(directive) != [wanted]:
            problems.append(f"{directive} is {policy.get(directive)}")
    if policy.get("default-src") != ["'self'"]:
        problems.append(f"default-src is {policy.get('default-src')}")
    if any(attributes.get("nonce") != nonce for attributes in inline):
        problems.append("an inline <script> without the page's nonce")
    return problems


def test_every_page_sends_a_strict_policy(crawl):
    """No 'unsafe-inline' anywhere; an inline script runs only with the response's nonce."""
    problems = {page.url: p for page in crawl if page.html and (p := _csp_problems(page))}
    assert problems == {}


def test_each_page_gets_a_fresh_nonce(crawl):
    nonces = [
        page.headers["Content-Security-Policy"].split("'nonce-")[1].split("'")[0]
        for page in crawl
        if "'nonce-" in page.headers.get("Content-Security-Policy", "")
    ]
    assert len(nonces) > 80  # every page in the GOV.UK layout has its one inline script
    assert len(set(nonces)) == len(nonces)
    assert all(len(nonce) >= 16 for nonce in nonces)


@pytest.mark.parametrize(
    "url", ["/admin/", "/admin/dps/borough/", "/admin/auth/user/add/", "/admin/login/"]
)
def test_the_admin_runs_under_the_same_policy(url, world):
    client = Client()
    client.force_login(world.users["administrator"])
    response = client.get(url)
    page = Page("admin", url, response.status_code, dict(response.items()), response.text)
    assert _csp_problems(page) == []


def test_every_page_refuses_framing_and_sniffing(crawl):
    wanted = {
        "X-Frame-Options": "DENY",
        "X-Content-Type-Options": "nosniff",
        "Referrer-Policy": "same-origin",
        "Cross-Origin-Opener-Policy": "same-origin",
    }
    wrong = {
        page.url: {name: page.headers.get(name) for name in wanted}
        for page in crawl
        if page.html and any(page.headers.get(name) != value for name, value in wanted.items())
    }
    assert wrong == {}
