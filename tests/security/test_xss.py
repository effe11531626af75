"""Stored XSS: script typed into any free-text field never runs, on a page or in a PDF.

Every free-text field (each CharField and TextField without choices) of the sample records is
overwritten with a numbered payload, `<script>alert(n)</script>"'><img src=x onerror=alert(n)>`
(or just the <img> part where the field is short); report sections also get Markdown that tries
a javascript: link. Then every page of the app is opened, and:

- no page holds live injected markup (an on* attribute, a javascript: URL, <script>alert,
  <img src=x>), parsed, not string-matched;
- each payload shows, escaped, on at least one page (so the probe was really rendered);
- the HTML a report's PDF is made from holds no live markup either, and the PDF's text shows
  the payloads literally, as text.
"""

import datetime
import itertools
import re

import pytest
from django.db import models
from django.test import Client
from django.urls import reverse

from reports import rendering
from reports import services as report_services
from reports.choices import BlockKind
from reports.models import ReportBlock
from tests.security.samples import app_samples
from tests.security.support import (
    body_text,
    is_html,
    live_injections,
    pdf_text,
    squeeze,
)
from themes.models import BenefitMeasurement, MilestoneReforecast

pytestmark = pytest.mark.django_db

# Not free text: identifiers used in URLs, digests, file kinds, tokens, import keys.
NOT_FREE_TEXT = {
    "code",
    "token",
    "pdf_sha256",
    "task_id",
    "document_kind",
    "path",
    "financial_year",
    "gss_code",
    "reference",
    "username",
    "password",
    "email",
}
MARKDOWN_PROBE = """\
1. Numbered <script>alert({n})</script>

[a javascript: link](javascript:alert({n}))

[an attribute break](https://example.org/"onmouseover="alert({n}))

**<img src=x onerror=alert({n})>** and *"'><img src=x onerror=alert({n})>*

- a bullet <svg onload=alert({n})>
- [a real link](https://example.org/ok)"""
MARKDOWN_NUMBER = 999
YEAR = (datetime.date(2007, 1, 1), datetime.date(2007, 12, 31))


class Probes:
    """Numbered payloads, and which field each went into."""

    def __init__(self):
        self.numbers = itertools.count(1001)
        self.fields = {}  # n → "app.Model.field"

    def payload(self, label, max_length):
        n = next(self.numbers)
        long = f"<script>alert({n})</script>\"'><img src=x onerror=alert({n})>"
        short = f"<img src=x onerror=alert({n})>"
        text = long if max_length is None or max_length >= len(long) else short
        if max_length is not None and len(text) > max_length:
            return None
        self.fields[n] = label
        return text

    def fill(self, instance, **extra):
        """Every free-text field of `instance` gets its own payload; then it is saved (so the
        audit trail, shown on record pages, holds the payloads too)."""
        for field in instance._meta.concrete_fields:
            if (
                isinstance(field, models.CharField | models.TextField)
                and not field.choices
                and field.name not in NOT_FREE_TEXT
            ):
                text = self.payload(f"{instance._meta.label}.{field.name}", field.max_length)
                if text is not None:
                    setattr(instance, field.name, text)
        for name, value in extra.items():
            setattr(instance, name, value)
        instance.save()
        return instance

    @staticmethod
    def escaped_numbers(html):
        """Payload numbers that appear in `html` as escaped text."""
        found = re.findall(r"&lt;script&gt;alert\((\d+)\)&lt;/script&gt;", html)
        found += re.findall(r"&lt;img src=x onerror=alert\((\d+)\)&gt;", html)
        return {int(n) for n in found}


@pytest.fixture(scope="module")
def probes(world, django_db_blocker):
    with django_db_blocker.unblock():
        return _plant(world)


def _fresh(record):
    """A copy read from the database: the world's own objects are left as they are."""
    return type(record)._default_manager.get(pk=record.pk)


def _plant(world):
    probes = Probes()
    users = world.users
    # People's names are shown as owners, authors and in the header.
    for role in ("planner", "cleared_planner", "staff_user"):
        user = _fresh(users[role])
        user.first_name = probes.payload(f"{role}.first_name", 150)
        user.last_name = probes.payload(f"{role}.last_name", 150)
        user.save()
    for key in (
        "delivery",
        "review",
        "tasking",
        "tasking_decision",
        "borough_report",
        "plan_action",
        "engagement",
        "event",
        "outcome",
        "deliverable",
        "milestone",
        "risk",
        "assumption",
        "issue",
        "decision",
        "action",
        "benefit",
        "status_update",
        "supporting_area",
        "borough",
        "job",
    ):
        probes.fill(_fresh(world.open[key]))
    probes.fill(_fresh(world.open["plan_action"]).plan)
    probes.fill(_fresh(world.open["theme"]))
    probes.fill(_fresh(world.open["theme"]).programme)
    probes.fill(world.open["delivery"].products.first())
    milestone = world.open["milestone"]
    probes.fill(
        MilestoneReforecast(
            milestone=milestone,
            previous_forecast=milestone.forecast_date,
            new_forecast=milestone.forecast_date,
            made_by=users["planner"],
            made_at=milestone.created_at,
        )
    )
    probes.fill(
        BenefitMeasurement(
            benefit=world.open["benefit"], measured_on=milestone.baseline_date, value=1
        )
    )
    report = _fresh(world.open["draft_report"])
    probes.fill(report.meeting.committee)
    probes.fill(report)
    report.supporting_information = (
        MARKDOWN_PROBE.format(n=MARKDOWN_NUMBER)
        + "\n\n[block 1]\n\n"
        + report.supporting_information
    )
    report.save()
    probes.fields[MARKDOWN_NUMBER] = "reports.Report.supporting_information (Markdown)"
    for block in ReportBlock.objects.filter(report=report):
        probes.fill(block)
    # Every other kind of live block, so the PDF shows theme, milestone and borough text too.
    for kind, extra in (
        (BlockKind.THEME_MILESTONES, {"theme": world.open["theme"]}),
        (BlockKind.PROGRAMME_SUMMARY, {}),
        (BlockKind.BOROUGH_COVERAGE, {"period_start": YEAR[0], "period_end": YEAR[1]}),
        (BlockKind.MONTHLY_CHART, {"period_start": YEAR[0], "period_end": YEAR[1]}),
    ):
        block = report_services.block_add(report, user=users["planner"], kind=kind, **extra)
        probes.fill(block)
    return probes


# Admin pages that show reference data the administrator keeps (product and supporting-area
# descriptions are shown nowhere else).
ADMIN_PAGES = (
    "/admin/dps/borough/",
    "/admin/dps/product/",
    "/admin/reports/committee/",
    "/admin/themes/programme/",
    "/admin/themes/supportingarea/",
)


@pytest.fixture(scope="module")
def pages(world, probes, django_db_blocker):
    """Every app page as the cleared planning manager (who may open all of them), the
    committee's published list as a committee member, and the admin's reference data lists."""
    with django_db_blocker.unblock():
        planner = Client()
        planner.force_login(world.users["cleared_planner"])
        found = {
            sample.url(world): planner.get(sample.url(world))
            for sample in app_samples()
            if sample.kwargs is not None and sample.name not in ("sign-out", "sign-in")
        }
        committee = Client()
        committee.force_login(world.users["committee_member"])
        found["committee: " + reverse("home")] = committee.get(reverse("home"))
        administrator = Client()
        administrator.force_login(world.users["administrator"])
        product = world.open["delivery"].products.first()
        for url in (
            *ADMIN_PAGES,
            reverse("admin:dps_product_change", args=[product.pk]),
            reverse("admin:themes_supportingarea_change", args=[world.open["supporting_area"].pk]),
        ):
            found["admin: " + url] = administrator.get(url)
        return {url: body_text(response) for url, response in found.items() if is_html(response)}


def test_no_page_runs_injected_script(pages):
    live = {url: injections for url, html in pages.items() if (injections := live_injections(html))}
    assert not live


# Fields that no page shows (checked by reading the templates), so no page can echo them.
NOT_SHOWN = {
    "reports.ReportJob.error",  # only shown when the job failed; the sample job is done
}


def test_every_probe_was_rendered_escaped_somewhere(pages, probes):
    seen = set().union(*(probes.escaped_numbers(html) for html in pages.values()))
    missing = {probes.fields[n] for n in probes.fields.keys() - seen}
    assert missing - NOT_SHOWN == set()


def test_markdown_keeps_its_safe_links_and_loses_the_rest(pages, world):
    html = pages[reverse("reports:report-detail", args=[world.open["draft_report"].pk])]
    assert '<a href="https://example.org/ok" rel="noopener noreferrer">a real link</a>' in html
    assert "[a javascript: link](javascript:alert(999))" in html  # shown as the text typed
    assert "<svg" not in html.split("a bullet")[1][:40]


# Parameters that pages echo back (filters, periods, sorting, paging, the sign-in `next`),
# each carrying markup.
REFLECTED = {
    "q": "<script>alert(7)</script>",
    "start": '"><img src=x onerror=alert(7)>',
    "end": "<script>alert(7)</script>",
    "as_at": '"><img src=x onerror=alert(7)>',
    "slipped_since": "'><img src=x onerror=alert(7)>",
    "theme": '"><img src=x onerror=alert(7)>',
    "rank_by": "<script>alert(7)</script>",
    "next": 'javascript:alert(7)//"><img src=x onerror=alert(7)>',
    "sort": '"><img src=x onerror=alert(7)>',
    "page": "<script>alert(7)</script>",
    "presenters": '"><img src=x onerror=alert(7)>',
}


def test_query_strings_are_not_reflected_as_markup(world, probes):
    """Every page without parameters of its own (the lists, dashboards and forms whose query
    strings are echoed), and the sign-in page, opened with markup in every parameter."""
    client = Client()
    client.force_login(world.users["cleared_planner"])
    live = {}
    for sample in app_samples():
        if sample.kwargs is None or sample.name in ("sign-out", "sign-in"):
            continue
        if sample.kwargs(world):  # record pages: their query strings are the lists' ones
            continue
        response = client.get(sample.url(world), REFLECTED)
        if is_html(response) and (injections := live_injections(body_text(response))):
            live[sample.name] = injections
    sign_in = Client().get(reverse("sign-in"), REFLECTED)
    assert not live_injections(sign_in.text)
    assert not live


@pytest.fixture(scope="module")
def rendered(world, probes, django_db_blocker):
    """The draft report, with every kind of block, rendered to PDF as the worker does."""
    with django_db_blocker.unblock():
        return rendering.render_report(
            _fresh(world.open["draft_report"]), user=world.users["cleared_planner"]
        )


def test_pdf_source_has_no_live_markup(rendered):
    assert not live_injections(rendered.html)


def test_pdf_source_shows_the_report_and_block_text_escaped(rendered, probes):
    shown = {probes.fields[n] for n in probes.escaped_numbers(rendered.html)}
    assert {
        "reports.Report.title",
        "reports.Report.by",
        "reports.Report.summary",
        "reports.Report.recommendations",
        "reports.Report.race_equality_impact",
        "reports.Report.financial_implications",
        "reports.Report.background_papers",
        "reports.Report.contact_details",
        "reports.Committee.name",
        "reports.ReportBlock.title",
        "themes.Theme.name",
        "themes.Milestone.title",
        "dps.Borough.name",
    } <= shown


def test_pdf_text_shows_the_payloads_literally(rendered, probes):
    text = squeeze(pdf_text(rendered.pdf))
    numbers = probes.escaped_numbers(rendered.html)
    assert numbers
    for n in numbers:
        assert squeeze(f"<img src=x onerror=alert({n})>") in text, probes.fields[n]
    assert squeeze("[a javascript: link](javascript:alert(999))") in text
