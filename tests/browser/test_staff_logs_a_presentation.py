"""Journey 1: a DPS staff member signs in, logs a session with the keyboard alone, is told what is
wrong with a bad entry, corrects it, finds it in the log and sees the month's figures change."""

import datetime
import re

from django.utils import timezone
from playwright.sync_api import expect

from tests.browser.helpers import PASSWORD, focused, menu_link, press_tab_until, type_date
from tests.factories import DeliveryFactory, borough, product

PRESENTER = "PC Kay Board"


def march_2007_row(page):
    """The March 2007 row of the presentations table: people at PSSP sessions, total people,
    people at computer-misuse sessions."""
    table = page.get_by_role("table", name="Number of presentations given in 2007")
    cells = table.get_by_role("row", name=re.compile(r"^Mar 2007")).get_by_role("cell")
    texts = cells.all_inner_texts()
    return {"pssp": int(texts[0]), "total": int(texts[2]), "computer_misuse": int(texts[4])}


def show_statistics(page):
    """The statistics page opens on the year of the latest session logged: 2007 here."""
    menu_link(page, "PSSP statistics").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Statistics, 2007")


def test_staff_member_logs_a_presentation_with_the_keyboard(journey, staff_user):
    DeliveryFactory(delivered_on=datetime.date(2007, 3, 5), attendees=40, borough=borough("Sutton"))
    computer_misuse = f"input[name=products][value='{product('computer-misuse').pk}']"
    page = journey.page

    page.goto("/")
    assert "/sign-in/" in page.url
    journey.step("sign-in form")
    page.get_by_label("Username").focus()
    page.keyboard.type(staff_user.username)
    page.keyboard.press("Tab")
    assert focused(page, "#id_password")
    page.keyboard.type("correct-horse-stapler")  # mistyped
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.title().startswith("Error: ")
    assert "The user name or password is not right" in (
        page.locator(".govuk-error-summary").inner_text()
    )
    assert page.get_by_label("Username").input_value() == staff_user.username
    journey.step("sign-in error")
    page.get_by_label("Password").focus()
    page.keyboard.type(PASSWORD)
    page.keyboard.press("Enter")
    page.wait_for_url(lambda url: "/sign-in/" not in url)
    journey.step("home signed in")

    show_statistics(page)
    before = march_2007_row(page)
    assert before == {"pssp": 40, "total": 40, "computer_misuse": 0}
    journey.step("statistics before")

    menu_link(page, "Delivery log").click()
    journey.step("delivery log")
    page.get_by_role("link", name="Log a presentation").focus()
    page.keyboard.press("Enter")
    page.wait_for_url("**/presentations/log/new/")
    journey.step("empty form")

    # Keyboard only from here: Tab moves between fields, typing fills them, Space ticks.
    next_year = timezone.localdate().year + 1
    press_tab_until(page, "#id_delivered_on")
    type_date(page, datetime.date(next_year, 3, 14))  # a future date: refused
    press_tab_until(page, "#id_borough")
    page.keyboard.type("Camden")
    press_tab_until(page, "#id_stream_0")  # the radios: PSSP is already chosen
    press_tab_until(page, "#id_attendees")
    page.keyboard.press("Control+A")
    page.keyboard.type("25")
    press_tab_until(page, computer_misuse)
    page.keyboard.press("Space")
    press_tab_until(page, "#id_presenters")
    page.keyboard.type(PRESENTER)
    press_tab_until(page, "#id_feedback_very_satisfied")
    page.keyboard.press("Control+A")
    page.keyboard.type("30")  # more returns than people there: refused
    with page.expect_navigation():
        page.keyboard.press("Enter")

    # Both mistakes are listed at the top and beside their fields; nothing typed is lost.
    summary = page.locator(".govuk-error-summary")
    assert page.title().startswith("Error: ")
    assert summary.is_visible()
    summary_text = summary.inner_text()
    assert "The date of the session must be today or in the past." in summary_text
    assert "Feedback returns (30) cannot be more than the number of attendees (25)." in (
        summary_text
    )
    assert "today or in the past" in page.locator("#id_delivered_on-error").inner_text()
    assert "cannot be more than" in page.locator("#id_feedback_very_satisfied-error").inner_text()
    assert "id_feedback_very_satisfied-error" in (
        page.locator("#id_feedback_very_satisfied").get_attribute("aria-describedby")
    )
    assert page.locator("#id_delivered_on").input_value() == f"14/3/{next_year}"
    assert page.locator("#id_attendees").input_value() == "25"
    assert page.locator("#id_presenters").input_value() == PRESENTER
    assert page.locator("#id_feedback_very_satisfied").input_value() == "30"
    assert page.locator("#id_borough option:checked").inner_text() == "Camden"
    assert page.locator(computer_misuse).is_checked()
    journey.step("errors shown")

    # The error summary takes the focus; its links take the keyboard to each field.
    assert page.evaluate("() => document.activeElement.classList.contains('govuk-error-summary')")
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")
    assert focused(page, "#id_delivered_on")
    type_date(page, datetime.date(2007, 3, 14))
    press_tab_until(page, "#id_feedback_very_satisfied")
    page.keyboard.press("Control+A")
    page.keyboard.type("20")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/presentations/log/\d+/$"))
    assert "Session logged" in page.locator(".govuk-notification-banner").inner_text()
    assert "14 March 2007" in page.get_by_role("heading", level=1).inner_text()
    journey.step("session logged")

    menu_link(page, "Delivery log").click()
    journey.step("delivery log with the session")
    page.get_by_label("Month").fill("2007-03")
    page.get_by_label("Presenter").fill("Kay Board")
    page.get_by_role("button", name="Apply filters").click()
    page.wait_for_url("**/presentations/log/?*")
    # The log's own table (the date pickers' calendars are tables too).
    rows = page.locator("main .app-table-scroll tbody tr")
    assert rows.count() == 1
    row = rows.first.inner_text()
    assert "14 Mar 2007" in row and "Camden" in row and PRESENTER in row and "25" in row
    journey.step("found in the filtered log")

    show_statistics(page)
    after = march_2007_row(page)
    assert after == {"pssp": 65, "total": 65, "computer_misuse": 25}
    journey.step("statistics after")
