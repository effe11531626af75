"""Every page of every demo persona's navigation fits a phone (375px), a tablet (768px) and a
desk (1280px): the page never scrolls sideways (a wide table scrolls inside its own labelled
box instead). The first record each list links to, its edit form and the forms the lists'
buttons open (the log form among them) are checked too. A page that scrolls sideways is saved to
test-artifacts/widths/ as `<persona>-<width>-<page>.png`; with WIDTH_SCREENSHOTS=1 every page at
every width is, for a person to look over (981 full-page PNGs cost 53 s of the test's 126 s, so
CI does not take them by default)."""

import io
import os
import re
from pathlib import Path

from django.conf import settings as django_settings
from django.contrib.auth import get_user_model
from django.core.management import call_command

from dps.demo import DEMO_PASSWORD
from tests.browser.helpers import menu_links, sideways_overflow, sign_in

WIDTHS = (375, 768, 1280)
# One persona per role and clearance (the second staff member sees what the first sees).
PERSONAS = ("staff", "planner", "planner2", "committee", "admin")
ARTIFACTS = Path(django_settings.BASE_DIR) / "test-artifacts" / "widths"
EVERY_SCREENSHOT = os.environ.get("WIDTH_SCREENSHOTS") == "1"


# Lists whose first record is opened too, so record pages are checked at every width.
RECORD_LISTS = (
    "Programme",
    "Milestones",
    "Risks",
    "Delivery log",
    "Boroughs",
    "Tasking",
    "Borough reports",
    "Outcomes",
    "Events",
    "Reports",
    "Committee papers",
)


def first_records(page, destinations):
    """(label, path) of the first record each list in RECORD_LISTS links to, the forms its
    buttons open (add, log, import) and that record's edit form, for this persona."""
    records = []
    for label, path in destinations:
        if label not in RECORD_LISTS:
            continue
        page.goto(path)
        link = page.locator("main table tbody a[href^='/']").first
        if link.count():
            records.append((f"{label} record", link.get_attribute("href")))
        for button in page.locator("main a.govuk-button[href^='/']").all()[:3]:
            records.append((f"{label} {button.inner_text()}", button.get_attribute("href")))
    for label, path in list(records):
        if label.endswith(" record"):
            page.goto(path)
            edit = page.locator("main a[href$='/edit/']").first
            if edit.count():
                records.append((f"{label} edit", edit.get_attribute("href")))
    seen = {path for _, path in destinations}
    unique = []
    for label, path in records:
        if path not in seen:
            seen.add(path)
            unique.append((label, path))
    return unique


def slug(text):
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


def test_every_page_of_every_persona_fits_phone_tablet_and_desk(new_page):
    call_command("load_demo", allow_production=True, stdout=io.StringIO())
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    for old in ARTIFACTS.glob("*.png"):
        old.unlink()
    problems = []
    visited = 0
    for persona in PERSONAS:
        page = new_page()
        sign_in(page, get_user_model().objects.get(username=persona), password=DEMO_PASSWORD)
        destinations = [("Home", "/"), *menu_links(page)]
        assert len(destinations) > 1, f"{persona} has no navigation"
        destinations += first_records(page, destinations)
        for width in WIDTHS:
            page.set_viewport_size({"width": width, "height": 900})
            for label, path in destinations:
                response = page.goto(path)
                assert response.ok, f"{persona}: {label} ({path}) answered {response.status}"
                visited += 1
                page_width, window_width = page.evaluate(
                    "() => [document.documentElement.scrollWidth, window.innerWidth]"
                )
                if EVERY_SCREENSHOT or page_width > window_width:
                    page.screenshot(
                        path=str(ARTIFACTS / f"{persona}-{width}-{slug(label)}.png"),
                        full_page=True,
                    )
                if page_width > window_width:
                    problems.append(
                        f"{persona} at {width}px, {label} ({path}): {page_width}px wide, "
                        f"because of {sideways_overflow(page)}"
                    )
        page.context.close()
    print(f"{visited} pages at {len(WIDTHS)} widths, {len(PERSONAS)} personas")
    assert not problems, "\n".join(problems)
