"""The job page follows the job live, under the strict CSP, without a reload (real chromium)."""

import os
import shutil

import pytest
from django.conf import settings as django_settings
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from reports.choices import JobState
from reports.models import ReportJob
from tests.reports.factories import ReportFactory

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"

pytestmark = [
    pytest.mark.browser,
    # CI sets REQUIRE_BROWSER so a missing chromium fails these tests instead of skipping them.
    pytest.mark.skipif(
        not shutil.which("chromium") and not os.environ.get("REQUIRE_BROWSER"),
        reason="needs Debian chromium",
    ),
]


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_job_page_shows_the_state_change_without_a_reload(live_server, planner, monkeypatch):
    from playwright.sync_api import expect, sync_playwright

    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")  # ORM calls beside playwright's loop
    report = ReportFactory(created_by=planner)
    job = ReportJob.objects.create(
        report=report, requested_by=planner, task_id="t-1", enqueued_at=timezone.now()
    )
    client = Client()
    client.force_login(planner)
    cookie = client.cookies[django_settings.SESSION_COOKIE_NAME].value
    errors = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        context = browser.new_context()
        context.add_cookies(
            [{"name": django_settings.SESSION_COOKIE_NAME, "value": cookie, "url": live_server.url}]
        )
        page = context.new_page()
        page.on("console", lambda message: message.type == "error" and errors.append(message.text))
        page.goto(live_server.url + reverse("reports:job-detail", args=[job.pk]))
        state = page.locator("[data-job-state]")
        assert state.inner_text() == "Queued"
        assert page.locator("[data-job-download]").is_hidden()

        ReportJob.objects.filter(pk=job.pk).update(
            state=JobState.FAILED, error="The font could not be read."
        )
        expect(state).to_have_text("Failed", timeout=10000)  # no reload: the module polled
        assert "The font could not be read." in page.locator("[data-job-error]").inner_text()
        assert page.locator("[data-job-error-box]").is_visible()
        browser.close()
    assert not [error for error in errors if "Content Security Policy" in error], errors


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_report_pages_have_no_accessibility_violations(
    live_server, planner, committee_member, monkeypatch, django_capture_on_commit_callbacks
):
    from axe_playwright_python.sync_playwright import Axe
    from playwright.sync_api import sync_playwright

    from tests.reports.factories import publish

    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    report = ReportFactory(
        created_by=planner,
        supporting_information="1. Intro.\n\n- one\n- two\n\n[block 1]",
    )
    from reports import services

    services.block_add(report, user=planner, kind="programme-summary")
    publish(report, planner)  # autocommit: the PDF job runs in-process at once
    job = report.jobs.get()
    pages = {
        planner: [
            reverse("reports:report-detail", args=[report.pk]),
            reverse("reports:manage"),
            reverse("reports:job-detail", args=[job.pk]),
            reverse("reports:report-create"),
        ],
        committee_member: [
            reverse("reports:index"),
            reverse("reports:report-detail", args=[report.pk]),
            reverse("home"),
        ],
    }
    axe = Axe()
    problems = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        for user, urls in pages.items():
            client = Client()
            client.force_login(user)
            cookie = client.cookies[django_settings.SESSION_COOKIE_NAME].value
            # axe is injected by evaluating a script, which our CSP forbids: bypass it for axe.
            context = browser.new_context(bypass_csp=True)
            context.add_cookies(
                [
                    {
                        "name": django_settings.SESSION_COOKIE_NAME,
                        "value": cookie,
                        "url": live_server.url,
                    }
                ]
            )
            page = context.new_page()
            for url in urls:
                page.goto(live_server.url + url)
                results = axe.run(page)
                for violation in results.response["violations"]:
                    if violation["impact"] in ("serious", "critical"):
                        problems.append((url, violation["id"], violation["help"]))
            context.close()
        browser.close()
    assert problems == []
