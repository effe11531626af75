"""Journey 2: the planning manager re-forecasts a slipped milestone with a reason, sees the
dashboard and the timeline change, builds a theme highlight report, has another planning manager
approve it (four eyes), publishes it after reading what will be frozen and who will read it,
and watches the PDF job finish on the job page without reloading it."""

import datetime
import re

from django.utils import timezone
from playwright.sync_api import expect

from reports import jobs as report_jobs
from reports.choices import JobState
from reports.models import ReportJob
from tests.browser.helpers import menu_link, sign_in
from tests.reports.factories import CommitteeFactory, second_pair_of_eyes
from tests.themes.factories import MilestoneFactory, deliverable_in

TAYLOR = "Taylor Report – new police misconduct procedures"
MILESTONE = "Misconduct panels trained"
REASON = "Training venue withdrawn; new dates agreed with the college"


def taylor_row(page):
    """The Taylor theme's row of the dashboard's programme summary."""
    return page.locator("table.dps-programme-summary tbody tr").filter(has_text="Taylor Report")


def timeline_milestone(page):
    """(description, forecast circle x) of the milestone in the timeline SVG."""
    chart = page.get_by_role("img", name=re.compile("^Milestones from"))
    row = chart.locator("g").filter(has=page.locator("title", has_text=MILESTONE))
    forecast_x = float(row.locator("circle").get_attribute("cx"))
    return row.locator("title").first.text_content(), forecast_x


def test_planner_reforecasts_a_milestone_and_publishes_a_highlight_report(
    journey, planner, monkeypatch, celery_in_process
):
    milestone = MilestoneFactory(
        deliverable=deliverable_in("taylor", title="Panels in place"),
        title=MILESTONE,
        owner=planner,
        baseline_date=datetime.date(2008, 4, 1),
    )
    CommitteeFactory()
    approver = second_pair_of_eyes(planner)
    # The test stands in for the queue: publishing hands the job over here, and the test plays
    # the worker once the job page is open, so the page is seen to change by itself.
    send_to_worker = report_jobs.job_send
    queued = []
    monkeypatch.setattr(report_jobs, "job_send", queued.append)
    page = journey.page

    sign_in(page, planner)
    menu_link(page, "Dashboard").click()
    assert page.title() == "Planning dashboard – DPS Programme Manager"
    expect(taylor_row(page).locator(".govuk-tag").nth(1)).to_have_text("Green")
    expect(page.locator("#exceptions a")).to_have_text("0 milestones – see them all")
    journey.step("dashboard before")

    menu_link(page, "Timeline").click()
    description, forecast_x = timeline_milestone(page)
    assert "forecast 1 April 2008, Green" in description
    journey.step("timeline before")

    menu_link(page, "Milestones").click()
    journey.step("milestones")
    page.get_by_role("link", name=MILESTONE).click()
    expect(page.locator(".govuk-summary-list")).to_contain_text("Green")
    journey.step("milestone on track")
    page.get_by_role("link", name="Edit or re-forecast").click()
    journey.step("milestone form")
    page.get_by_label("Forecast date", exact=True).fill("2008-07-15")
    page.get_by_role("button", name="Save").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text(
        "Enter the reason the forecast date has changed"
    )
    assert page.get_by_label("Forecast date", exact=True).input_value() == "2008-07-15"
    journey.step("reason missing")
    page.get_by_label("Reason for the new forecast date").fill(REASON)
    page.get_by_role("button", name="Save").click()
    page.wait_for_url(f"**/themes/milestones/{milestone.pk}/")
    expect(page.locator(".govuk-summary-list")).to_contain_text("Red")
    expect(page.get_by_role("table", name="Every change of the forecast date")).to_contain_text(
        REASON
    )
    journey.step("milestone reforecast")

    menu_link(page, "Dashboard").click()
    expect(taylor_row(page).locator(".govuk-tag").nth(1)).to_have_text("Red")
    expect(page.locator("#exceptions a")).to_have_text("1 milestone – see them all")
    exceptions = page.locator("#exceptions + ul")
    expect(exceptions).to_contain_text(f"{MILESTONE} (Taylor Report")
    expect(exceptions).to_contain_text("105 days after baseline")
    slipped = page.get_by_role("table", name=re.compile("^Slipped since"))
    expect(slipped.get_by_role("row").filter(has_text=MILESTONE)).to_contain_text("Red")
    journey.step("dashboard after")

    menu_link(page, "Timeline").click()
    description, new_forecast_x = timeline_milestone(page)
    assert "forecast 15 July 2008, Red" in description
    assert new_forecast_x > forecast_x  # the forecast dot moved right, to mid-July
    journey.step("timeline after")

    menu_link(page, "Reports").click()
    journey.step("reports")
    page.get_by_role("link", name="New theme highlight report").click()
    today = timezone.localdate()
    page.get_by_label("Theme").select_option(label=TAYLOR)
    page.get_by_label("Period start").fill((today - datetime.timedelta(days=30)).isoformat())
    page.get_by_label("Period end").fill(today.isoformat())
    page.get_by_label("Meeting date").fill("2008-07-24")
    page.get_by_label("Report number").fill("H1")
    page.get_by_label("Report date").fill("2008-07-24")
    journey.step("highlight form")
    page.get_by_role("button", name="Save").click()
    page.wait_for_url(re.compile(r"/reports/\d+/edit/$"))
    drafted = page.get_by_label("Supporting information").input_value()
    assert f"{MILESTONE}: moved from 1 April 2008 to 15 July 2008 ({REASON})" in drafted
    journey.step("highlight drafted")

    page.get_by_role("button", name="Save").click()
    page.wait_for_url(re.compile(r"/reports/\d+/$"))
    report_url = page.url
    expect(page.get_by_text("another planning manager must approve it")).to_be_visible()
    assert page.get_by_role("button", name="Approve").count() == 0
    journey.step("draft report")

    # Four eyes: another planning manager approves it.
    page.get_by_role("button", name="Sign out").click()
    sign_in(page, approver)
    page.goto(report_url)
    page.get_by_role("button", name="Approve", exact=True).click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text("Report approved.")
    journey.step("approved")
    page.get_by_role("button", name="Sign out").click()

    # The author publishes, after reading what will be frozen and who will read it.
    sign_in(page, planner)
    page.goto(report_url)
    page.get_by_role("button", name="Publish…").click()
    page.wait_for_url(re.compile(r"/reports/\d+/publish/$"))
    expect(page.locator("#frozen-blocks")).to_contain_text(TAYLOR)
    expect(page.locator("#audience")).to_contain_text("Committee member")
    page.get_by_role("button", name="Publish report H1").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Confirm that you have checked")
    journey.step("publish confirmation")
    page.get_by_label("I have checked what will be frozen").check()
    page.get_by_role("button", name="Publish report H1").click()
    page.wait_for_url(re.compile(r"/reports/jobs/\d+/$"))
    state = page.locator("[data-job-state]")
    expect(state).to_have_text("Queued")
    assert page.locator("[data-job-download]").is_hidden()
    journey.step("job queued")

    # The worker picks the job up; the page must follow by itself.
    page.evaluate("window.stillTheSamePage = true")
    assert len(queued) == 1
    send_to_worker(queued[0])
    assert ReportJob.objects.get(pk=queued[0]).state == JobState.DONE
    expect(state).to_have_text("Done", timeout=15_000)
    expect(page.locator("[data-job-message]")).to_have_text("The PDF is ready.")
    expect(page.get_by_role("link", name="Download the PDF")).to_be_visible()
    assert page.evaluate("window.stillTheSamePage") is True  # updated without a reload
    journey.step("job done")
