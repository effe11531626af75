"""Every link and form target each persona can reach, followed as DEBUG=false serves them.

Issue 12, "Done when": on the demo, plus records moved into and out of the restricted theme, a
cleared planner's proof PDF of an uncleared planner's draft, and a restricted successor of a
published report, a crawl as each persona finds no 500, and no restricted name, code, code word or
title for anyone not cleared: in pages, exports (CSV, XLSX), PDFs, calendar feeds and history.

Each persona starts at "/" and follows, breadth first, every same-site `<a href>`, every GET
`<form action>`, every address printed on a page (the calendar feed), and the CSV and XLSX exports
of every list that offers them. Then every address the cleared planner reached is opened again as
everyone else: it may be refused or found missing, never a 500 and never a leak.

Slow (a few minutes): `pytest -m "not crawl"` leaves it out; CI always runs it.
"""

import html
import io
import logging
import re
import time
import traceback
from collections import Counter, deque
from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import parse_qsl, unquote_plus, urlencode, urljoin, urlsplit

import pytest
from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from django.core.signals import got_request_exception
from django.test import Client, override_settings
from django.urls import reverse
from pypdf.errors import PdfReadError

from dps import demo as demo_users
from presentations import demo as delivery_demo
from pssp import demo as pssp_demo
from pssp.models import Outcome
from reports import demo as reports_demo
from reports import jobs
from reports import services as report_services
from reports.choices import BlockKind, JobPurpose, JobState
from reports.models import Report, ReportJob
from reports.rendering import render_report, sha256_of
from tests.reports.factories import ReportFactory
from tests.security.support import pdf_text, squeeze
from tests.security.world import FAKE_PDF, SECRET
from themes import demo as themes_demo
from themes.models import CalendarFeed, Decision, Deliverable, Issue, Milestone, Risk, Theme

pytestmark = [pytest.mark.django_db, pytest.mark.crawl]

PERSONAS = (
    "staff_user",
    "planner",
    "cleared_planner",
    "committee_member",
    "administrator",
    "outsider",
)
CLEARED = "cleared_planner"

# Enough for every page of the demo; a crawl that hits it has found a loop of new addresses.
MAX_ADDRESSES = 1500
# Sort orders and filters of one list say nothing new after a few: at most this many query
# strings per path (pagination beyond page 3 is skipped outright).
MAX_QUERIES_PER_PATH = 12
MAX_PAGE = 3
# Records of one kind (a delivery, a borough) are shown by one template: after this many, more of
# them test nothing new. Covert records are few, in short lists: the crawl still opens every one
# (test_the_cleared_planner_opens_every_restricted_record).
MAX_PER_SHAPE = 40
# Where the admin returns to after a save: the same page for any value.
IGNORED_PARAMETERS = {"_changelist_filters"}
SKIPPED_PATHS = (
    reverse("sign-out"),
    "/admin/logout/",  # POST only, and it would end the session
    "/static/",
)

# Text that says "covert" without naming the restricted theme: the clearance permission's own
# label, the report flag's help text, and an open (intelligence) milestone's re-forecast reason.
INNOCENT_PHRASES = (
    "restricted (covert)",
    "view_restricted_theme",
    "co-location with covert teams",
)

# The planted records (see `plant`): titles and texts only the cleared may ever read.
WAS_COVERT_TITLE = f"Operation {SECRET} referral outcome"
WAS_COVERT_EVIDENCE = f"Operation {SECRET} source log"
NOW_OPEN_TITLE = "Referral outcome, declassified"
NOW_OPEN_EVIDENCE = "Force-wide referral figures"
NOW_COVERT_TITLE = "Borough vetting outcome, since classified"
NOW_COVERT_EVIDENCE = "Vetting unit file, since classified"
SUCCESSOR_TITLE = f"Published progress report, with Operation {SECRET}"
DRAFT_TITLE = "Programme summary for March, draft"


# --- The world: the demo, the security samples, and the moves -----------------------------------


def load_demo():
    """The embedded demo, as `load_demo` loads it, with its report PDFs rendered by the job
    runner (the test transaction never commits, so the queue is never handed them)."""
    users = demo_users.load(get_user_model())
    pssp_demo.load(users)
    themes_demo.load(users)
    delivery_demo.load(users)
    reports_demo.load(users)
    _run_queued_jobs()


def _run_queued_jobs():
    queued = ReportJob.objects.every_row("the test runs every job").filter(state=JobState.QUEUED)
    for job_id in queued.values_list("pk", flat=True):
        assert jobs.job_run(job_id).state == JobState.DONE


def _render_stand_in_pdfs():
    """The security world stores a stand-in for each published PDF; the crawl reads real ones.
    Each is stored under a new name, so the world's own files are as they were once this
    module's rows are rolled back."""
    done = ReportJob.objects.every_row("the test renders every job").filter(state=JobState.DONE)
    for job in done.select_related("report", "requested_by"):
        with job.pdf.open("rb") as stored:
            if stored.read() != FAKE_PDF:
                continue
        pdf = render_report(job.report, user=job.requested_by).pdf
        stand_in = job.pdf.name
        name = job.pdf.storage.save(stand_in, ContentFile(pdf))
        real = {"pdf": name, "pdf_sha256": sha256_of(pdf)}
        ReportJob.objects.every_row("the same job").filter(pk=job.pk).update(**real)
        Report.objects.every_row("the same job").filter(pdf=stand_in).update(**real)


def _outcome_form(**values):
    form = {
        "description": "What PSSP found and what followed.",
        "occurred_on": "2008-02-01",
        "borough": "",
        "product": "",
        "evidence_reference": "",
    }
    form.update(values)
    return form


def _save_outcome(client, url, **values):
    response = client.post(url, _outcome_form(**values))
    assert response.status_code == 302, response.content.decode()[:2000]
    return response


def plant(world):
    """What the demo has not got: outcomes moved across the clearance line through the record
    screens, a proof of an uncleared planner's draft requested by a cleared one, and a published
    report superseded by a restricted version."""
    cleared = world.users[CLEARED]
    planner = world.users["planner"]
    themes = Theme.objects.every_row("test set-up")
    covert, overt = themes.get(code="covert"), themes.get(code="overt")
    client = Client()
    client.force_login(cleared)

    # Recorded under the covert theme, then moved to an open one with new words.
    _save_outcome(
        client,
        reverse("pssp:outcome-create"),
        title=WAS_COVERT_TITLE,
        theme=covert.pk,
        evidence=WAS_COVERT_EVIDENCE,
    )
    declassified = Outcome.objects.every_row("test set-up").get(title=WAS_COVERT_TITLE)
    _save_outcome(
        client,
        reverse("pssp:outcome-edit", args=[declassified.pk]),
        title=NOW_OPEN_TITLE,
        theme=overt.pk,
        evidence=NOW_OPEN_EVIDENCE,
    )
    # Recorded in the open, then moved under the covert theme.
    _save_outcome(
        client,
        reverse("pssp:outcome-create"),
        title=NOW_COVERT_TITLE,
        theme=overt.pk,
        evidence=NOW_COVERT_EVIDENCE,
    )
    classified = Outcome.objects.every_row("test set-up").get(title=NOW_COVERT_TITLE)
    _save_outcome(
        client,
        reverse("pssp:outcome-edit", args=[classified.pk]),
        title=NOW_COVERT_TITLE,
        theme=covert.pk,
        evidence=NOW_COVERT_EVIDENCE,
    )

    # The uncleared planner's draft with a programme summary; the cleared planner asks for a
    # proof, which renders the summary as they see it: with the covert theme.
    draft = ReportFactory(created_by=planner, title=DRAFT_TITLE)
    report_services.block_add(draft, user=planner, kind=BlockKind.PROGRAMME_SUMMARY)
    draft.refresh_from_db()
    assert not draft.restricted
    response = client.post(reverse("reports:report-render", args=[draft.pk]))
    assert response.status_code == 302
    proof = ReportJob.objects.every_row("test set-up").get(report=draft, requested_by=cleared)
    assert proof.restricted and proof.purpose == JobPurpose.PROOF

    # The open published report, superseded by a version with the covert theme's milestones.
    published = Report.objects.every_row("test set-up").get(pk=world.open["report"].pk)
    successor = report_services.report_supersede(published, user=cleared)
    report_services.report_update(successor, user=cleared, title=SUCCESSOR_TITLE)
    report_services.block_add(
        successor, user=cleared, kind=BlockKind.THEME_MILESTONES, theme=covert
    )
    with override_settings(REPORTS_FOUR_EYES=False):  # the crawl's one cleared planner
        report_services.report_approve(successor, user=cleared)
    report_services.report_publish(successor, user=cleared)
    successor.refresh_from_db()
    assert successor.restricted

    _run_queued_jobs()
    _render_stand_in_pdfs()
    CalendarFeed.objects.get_or_create(user=cleared, defaults={"token": CalendarFeed.new_token()})


def restricted_words():
    """Everything that names the restricted theme or its work, lower-cased: its name (typed with
    either dash), code and code words, and the titles of its records, the planted ones too.
    and its outcomes' evidence. A title some open record shares is left out: it names nothing."""
    words = {"anti-corruption", SECRET, WAS_COVERT_TITLE, WAS_COVERT_EVIDENCE, SUCCESSOR_TITLE}
    for covert in Theme.objects.every_row("the test lists them").filter(restricted=True):
        words |= {covert.name, covert.name.replace("–", "-"), covert.code}
    texts = (
        (Deliverable, "theme", "title"),
        (Milestone, "deliverable__theme", "title"),
        (Risk, "theme", "title"),
        (Issue, "theme", "title"),
        (Decision, "theme", "title"),
        (Outcome, "theme", "title"),
        (Outcome, "theme", "evidence"),
    )
    for model, path, text in texts:
        rows = model.objects.every_row("the test lists them")
        restricted = {f"{path}__restricted": True}
        hidden = set(rows.filter(**restricted).values_list(text, flat=True))
        shared = set(rows.exclude(**restricted).values_list(text, flat=True))
        words |= hidden - shared
    return {word.lower() for word in words if word}


# --- The crawl ----------------------------------------------------------------------------------


class _Links(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.links = []
        self.offers_export = False

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag == "a" and attributes.get("href"):
            self.links.append(attributes["href"])
            if "_export=" in attributes["href"]:
                self.offers_export = True
        method = (attributes.get("method") or "get").lower()
        if tag == "form" and method == "get" and attributes.get("action"):
            self.links.append(attributes["action"])


PRINTED_ADDRESS = re.compile(r"https?://testserver(/[^\s<>\"']*)")


def _normalised(href, base):
    """The same-site address `href` leads to from `base`, or None to leave it."""
    parts = urlsplit(urljoin(f"http://testserver{base}", href.strip()))
    if parts.scheme not in ("http", "https") or parts.netloc != "testserver":
        return None
    path = parts.path or "/"
    if path.startswith(SKIPPED_PATHS):
        return None
    query = sorted(
        (name, value)
        for name, value in parse_qsl(parts.query, keep_blank_values=True)
        if name not in IGNORED_PARAMETERS
    )
    for name, value in query:
        if name == "page" and (not value.isdigit() or int(value) > MAX_PAGE):
            return None
    return path + ("?" + urlencode(query) if query else "")


def _with_export(address, export_format):
    parts = urlsplit(address)
    query = [(n, v) for n, v in parse_qsl(parts.query, keep_blank_values=True) if n != "_export"]
    return parts.path + "?" + urlencode(sorted([*query, ("_export", export_format)]))


@dataclass
class Visit:
    address: str
    status: int
    kind: str  # html, csv, xlsx, pdf, calendar, json, other
    text: str  # what a reader sees in it
    error: str = ""  # the traceback of a 500


@dataclass
class Crawl:
    persona: str
    visits: dict = field(default_factory=dict)  # address → Visit
    capped: bool = False

    def kinds(self):
        return Counter(visit.kind for visit in self.visits.values())


def _kind(response):
    content_type = response.get("Content-Type", "")
    for marker, kind in (
        ("text/html", "html"),
        ("text/csv", "csv"),
        ("spreadsheetml", "xlsx"),
        ("application/pdf", "pdf"),
        ("text/calendar", "calendar"),
        ("json", "json"),
    ):
        if marker in content_type:
            return kind
    return "other"


def _content(response):
    if getattr(response, "streaming", False):
        return b"".join(response.streaming_content)
    return response.content


def _readable_text(kind, content):
    if kind == "xlsx":
        from openpyxl import load_workbook

        book = load_workbook(io.BytesIO(content), read_only=True)
        return "\n".join(
            str(cell)
            for sheet in book.worksheets
            for row in sheet.iter_rows(values_only=True)
            for cell in row
            if cell is not None
        )
    if kind == "pdf" or content.startswith(b"%PDF"):
        try:
            return pdf_text(content)
        except PdfReadError:
            # An uploaded document the sample data only pretends is a PDF: read its bytes.
            return content.decode("latin-1")
    return html.unescape(content.decode("utf-8", "replace"))


class _Failures:
    """The traceback of the request that just failed (the client itself only sees a 500)."""

    def __init__(self):
        self.last = ""

    def __call__(self, sender, request=None, **kwargs):
        self.last = traceback.format_exc()


def _fetch(client, address, failures):
    failures.last = ""
    response = client.get(address)
    content = _content(response)
    kind = _kind(response)
    text = _readable_text(kind, content)
    visit = Visit(address, response.status_code, kind, text, failures.last)
    return visit, response


def crawl_as(persona, client, failures):
    crawl = Crawl(persona)
    queue = deque(["/"])
    seen = {"/"}
    per_path, per_shape = Counter(), Counter()

    def enqueue(address):
        if address is None or address in seen:
            return
        path = urlsplit(address).path
        shape = re.sub(r"\d+", "N", path)
        if address != path and per_path[path] >= MAX_QUERIES_PER_PATH:
            return
        if shape != path and address == path and per_shape[shape] >= MAX_PER_SHAPE:
            return
        seen.add(address)
        if address != path:
            per_path[path] += 1
        elif shape != path:
            per_shape[shape] += 1
        queue.append(address)

    while queue:
        if len(crawl.visits) >= MAX_ADDRESSES:
            crawl.capped = True
            break
        address = queue.popleft()
        visit, response = _fetch(client, address, failures)
        crawl.visits[address] = visit
        if response.status_code in (301, 302) and not address.startswith("/sign-in"):
            enqueue(_normalised(response["Location"], address))
        if visit.kind != "html" or visit.status != 200:
            continue
        links = _Links()
        links.feed(_content(response).decode("utf-8", "replace"))
        for href in links.links:
            enqueue(_normalised(href, address))
        for printed in PRINTED_ADDRESS.findall(visit.text):
            enqueue(_normalised(printed, address))
        if links.offers_export:
            for export_format in ("csv", "xlsx"):
                enqueue(_with_export(address, export_format))
    return crawl


def leaks(visit, forbidden):
    """The restricted words a visit shows (PDF text is compared without whitespace: it wraps).
    A word in the address itself is the reader's own: a page may repeat what it was asked."""
    text, kind = visit.text.lower(), visit.kind
    asked = unquote_plus(visit.address).lower()
    forbidden = {word for word in forbidden if word not in asked}
    for phrase in INNOCENT_PHRASES:
        text = text.replace(phrase, "")
    if kind == "pdf":
        text = squeeze(text)
        return {word for word in forbidden if squeeze(word) in text}
    return {word for word in forbidden if word in text}


@dataclass
class Results:
    crawls: dict  # persona → Crawl
    replays: dict  # persona → {address: Visit} of the cleared planner's addresses
    forbidden: set
    seconds: float


@pytest.fixture(scope="module")
def results(world, module_savepoint, django_db_blocker):
    started = time.monotonic()
    failures = _Failures()
    got_request_exception.connect(failures)
    # Thousands of refusals are expected; only a failure (an error) is worth a log line.
    request_log = logging.getLogger("django.request")
    level = request_log.level
    request_log.setLevel(logging.ERROR)
    try:
        with django_db_blocker.unblock(), override_settings(DEBUG=False):
            load_demo()
            plant(world)
            forbidden = restricted_words()
            clients = {}
            for persona in PERSONAS:
                clients[persona] = Client(raise_request_exception=False)
                clients[persona].force_login(world.users[persona])
            crawls = {
                persona: crawl_as(persona, clients[persona], failures) for persona in PERSONAS
            }
            # The cleared planner's calendar address is their secret, which reads as them
            # whoever holds it (they reset it if it is shared): not a page to try as others.
            feed = reverse("themes:calendar-feed", args=[world.users[CLEARED].milestone_feed.token])
            replays = {}
            for persona in PERSONAS:
                if persona == CLEARED:
                    continue
                replays[persona] = {
                    address: _fetch(clients[persona], address, failures)[0]
                    for address in crawls[CLEARED].visits
                    if address not in crawls[persona].visits and not address.startswith(feed)
                }
    finally:
        got_request_exception.disconnect(failures)
        request_log.setLevel(level)
    done = Results(crawls, replays, forbidden, time.monotonic() - started)
    _print_summary(done)
    return done


def _print_summary(done):
    print(f"\ncrawl: {done.seconds:.0f}s; restricted words: {sorted(done.forbidden)}")
    for persona, crawl in done.crawls.items():
        statuses = Counter(visit.status for visit in crawl.visits.values())
        print(
            f"  {persona:<17} {len(crawl.visits):>5} addresses"
            f"{' (capped)' if crawl.capped else ''}  {dict(crawl.kinds())}  {dict(statuses)}"
        )
    for persona, replay in done.replays.items():
        statuses = Counter(visit.status for visit in replay.values())
        print(f"  replay as {persona:<8} {len(replay):>5} addresses  {dict(statuses)}")


# --- What it must find --------------------------------------------------------------------------


def _all_visits(results):
    for persona, crawl in results.crawls.items():
        for visit in crawl.visits.values():
            yield persona, visit
    for persona, replay in results.replays.items():
        for visit in replay.values():
            yield persona, visit


def test_no_address_fails_for_anyone(results):
    failed = [
        (persona, visit.address) for persona, visit in _all_visits(results) if visit.status >= 500
    ]
    details = "\n".join(
        f"{persona} {visit.address}\n{visit.error}"
        for persona, visit in _all_visits(results)
        if visit.status >= 500
    )
    assert not failed, details[:20000]


def test_nobody_uncleared_reads_a_restricted_word(results):
    found = {}
    for persona, visit in _all_visits(results):
        if persona == CLEARED:
            continue
        words = leaks(visit, results.forbidden)
        if words:
            found[(persona, visit.address, visit.kind)] = sorted(words)
    assert not found, "\n".join(f"{key}: {words}" for key, words in found.items())


def test_the_cleared_planner_reaches_the_restricted_content(results):
    """The crawl proves something only if it gets there: in pages, exports, PDFs and feeds."""
    crawl = results.crawls[CLEARED]
    seen = Counter()
    for visit in crawl.visits.values():
        if leaks(visit, results.forbidden):
            seen[visit.kind] += 1
    assert seen["html"] > 20 and seen["csv"] and seen["xlsx"] and seen["pdf"] and seen["calendar"]
    words = set()
    for visit in crawl.visits.values():
        words |= leaks(visit, results.forbidden)
    expected = {
        SECRET.lower(),
        NOW_COVERT_TITLE.lower(),
        SUCCESSOR_TITLE.lower(),
        "anti-corruption",
        "investigations – covert",
    }
    assert expected <= words


def test_every_persona_crawls_the_app_within_its_cap(results):
    for persona, crawl in results.crawls.items():
        assert not crawl.capped, persona
    visits = {persona: len(crawl.visits) for persona, crawl in results.crawls.items()}
    assert visits["outsider"] < visits["staff_user"] < visits["planner"]
    assert visits["planner"] < visits[CLEARED]
    kinds = results.crawls["planner"].kinds()
    assert kinds["csv"] and kinds["xlsx"] and kinds["pdf"] and kinds["calendar"]


def test_the_cleared_planner_opens_every_restricted_record(results):
    visited = set(results.crawls[CLEARED].visits)
    pages = {
        "themes:deliverable-edit": (Deliverable, "theme__restricted"),
        "themes:milestone-detail": (Milestone, "deliverable__theme__restricted"),
        "themes:risk-detail": (Risk, "theme__restricted"),
        "themes:issue-detail": (Issue, "theme__restricted"),
        "themes:decision-detail": (Decision, "theme__restricted"),
        "pssp:outcome-detail": (Outcome, "theme__restricted"),
        "reports:report-detail": (Report, "restricted"),
    }
    missed = []
    for name, (model, flag) in pages.items():
        for record in model.objects.every_row("the test lists them").filter(**{flag: True}):
            if reverse(name, args=[record.pk]) not in visited:
                missed.append(f"{model.__name__} {record}")
    assert not missed


def test_the_uncleared_reach_the_planted_records_in_the_open(results):
    """What crossed the line is still found where it is open: the declassified outcome (with
    its history), the planner's own draft, and the report its restricted successor replaced."""
    planner = results.crawls["planner"].visits.values()
    assert any(NOW_OPEN_TITLE in visit.text and "History" in visit.text for visit in planner)
    assert any(DRAFT_TITLE in visit.text for visit in planner)
    committee = results.crawls["committee_member"].visits.values()
    assert any("Published progress report" in visit.text for visit in committee)
