"""A planning manager chooses their email notices and reads what was sent, by keyboard and
mouse alike; both pages pass axe (WCAG 2.0/2.1/2.2 A and AA), with no CSP reports or script
errors and no sideways scrolling."""

import datetime

from dps import notices
from dps.notices import NoticePreference
from tests.browser.helpers import axe_violations, script_problems, sideways_overflow
from tests.themes.factories import MilestoneFactory, deliverable_in
from themes.notices import MILESTONES


def problems_on(page):
    found = script_problems(page) + sideways_overflow(page) + axe_violations(page)
    page.console_errors.clear()
    return found


def test_a_planner_chooses_notices_and_reads_what_was_sent(signed_in_page, planner):
    MilestoneFactory(
        deliverable=deliverable_in("overt"),
        owner=planner,
        title="Unit restructure agreed",
        baseline_date=datetime.date(2008, 3, 1),
        forecast_date=datetime.date(2008, 3, 20),
    )
    notices.send_notices(datetime.date(2008, 3, 31))
    page = signed_in_page(planner)
    problems = []

    page.get_by_role("link", name="Email notices").click()
    page.get_by_role("heading", name="Email notices").wait_for()
    problems += problems_on(page)
    page.get_by_label("Weekly programme digest", exact=False).uncheck()
    page.get_by_role("button", name="Save").click()
    page.get_by_text("Your choice of email notices is saved.").wait_for()
    problems += problems_on(page)
    assert not page.get_by_label("Weekly programme digest", exact=False).is_checked()
    assert NoticePreference.objects.get(user=planner, kind="planning-digest").enabled is False
    assert NoticePreference.objects.get(user=planner, kind=MILESTONES).enabled is True

    page.get_by_role("link", name="Notices sent to you").click()
    page.get_by_role("cell", name="Milestone overdue: Unit restructure agreed").wait_for()
    problems += problems_on(page)
    assert not problems, "\n".join(problems)
