"""Shared fixtures for the browser journeys: Debian chromium driven by Playwright (sync API)
against pytest-django's live server, with axe-core and a CSP watch on every page visited.

- One chromium per run of this folder (package scope); each test gets a fresh context.
- Every test here is a `browser` test on a real, committed database: `transaction=True` so the
  live server's thread sees the test's data, `serialized_rollback=True` so the reference data
  seeded by migrations (boroughs, products, themes, groups) is put back after the flush.
- Without /usr/bin/chromium the tests skip, unless REQUIRE_BROWSER is set (CI): then they fail.
- `journey` saves a screenshot of each step under test-artifacts/screenshots/<journey>/ and runs
  axe (WCAG 2.0/2.1/2.2 A and AA rules) on it; a violation, a Content-Security-Policy report, an
  uncaught script error or a page wider than the 1280px window fails the test there, with the
  page's address.
"""

import os
import re
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from django.conf import settings as django_settings

from tests.browser.helpers import (
    AXE_SCRIPT,
    SCANNED,
    axe_violations,
    script_problems,
    sideways_overflow,
    sign_in,
)

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking"]
ARTIFACTS = Path(django_settings.BASE_DIR) / "test-artifacts" / "screenshots"


def pytest_collection_modifyitems(config, items):
    here = Path(__file__).parent
    for item in items:
        if here in item.path.parents:
            item.add_marker(pytest.mark.browser)
            item.add_marker(pytest.mark.django_db(transaction=True, serialized_rollback=True))


def pytest_terminal_summary(terminalreporter):
    if SCANNED:
        terminalreporter.write_line(
            f"axe (WCAG 2.0/2.1/2.2 A+AA): {len(SCANNED)} pages scanned, "
            f"{len(set(SCANNED))} distinct addresses"
        )


@pytest.fixture(scope="package")
def browser(django_db_setup, django_db_blocker):
    if not CHROMIUM.exists():
        message = f"{CHROMIUM} is not installed (apt-get install chromium)"
        if os.environ.get("REQUIRE_BROWSER"):
            pytest.fail(f"REQUIRE_BROWSER is set but {message}", pytrace=False)
        pytest.skip(message)
    from django.db import connections
    from playwright.sync_api import sync_playwright

    # Playwright's sync API marks an event loop as running in this thread. Django then refuses
    # ORM calls unless told they are safe (they are: nothing here is async), and hands out
    # other connection objects than the ones the test database was set up on.
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    serialized = {
        alias: connections[alias]._test_serialized_contents
        for alias in connections
        if hasattr(connections[alias], "_test_serialized_contents")
    }
    playwright = sync_playwright().start()
    # serialized_rollback restores the migrations' reference data from the copy taken when
    # the test database was made: give that copy to the connections used from now on.
    for alias, contents in serialized.items():
        connections[alias]._test_serialized_contents = contents
    chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
    yield chromium
    chromium.close()
    with django_db_blocker.unblock():
        connections.close_all()  # else they hold the test database open past its teardown
    playwright.stop()
    if previous is None:
        os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    else:
        os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


@pytest.fixture(autouse=True)
def private_media(settings, tmp_path):
    """PDFs rendered by a test go to its own private directory, not var/."""
    settings.MEDIA_ROOT = tmp_path / "private"


@pytest.fixture
def new_page(browser, live_server):
    """`new_page()` -> a page in a fresh browser profile (no cookies), watching the console for
    CSP reports and script errors. Profiles are closed when the test ends."""
    contexts = []

    def open_page():
        context = browser.new_context(
            base_url=live_server.url,
            locale="en-GB",
            timezone_id="Europe/London",
            viewport={"width": 1280, "height": 900},
            accept_downloads=True,
        )
        context.set_default_timeout(10_000)
        # axe-core is put in every page up front (as the DevTools protocol adds it, the page's
        # CSP does not apply), rather than sent over again for each check.
        context.add_init_script(script=AXE_SCRIPT)
        contexts.append(context)
        page = context.new_page()
        page.console_errors = []
        page.on(
            "console",
            lambda message: message.type == "error" and page.console_errors.append(message.text),
        )
        page.on("pageerror", lambda error: page.console_errors.append(f"Uncaught: {error}"))
        return page

    yield open_page
    for context in contexts:
        context.close()


@pytest.fixture
def page(new_page):
    return new_page()


@dataclass
class Journey:
    """Steps of one journey: each `step` is screenshotted, axe-checked and CSP-checked."""

    page: object
    directory: Path
    steps: list = field(default_factory=list)

    def step(self, name):
        number = len(self.steps) + 1
        slug = re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")
        path = self.directory / f"{number:02d}-{slug}.png"
        self.page.screenshot(path=str(path), full_page=True)
        self.steps.append(path)
        problems = script_problems(self.page)
        assert not problems, f"step {name!r} on {self.page.url}: " + "\n".join(problems)
        overflow = sideways_overflow(self.page)
        assert not overflow, (
            f"step {name!r}: {self.page.url} scrolls sideways because of {overflow}"
        )
        violations = axe_violations(self.page)
        assert not violations, (
            f"step {name!r}: axe found violations on {self.page.url}:\n" + "\n".join(violations)
        )


@pytest.fixture
def screenshots():
    """`screenshots("journey-name")` -> an emptied test-artifacts/screenshots/<journey>/."""

    def directory(name):
        path = ARTIFACTS / name
        path.mkdir(parents=True, exist_ok=True)
        for old in path.glob("*.png"):
            old.unlink()
        return path

    return directory


@pytest.fixture
def journey(page, screenshots, request):
    """A journey named after its test: `journey.step("what the user now sees")`."""
    name = request.node.name.removeprefix("test_").replace("_", "-")
    return Journey(page=page, directory=screenshots(name))


@pytest.fixture
def signed_in_page(new_page):
    """`signed_in_page(user)` -> a page in a fresh profile, signed in as that user through the
    sign-in form."""

    def as_user(user):
        page = new_page()
        sign_in(page, user)
        return page

    return as_user
