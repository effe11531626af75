"""Two planning managers edit one milestone at once: the second save comes back merged (the
first's re-forecast kept, the second's change applied), a title both changed is chosen with a
radio, and no re-forecast reason is asked of the one who did not move the forecast."""

import datetime

from playwright.sync_api import expect

from tests.browser.helpers import sign_in
from tests.reports.factories import second_pair_of_eyes
from tests.themes.factories import MilestoneFactory
from themes.models import Milestone


def test_two_planners_edit_one_milestone_and_nothing_is_lost(journey, new_page, planner):
    colleague = second_pair_of_eyes(planner)
    milestone = MilestoneFactory(
        title="Guidance issued", owner=planner, baseline_date=datetime.date(2008, 4, 1)
    )
    edit = f"/themes/milestones/{milestone.pk}/edit/"
    page = journey.page
    sign_in(page, planner)
    page.goto(edit)
    other = new_page()
    sign_in(other, colleague)
    other.goto(edit)

    # The colleague saves first: a new forecast, with its reason, and a new title.
    other.get_by_label("Forecast date", exact=True).fill("2008-04-20")
    other.get_by_label("Reason for the new forecast date").fill("Legal review")
    other.get_by_label("Title").fill("Guidance for champions issued")
    other.get_by_role("button", name="Save").click()
    other.wait_for_url(f"**/themes/milestones/{milestone.pk}/")

    # The planner, still on the form opened before, changes the title and the description.
    page.get_by_label("Title").fill("Guidance issued to champions")
    page.get_by_label("Description").fill("Printed and online.")
    page.get_by_role("button", name="Save").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Your changes were not saved")
    assert page.get_by_label("Forecast date", exact=True).input_value() == "2008-04-20"
    assert page.get_by_label("Description").input_value() == "Printed and online."
    expect(page.get_by_text("Title: you both changed it")).to_be_visible()
    journey.step("conflict merged")

    page.get_by_role("button", name="Save").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Choose whose title to keep")
    journey.step("choice missing")
    page.get_by_label("Keep yours: Guidance issued to champions").check()
    page.get_by_role("button", name="Save").click()
    page.wait_for_url(f"**/themes/milestones/{milestone.pk}/")
    journey.step("saved")

    saved = Milestone.objects.get(pk=milestone.pk)
    assert saved.title == "Guidance issued to champions"
    assert saved.description == "Printed and online."
    assert saved.forecast_date == datetime.date(2008, 4, 20)
    assert saved.reforecasts.count() == 1
