"""Dependency links as they stood on a past date (themes/asat.py `dependencies_as_at`), rebuilt
from each milestone's versions, not from today's links: on the past dashboard and in the
baseline comparison."""

import csv
import datetime
import importlib
import io

import pytest
from django.apps import apps
from django.urls import reverse

from tests.themes.factories import MilestoneFactory, deliverable_in
from tests.themes.history import dated
from themes.asat import compare_programme, dashboard_as_at, dependencies_as_at, programme_as_at
from themes.models import Milestone, Theme
from themes.services import milestone_update, theme_tolerances_update

pytestmark = pytest.mark.django_db

AGREED = datetime.date(2007, 9, 3)
LINKED = datetime.date(2008, 2, 1)
UNLINKED = datetime.date(2008, 3, 3)


def _relink(planner, milestone, prerequisites, on):
    milestone.refresh_from_db()
    with dated(on, Milestone):
        milestone_update(
            milestone_id=milestone.pk,
            user=planner,
            version=milestone.version,
            depends_on=prerequisites,
        )


@pytest.fixture
def plan(planner):
    """Training (forecast 1 December 2008) is a prerequisite of Go-live (forecast 1 September
    2008, so linked, Go-live is forecast before what it depends on) from 1 February 2008, and of
    Briefing (also 1 September) until 3 March 2008, when that link was removed."""
    taylor = deliverable_in("taylor")
    with dated(AGREED, Milestone):
        training = MilestoneFactory(
            deliverable=taylor, title="Training", forecast_date=datetime.date(2008, 12, 1)
        )
        go_live = MilestoneFactory(
            deliverable=taylor, title="Go-live", forecast_date=datetime.date(2008, 9, 1)
        )
        briefing = MilestoneFactory(
            deliverable=taylor, title="Briefing", forecast_date=datetime.date(2008, 9, 1)
        )
        briefing.depends_on.add(training)
    _relink(planner, go_live, [training], LINKED)
    _relink(planner, briefing, [], UNLINKED)
    return {"training": training, "go_live": go_live, "briefing": briefing}


def _titles(pairs, plan):
    title = {m.pk: m.title for m in plan.values()}
    return [(title[from_id], title[to_id]) for from_id, to_id in pairs]


def _links_on(user, date, plan):
    ids = {m.pk for m in programme_as_at(user, date).milestones}
    return _titles(dependencies_as_at(date, ids), plan)


def test_a_link_added_after_the_date_is_absent_then(planner, plan):
    assert ("Go-live", "Training") not in _links_on(planner, LINKED - datetime.timedelta(1), plan)
    assert ("Go-live", "Training") in _links_on(planner, LINKED, plan)


def test_a_link_removed_after_the_date_is_present_then(planner, plan):
    assert not plan["briefing"].depends_on.exists()  # gone today
    assert ("Briefing", "Training") in _links_on(planner, UNLINKED - datetime.timedelta(1), plan)
    assert ("Briefing", "Training") not in _links_on(planner, UNLINKED, plan)


def test_each_date_has_its_own_links(planner, plan):
    assert _links_on(planner, AGREED - datetime.timedelta(1), plan) == []  # none agreed yet
    assert _links_on(planner, AGREED, plan) == [("Briefing", "Training")]
    assert sorted(_links_on(planner, LINKED, plan)) == [
        ("Briefing", "Training"),
        ("Go-live", "Training"),
    ]
    assert _links_on(planner, UNLINKED, plan) == [("Go-live", "Training")]


def test_only_links_between_the_milestones_named_are_returned(planner, plan):
    only = {plan["go_live"].pk}
    assert dependencies_as_at(LINKED, only) == []
    assert dependencies_as_at(LINKED, set()) == []


def _warnings(user, as_at):
    figures = dashboard_as_at(user, as_at=as_at, slipped_since=as_at - datetime.timedelta(30))
    return [
        (link.from_milestone.title, link.to_milestone.title)
        for link in figures["dependency_warnings"]["rows"]
    ]


def test_the_past_dashboard_warns_of_the_links_then(client_as, planner, plan):
    assert _warnings(planner, datetime.date(2008, 1, 15)) == [("Briefing", "Training")]
    assert sorted(_warnings(planner, datetime.date(2008, 2, 15))) == [
        ("Briefing", "Training"),
        ("Go-live", "Training"),
    ]
    assert _warnings(planner, datetime.date(2008, 4, 1)) == [("Go-live", "Training")]
    page = client_as(planner).get(reverse("themes:dashboard"), {"as_at": "2008-01-15"})
    assert page.context["dependency_warnings"]["count"] == 1
    assert "Briefing" in page.text


def test_a_restricted_milestone_never_appears_for_the_uncleared(
    planner, cleared_planner, plan, client_as
):
    """An overt milestone linked, in January 2008, to a covert prerequisite (the link removed
    since): the cleared see the warning then, the uncleared neither the link nor the title."""
    with dated(AGREED, Milestone):
        covert = MilestoneFactory(
            deliverable=deliverable_in("covert"),
            title="Covert cut-over",
            forecast_date=datetime.date(2008, 12, 1),
        )
        overt = MilestoneFactory(
            deliverable=deliverable_in("overt"),
            title="Overt restructure",
            forecast_date=datetime.date(2008, 6, 1),
        )
    with dated(datetime.date(2008, 1, 2), Milestone):
        overt.depends_on.add(covert)
    with dated(datetime.date(2008, 6, 2), Milestone):
        overt.depends_on.remove(covert)
    on = datetime.date(2008, 3, 1)
    assert ("Overt restructure", "Covert cut-over") in _warnings(cleared_planner, on)
    assert ("Overt restructure", "Covert cut-over") not in _warnings(planner, on)
    ids = {m.pk for m in programme_as_at(planner, on).milestones}
    assert (overt.pk, covert.pk) not in dependencies_as_at(on, ids)
    page = client_as(planner).get(reverse("themes:dashboard"), {"as_at": on.isoformat()})
    assert "Covert" not in page.text
    # Not in the comparison either, where the cleared see the link removed.
    hidden = compare_programme(planner, on, datetime.date(2008, 7, 1))
    assert "Covert" not in str(hidden)
    seen = compare_programme(cleared_planner, on, datetime.date(2008, 7, 1))
    assert [
        (r["title"], r["prerequisite"], r["prerequisite_theme"])
        for r in seen["dependencies_removed"]
        if r["theme"] == "overt"
    ] == [("Overt restructure", "Covert cut-over", "covert")]
    assert seen["restricted"]


def test_the_comparison_lists_links_added_and_removed(planner, plan, client_as):
    comparison = compare_programme(planner, datetime.date(2008, 1, 15), datetime.date(2008, 4, 1))
    assert [(r["title"], r["prerequisite"]) for r in comparison["dependencies_added"]] == [
        ("Go-live", "Training")
    ]
    assert [(r["title"], r["prerequisite"]) for r in comparison["dependencies_removed"]] == [
        ("Briefing", "Training")
    ]
    assert not comparison["restricted"]
    url = reverse("themes:compare")
    query = {"from": "2008-01-15", "to": "2008-04-01"}
    page = client_as(planner).get(url, query)
    text = " ".join(page.content.decode().split())
    assert "Dependencies added" in text and "Dependencies removed" in text
    download = client_as(planner).get(url, {**query, "_export": "csv"})
    rows = list(csv.DictReader(io.StringIO(download.content.decode())))
    assert [
        (r["change"], r["record"], r["from"], r["to"])
        for r in rows
        if r["change"].startswith("dependency")
    ] == [
        ("dependency added", "Go-live", "", "Training"),
        ("dependency removed", "Briefing", "Training", ""),
    ]


def test_the_theme_page_as_at_warns_of_the_links_then(client_as, planner, cleared_planner):
    """Today's theme page warns of a milestone forecast before its prerequisite; the page as at
    a date does so by the links and dates then, with a prerequisite in another theme read as it
    stood too, and one in a restricted theme left out for the uncleared."""

    def milestone(code, title, forecast):
        return MilestoneFactory(
            deliverable=deliverable_in(code), title=title, forecast_date=forecast
        )

    with dated(AGREED, Milestone):
        briefing = milestone("taylor", "Briefing", datetime.date(2008, 9, 1))
        training = milestone("taylor", "Training", datetime.date(2008, 12, 1))
        pssp = milestone("pssp", "Presentations reviewed", datetime.date(2008, 10, 1))
        covert = milestone("covert", "Covert cut-over", datetime.date(2008, 12, 1))
        briefing.depends_on.add(training, pssp, covert)
    _relink(cleared_planner, briefing, [training], UNLINKED)  # the other two links removed
    url = reverse("themes:theme-detail", args=["taylor"])

    def warnings(user, on):
        page = client_as(user).get(url, {"as_at": on})
        return [(m.title, p.title) for m, p in page.context["warnings"]], page.text

    january, text = warnings(planner, "2008-01-15")
    assert sorted(january) == [("Briefing", "Presentations reviewed"), ("Briefing", "Training")]
    assert "Covert" not in text and "before “Training” which it depended on" in text
    assert ("Briefing", "Covert cut-over") in warnings(cleared_planner, "2008-01-15")[0]
    assert warnings(cleared_planner, "2008-04-01")[0] == [("Briefing", "Training")]


def test_a_tolerance_change_since_keeps_the_links(planner, plan):
    """A tolerance change re-saves the RAG of the theme's milestones in bulk: the versions it
    writes keep their links (bulk writes bypass simple-history's copying of them)."""
    taylor = Theme.objects.get(code="taylor")
    with dated(datetime.date(2008, 4, 1), Theme, Milestone):
        changed = theme_tolerances_update(
            theme=taylor,
            time_tolerance_days=365,
            cost_tolerance_percent=taylor.cost_tolerance_percent,
            scope_tolerance=taylor.scope_tolerance,
        )
    assert changed  # Go-live's RAG moved with the tolerance: a new version of it
    assert _links_on(planner, datetime.date(2008, 4, 2), plan) == [("Go-live", "Training")]


copy_links = importlib.import_module(
    "themes.migrations.0006_links_in_tolerance_versions"
).copy_links_into_tolerance_versions


def test_the_migration_gives_old_tolerance_versions_their_links(planner, plan):
    """Tolerance versions written before they recorded links (their link rows removed here, as
    they were then) get those of the version before; other versions are left as they are."""
    taylor = Theme.objects.get(code="taylor")
    with dated(datetime.date(2008, 4, 1), Theme, Milestone):
        theme_tolerances_update(
            theme=taylor,
            time_tolerance_days=365,
            cost_tolerance_percent=taylor.cost_tolerance_percent,
            scope_tolerance=taylor.scope_tolerance,
        )
    links = Milestone.history.model.depends_on.model
    by_tolerance = Milestone.history.filter(history_change_reason="Tolerance changed")
    assert by_tolerance.filter(id=plan["go_live"].pk).exists()
    links.objects.filter(history_id__in=by_tolerance.values("history_id")).delete()
    on = datetime.date(2008, 4, 2)
    assert _links_on(planner, on, plan) == []  # as the tolerance change left it
    assert copy_links(apps, None) == 1
    assert _links_on(planner, on, plan) == [("Go-live", "Training")]
    # Briefing's link, removed in March by a page edit, is not put back; a second run adds none.
    assert ("Briefing", "Training") not in _links_on(planner, on, plan)
    assert copy_links(apps, None) == 0
