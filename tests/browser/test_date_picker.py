"""The MOJ date picker on the log form: a date can be typed (17/1/2008) or picked from the
calendar, on a phone as on a desk, and either way the form saves it."""

import re

from playwright.sync_api import expect

from presentations.models import Delivery
from tests.browser.helpers import sign_in


def test_staff_pick_the_session_date_from_the_calendar_on_a_phone(journey, staff_user):
    page = journey.page
    page.set_viewport_size({"width": 375, "height": 800})
    sign_in(page, staff_user)
    page.goto("/presentations/log/new/")
    date_field = page.get_by_label("Date of the session")
    expect(date_field).to_have_attribute("type", "text")

    # Typed first, then the calendar opens on the month typed.
    date_field.fill("14/3/2007")
    page.get_by_role("button", name="Choose date").click()
    calendar = page.get_by_role("dialog")
    expect(calendar).to_be_visible()
    expect(calendar).to_contain_text("March 2007")
    journey.step("calendar open on a phone")

    calendar.get_by_role("button", name=re.compile(r"\b15 March 2007$")).click()  # picks and closes
    expect(calendar).to_be_hidden()
    expect(date_field).to_have_value("15/3/2007")

    page.get_by_label("Borough or unit").select_option(label="Camden")
    page.get_by_label("Number of attendees").fill("12")
    page.locator("input[name=products]").first.check()
    page.get_by_label("Presenter or presenters").fill("Sam Okafor")
    page.get_by_role("button", name="Save", exact=True).click()
    errors = page.locator(".govuk-error-summary")
    assert errors.count() == 0, errors.inner_text()
    page.wait_for_url(re.compile(r"/presentations/log/\d+/$"))
    journey.step("saved")
    assert Delivery.objects.get().delivered_on.isoformat() == "2007-03-15"
