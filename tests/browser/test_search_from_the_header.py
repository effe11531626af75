"""Journey: the cleared planning manager finds a covert milestone from the header's search box;
the planning manager not cleared, typing the same words, finds nothing of it."""

from playwright.sync_api import expect

from tests.browser.helpers import sign_in
from tests.themes.factories import MilestoneFactory, deliverable_in

COVERT = "Kestrel covert vetting restructure"
OPEN = "Kestrel open recruitment campaign"


def search_from_header(page, words):
    box = page.get_by_role("search").get_by_label("Search")
    box.fill(words)
    box.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("Search")


def test_the_header_search_finds_only_what_each_may_read(
    journey, new_page, cleared_planner, planner
):
    covert = MilestoneFactory(deliverable=deliverable_in("covert"), title=COVERT)
    MilestoneFactory(deliverable=deliverable_in("taylor"), title=OPEN)
    page = journey.page

    sign_in(page, cleared_planner)
    search_from_header(page, "kestrel")
    results = page.get_by_role("region", name="Milestones")
    expect(results.get_by_role("link", name=COVERT)).to_be_visible()
    expect(results.locator("mark").first).to_have_text("Kestrel")
    journey.step("the cleared planner finds both milestones, words marked")

    page.get_by_label("Theme").select_option("covert")
    page.get_by_role("button", name="Search", exact=True).last.click()
    expect(page.get_by_role("region", name="Milestones").get_by_role("link")).to_have_count(1)
    page.get_by_role("link", name=COVERT).click()
    expect(page).to_have_url(f"{page.url.split('/themes/')[0]}/themes/milestones/{covert.pk}/")
    journey.step("the covert milestone opened from the results")

    other = new_page()
    sign_in(other, planner)
    search_from_header(other, COVERT)
    expect(other.get_by_role("main")).to_contain_text("Nothing found")
    expect(other.get_by_label("Theme").locator("option[value=covert]")).to_have_count(0)
