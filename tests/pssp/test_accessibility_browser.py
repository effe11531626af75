"""The main tasking and engagement pages pass axe in a real browser (Debian chromium)."""

import os
from pathlib import Path

import pytest

from pssp import services
from tests.pssp.factories import (
    EngagementMeetingFactory,
    PlanActionFactory,
    TaskingDecisionFactory,
    pdf_upload,
)

CHROMIUM = Path("/usr/bin/chromium")

pytestmark = [
    pytest.mark.browser,
    # serialized_rollback restores the reference data (boroughs, themes) the flush removes.
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.skipif(
        not CHROMIUM.exists() and not os.environ.get("REQUIRE_BROWSER"),
        reason="Debian chromium is not installed",
    ),
]


@pytest.fixture
def browser_page(live_server, client, planner):
    # Playwright's sync API runs an event loop in this thread; the ORM calls here are not async.
    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    from playwright.sync_api import sync_playwright

    client.force_login(planner)
    session = client.cookies["sessionid"].value
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM))
        context = browser.new_context(base_url=live_server.url)
        context.add_cookies([{"name": "sessionid", "value": session, "url": live_server.url}])
        yield context.new_page()
        browser.close()


def test_tasking_and_engagement_pages_have_no_axe_violations(browser_page):
    from axe_playwright_python.sync_playwright import Axe

    action = PlanActionFactory()
    report = action.plan.report
    services.report_attach_document(report=report, uploaded=pdf_upload())
    decision = TaskingDecisionFactory(boroughs=["Camden"])
    EngagementMeetingFactory()
    axe = Axe()
    for path in (
        f"/pssp/reports/{report.pk}/",
        f"/pssp/tasking/{decision.meeting_id}/",
        f"/pssp/decisions/{decision.pk}/edit/",
        f"/pssp/boroughs/{report.borough_id}/",
        "/pssp/engagement/coverage/?start=2007-01-01&end=2007-12-31",
        "/pssp/reviews/comparison/?start=2007-01-01&end=2007-12-31",
        "/pssp/outcomes/",
    ):
        browser_page.goto(path)
        assert "Sign in" not in browser_page.title(), path
        results = axe.run(browser_page)
        assert results.violations_count == 0, (path, results.generate_report())
