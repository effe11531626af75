"""A committee report on screen is set in GOV.UK type, its facts a summary list; printed from
the browser, it is the report alone, without the service's navigation, header, footer or
buttons."""

from playwright.sync_api import expect

from tests.browser.helpers import sign_in
from tests.reports.factories import ReportFactory


def style(locator, prop):
    return locator.evaluate("(element, prop) => getComputedStyle(element)[prop]", prop)


def test_a_report_reads_in_govuk_type_and_prints_without_the_service_around_it(journey, planner):
    report = ReportFactory(
        created_by=planner,
        supporting_information="1. The programme was launched in November 2006.\n\n"
        "It covers:\n- misconduct\n- complaints",
    )
    page = journey.page
    sign_in(page, planner)
    page.goto(report.get_absolute_url())

    body = page.locator(".app-report-body")
    paragraph = body.locator("p", has_text="It covers")
    assert "serif" not in style(paragraph, "fontFamily").replace("sans-serif", "")
    assert style(paragraph, "fontSize") == "19px"
    assert style(body.locator("ul").last, "listStyleType") == "disc"
    facts = body.locator("dl.govuk-summary-list")
    expect(facts.locator("dt")).to_have_text(["Report", "Date", "By"])
    expect(facts.locator("dd").nth(1)).to_have_text("17 January 2008")
    journey.step("report on screen")

    page.emulate_media(media="print")
    for hidden in (
        page.get_by_role("navigation", name="Menu"),
        page.get_by_role("navigation", name="Committee papers"),
        page.locator("header"),
        page.locator("footer"),
        page.get_by_role("button", name="Sign out"),
        page.get_by_role("button", name="Approve"),
    ):
        expect(hidden).to_be_hidden()
    expect(body.get_by_role("heading", level=1)).to_be_visible()
    page.screenshot(path=str(journey.directory / "printed.png"), full_page=True)
