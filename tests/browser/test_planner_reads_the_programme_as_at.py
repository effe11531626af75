"""Journey: a planning manager reads the dashboard as the programme stood on a past date, goes
back to today, then compares two dates: what moved, by how much and why."""

import datetime

from playwright.sync_api import expect

from tests.browser.helpers import sign_in, type_date
from tests.themes.factories import MilestoneFactory, deliverable_in
from tests.themes.history import dated
from themes.models import Milestone
from themes.services import milestone_update


def _go_live(planner):
    with dated(datetime.date(2007, 7, 2), Milestone):
        milestone = MilestoneFactory(
            deliverable=deliverable_in("taylor"),
            title="New procedures go live",
            baseline_date=datetime.date(2008, 4, 1),
        )
    with dated(datetime.date(2008, 1, 21), Milestone):
        milestone_update(
            milestone_id=milestone.pk,
            user=planner,
            version=1,
            forecast_date=datetime.date(2008, 12, 1),
            reason="Home Office deferred the regulations",
        )


def test_planner_reads_the_dashboard_as_at_a_past_date_and_compares_two_dates(journey, planner):
    _go_live(planner)
    page = journey.page
    sign_in(page, planner)

    page.goto("/themes/dashboard/")
    page.get_by_label("Report as at").focus()
    type_date(page, datetime.date(2008, 1, 10))
    page.get_by_role("button", name="Show").click()
    banner = page.locator("#as-at-banner")
    expect(banner).to_contain_text("Showing the programme as at 10 January 2008")
    due = page.locator("#due-90 + .app-table-scroll table")
    expect(due).to_contain_text("New procedures go live")
    expect(due).to_contain_text("1 Apr 2008")
    journey.step("dashboard as at 10 January 2008")

    banner.get_by_role("link", name="return to today").click()
    expect(page.locator("#as-at-banner")).to_have_count(0)
    expect(page.locator("#exceptions + ul")).to_contain_text("forecast 1 December 2008")
    journey.step("dashboard today")

    page.goto("/themes/compare/")
    page.get_by_label("From", exact=True).focus()
    type_date(page, datetime.date(2007, 11, 30))
    page.get_by_label("To", exact=True).focus()
    type_date(page, datetime.date(2008, 3, 31))
    page.get_by_role("button", name="Compare").click()
    main = page.locator("main")
    expect(main).to_contain_text("What changed from 30 November 2007 to 31 March 2008")
    moved = page.get_by_role("table", name="Milestones moved")
    expect(moved).to_contain_text("New procedures go live")
    expect(moved).to_contain_text("+244")
    expect(moved).to_contain_text("Home Office deferred the regulations")
    journey.step("comparison of two dates")
