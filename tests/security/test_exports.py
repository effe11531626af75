"""Every export and download: allowed exactly where its page is, recorded when taken, free of
restricted content for the uncleared, and safe to open in a spreadsheet.

Exports are found two ways, so a new one cannot slip by: every list built on FilteredTableView
(each has CSV and XLSX), and every view whose code records an access (AccessRecord) or answers
`_export`; each must be in EXPORTS below.
"""

import csv
import inspect
import io
import re

import openpyxl
import pytest
from django.db import models, transaction
from django.test import Client
from django.urls import reverse

from dps.models import AccessRecord
from dps.views import FilteredTableView
from tests.factories import theme
from tests.pssp.factories import OutcomeFactory
from tests.security.expectations import (
    ANON,
    CLEARED,
    GET_ROWS,
    PLANNER,
    PLANNERS,
    ROLES,
    VARIANT_ROWS,
    hidden,
    row,
)
from tests.security.samples import SAMPLES
from tests.security.support import LOGIN, all_routes, body_text, outcome, view_of
from tests.security.world import SECRET
from tests.themes.factories import MilestoneFactory, RiskFactory, StatusUpdateFactory
from themes.models import CalendarFeed, Deliverable

pytestmark = pytest.mark.django_db


def _list_exports():
    exports = {}
    for route in all_routes():
        view = view_of(route)
        if inspect.isclass(view) and issubclass(view, FilteredTableView):
            for export_format in ("csv", "xlsx"):
                exports[f"{route.name}?_export={export_format}"] = (route.name, "open")
    return exports


# export id → (the page it belongs to, which sample of that page)
EXPORTS = {
    **_list_exports(),
    **{
        f"presentations:statistics?_export={table}": ("presentations:statistics", "open")
        for table in ("presentations", "civil_actions", "accident_claims", "boroughs")
    },
    "themes:compare?_export=csv": ("themes:compare", "open"),
    "themes:compare?_export=xlsx": ("themes:compare", "open"),
    "pssp:comparison?_export=csv": ("pssp:comparison", "open"),
    "pssp:comparison?_export=xlsx": ("pssp:comparison", "open"),
    "pssp:coverage?_export=csv": ("pssp:coverage", "open"),
    "pssp:coverage?_export=xlsx": ("pssp:coverage", "open"),
    "pssp:report-download": ("pssp:report-download", "open"),
    "reports:report-pdf": ("reports:report-pdf", "published"),
    "reports:report-pdf[covert]": ("reports:report-pdf", "covert"),
    "reports:job-pdf": ("reports:job-pdf", "open"),
    "reports:job-pdf[covert]": ("reports:job-pdf", "covert"),
}
# Downloads that need more than seeing the page (dps/roles.py): only the planning manager
# takes the whole delivery log away.
EXPORT_ROWS = {
    "presentations:delivery-list?_export=csv": row(PLANNERS),
    "presentations:delivery-list?_export=xlsx": row(PLANNERS),
}
# The calendar feed is checked on its own below: its "user" is whoever owns the address.
FEED = "themes:calendar-feed"
# Pages whose opening is recorded (a published report, read: tests/reports/test_visibility.py).
OPENINGS = {"reports:report-detail"}


def test_every_view_that_records_an_access_or_exports_is_listed():
    listed = {page for page, _ in EXPORTS.values()} | {FEED} | OPENINGS
    found = set()
    for route in all_routes():
        view = view_of(route)
        if inspect.isclass(view):
            if issubclass(view, FilteredTableView):
                found.add(route.name)
            continue
        try:
            source = inspect.getsource(view)
        except (OSError, TypeError):
            continue
        if re.search(r"record_access|AccessRecord|_dataset_download|_export", source):
            found.add(route.name)
    assert found == listed


def _url(world, export_id):
    page, variant = EXPORTS[export_id]
    kwargs = SAMPLES.get(page, {}).get(variant, lambda world: {})(world)
    query = export_id.split("?", 1)[1] if "?" in export_id else ""
    return reverse(page, kwargs=kwargs) + (f"?{query}" if query else "")


def _expected(export_id):
    page, variant = EXPORTS[export_id]
    if export_id in EXPORT_ROWS:
        return EXPORT_ROWS[export_id]
    expected = VARIANT_ROWS.get((page, variant)) or GET_ROWS[page]
    return (
        hidden(expected)
        if variant == "covert" and (page, variant) not in VARIANT_ROWS
        else expected
    )


@pytest.fixture(scope="module")
def clients(world, django_db_blocker):
    from tests.security.support import RoleClients

    with django_db_blocker.unblock():
        return RoleClients(world.users)


@pytest.mark.parametrize("export_id", sorted(EXPORTS))
def test_export_is_allowed_where_its_page_is_and_recorded(export_id, world, clients):
    url = _url(world, export_id)
    expected = _expected(export_id)
    actual, recorded = {}, {}
    for role in expected:
        with transaction.atomic():
            before = AccessRecord.objects.count()
            response = clients[role].get(url)
            actual[role] = outcome(response)
            if response.status_code == 200:
                assert response["Content-Disposition"].startswith("attachment"), url
                assert "no-store" in response["Cache-Control"], f"{url} may be cached"
                body_text(response)  # read the file through
            records = list(AccessRecord.objects.order_by("pk")[before:])
            recorded[role] = [(r.user.username, r.kind, r.path) for r in records]
            transaction.set_rollback(True)
    assert actual == expected, url
    for role, status in actual.items():
        if status == 200:
            assert recorded[role] == [(world.users[role].username, _kind(export_id), url)], (
                f"{role} took {url} unrecorded"
            )
        else:
            assert recorded[role] == [], f"{role} was refused {url} but it was recorded"


def _kind(export_id):
    downloads = ("pssp:report-download", "reports:report-pdf", "reports:job-pdf")
    return "download" if export_id.startswith(downloads) else "export"


# --- The calendar feed --------------------------------------------------------------------------


def test_calendar_feed_serves_only_people_who_may_see_milestones_and_records_it(world):
    """The secret address works without a session, but only while its owner may open the
    calendar page; each fetch is recorded against the owner."""
    may = {role: role in PLANNERS for role in ROLES if role != ANON}
    for role, allowed in may.items():
        user = world.users[role]
        feed, _ = CalendarFeed.objects.get_or_create(
            user=user, defaults={"token": CalendarFeed.new_token()}
        )
        url = reverse(FEED, args=[feed.token]) + "?scope=all"
        before = AccessRecord.objects.filter(user=user).count()
        response = Client().get(url)
        assert response.status_code == (200 if allowed else 404), role
        assert AccessRecord.objects.filter(user=user).count() == before + allowed, role


# --- Restricted content ---------------------------------------------------------------------------

# Everything the uncleared planner takes away that is counted or listed from theme data.
PLANNER_EXPORTS = [
    "themes:milestone-list?_export=csv",
    "themes:milestone-list?_export=xlsx",
    "themes:risk-list?_export=csv",
    "themes:risk-list?_export=xlsx",
    "themes:compare?_export=csv",
    "pssp:outcome-list?_export=csv",
    "pssp:outcome-list?_export=xlsx",
    "reports:manage?_export=csv",
    "reports:manage?_export=xlsx",
]
# …and the pages that count or summarise it.
PLANNER_PAGES = [
    "home",
    "themes:programme",
    "themes:dashboard",
    "themes:grid",
    "themes:timeline",
    "themes:compare",
    "themes:milestone-list",
    "themes:risk-list",
    "pssp:outcome-list",
    "reports:manage",
    "reports:index",
]


def _content(response):
    if response["Content-Type"].startswith("application/vnd.openxml"):
        book = openpyxl.load_workbook(io.BytesIO(response.content))
        return [[cell.value for cell in line] for line in book.active.iter_rows()]
    text = body_text(response)
    # Per-request values: CSRF tokens and CSP nonces.
    text = re.sub(r'(csrfmiddlewaretoken" value=|nonce=)"[^"]*"', r"\1", text)
    text = re.sub(r"nonce-[A-Za-z0-9+/=_-]+", "nonce", text)
    return re.sub(r"DTSTAMP:\w+", "DTSTAMP:", text)  # the feed's time of making


def _take(client, world, feed_token):
    taken = {
        export_id: _content(client.get(_url(world, export_id))) for export_id in PLANNER_EXPORTS
    }
    taken.update({name: _content(client.get(reverse(name))) for name in PLANNER_PAGES})
    taken["calendar feed"] = _content(Client().get(reverse(FEED, args=[feed_token]) + "?scope=all"))
    return taken


def _more_covert_work(world):
    """Red, overdue, slipped, at risk: covert records that every count would include."""
    cleared = world.users["cleared_planner"]
    planner = world.users["planner"]
    deliverable = Deliverable.objects.create(theme=theme("covert"), title=f"{SECRET} phase 2")
    for days in (1, 30, 400):
        MilestoneFactory(
            deliverable=deliverable,
            title=f"{SECRET} milestone {days}",
            owner=planner,  # even the uncleared planner's own feed must leave them out
            baseline_date=world.open["milestone"].baseline_date,
            forecast_date=world.open["milestone"].baseline_date.replace(day=days % 28 + 1),
        )
    RiskFactory(theme=theme("covert"), title=f"{SECRET} exposure risk", owner=cleared)
    StatusUpdateFactory(theme=theme("covert"), rag="red", reason=SECRET, author=cleared)
    OutcomeFactory(theme=theme("covert"), title=f"{SECRET} second outcome")


def test_covert_work_changes_nothing_the_uncleared_planner_sees_or_exports(world):
    planner = Client()
    planner.force_login(world.users["planner"])
    cleared = Client()
    cleared.force_login(world.users["cleared_planner"])
    token = world.open["feed"].token  # the uncleared planner's feed
    cleared_feed = CalendarFeed.objects.create(
        user=world.users["cleared_planner"], token=CalendarFeed.new_token()
    )

    before, cleared_before = _take(planner, world, token), _take(cleared, world, cleared_feed.token)
    _more_covert_work(world)
    after, cleared_after = _take(planner, world, token), _take(cleared, world, cleared_feed.token)

    changed = [name for name in before if before[name] != after[name]]
    assert changed == []
    # The same additions do show, to the cleared planner: the comparison above is not idle.
    assert (
        cleared_before["themes:milestone-list?_export=csv"]
        != (cleared_after["themes:milestone-list?_export=csv"])
    )
    assert cleared_before["calendar feed"] != cleared_after["calendar feed"]


def test_a_report_block_of_the_covert_theme_is_never_shown_to_the_uncleared(world):
    """A report embedding covert milestones is itself restricted (404); a programme summary
    block computed for an uncleared reader leaves the covert theme out."""
    planner = Client()
    planner.force_login(world.users["planner"])
    covert = world.covert["report"]
    for name in ("reports:report-detail", "reports:report-preview", "reports:report-pdf"):
        assert planner.get(reverse(name, args=[covert.pk])).status_code == 404
    from reports import services

    draft = world.open["draft_report"]
    services.block_add(draft, user=world.users["planner"], kind="programme-summary")
    page = planner.get(reverse("reports:report-preview", args=[draft.pk])).text
    assert "Investigations – Overt" in page
    assert "Covert" not in page and SECRET not in page


# --- Spreadsheet formulae -----------------------------------------------------------------------

FORMULAE = ('=HYPERLINK("http://x","y")', "+1+cmd|' /C calc'!A0", "-2+3", "@SUM(1+1)")
TRIGGERS = ("=", "+", "-", "@", "\t", "\r")


def _plant_formulae(world):
    """Free text starting like a formula in every record an export lists, and in the names of
    reference data that exports use as columns (sources) or rows (boroughs)."""
    from dps.models import Borough
    from pssp.models import Source

    formulae = iter(FORMULAE * 100)
    records = [record for record in world.open.values() if isinstance(record, models.Model)]
    records += [world.covert[key] for key in ("milestone", "risk", "outcome")]
    # Fresh copies: the module's world objects stay as they are in the database.
    records = [type(record)._default_manager.get(pk=record.pk) for record in records]
    records += list(Source.objects.all()[:2]) + list(Borough.objects.filter(name="Camden"))
    for record in records:
        for field in record._meta.concrete_fields:
            if (
                isinstance(field, models.CharField | models.TextField)
                and not field.choices
                and field.name not in ("code", "token", "pdf_sha256", "task_id", "document_kind")
                and (field.max_length or 100) >= 40
            ):
                setattr(record, field.name, next(formulae))
        record.save()


def _cells(response):
    if response["Content-Type"].startswith("application/vnd.openxml"):
        sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
        cells = [cell for line in sheet.iter_rows() for cell in line]
        # A cell stored as a formula is reported as its text, which starts with "=".
        return [
            f"={cell.value}"
            if cell.data_type == "f" and not str(cell.value).startswith("=")
            else cell.value
            for cell in cells
            if isinstance(cell.value, str)
        ]
    return [cell for line in csv.reader(io.StringIO(body_text(response))) for cell in line]


def _number(text):
    return re.fullmatch(r"-?\d+(\.\d+)?", text) is not None


def test_no_export_hands_a_spreadsheet_a_formula(world):
    _plant_formulae(world)
    client = Client()
    client.force_login(world.users["cleared_planner"])
    unsafe = {}
    for export_id in EXPORTS:
        if "_export=" not in export_id:
            continue
        response = client.get(_url(world, export_id))
        assert response.status_code == 200, export_id
        cells = _cells(response)
        bad = [cell for cell in cells if cell.startswith(TRIGGERS) and not _number(cell)]
        if bad:
            unsafe[export_id] = bad[:3]
    assert unsafe == {}
    # The planted text did reach the exports, neutralised.
    milestones = _cells(client.get(_url(world, "themes:milestone-list?_export=csv")))
    assert any(cell.startswith("'=") or cell.startswith("'+") for cell in milestones)


def test_a_planner_is_allowed_every_export_here():
    """(So the formula check above reads every export as someone who may take it.)"""
    for export_id in EXPORTS:
        if "_export=" in export_id:
            assert _expected(export_id)[CLEARED] == 200, export_id
    assert _expected("themes:milestone-list?_export=csv")[PLANNER] == 200
    assert _expected("themes:milestone-list?_export=csv")[ANON] == LOGIN
