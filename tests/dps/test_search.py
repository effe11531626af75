"""The one search (dps/search.py, /search/): every kind, ranked, highlighted, filtered, paginated,
and never a word of the restricted theme to anyone not cleared. Runs on SQLite (the fallback) and
on PostgreSQL (full-text search with GIN indexes)."""

import re

import pytest
from django.core.management import call_command
from django.db import connection
from django.urls import reverse

from dps import search
from dps.models import Borough
from pssp.models import Outcome
from tests.factories import DeliveryFactory, theme
from tests.pssp.factories import EventFactory, OutcomeFactory
from tests.reports.factories import ReportFactory, publish
from tests.themes.factories import MilestoneFactory, RiskFactory, deliverable_in
from themes.models import Decision, DecisionAction, Deliverable, Issue, Milestone, Risk, Theme

pytestmark = pytest.mark.django_db

on_postgresql = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="full-text search is PostgreSQL's"
)


def found(user, text, **filters):
    """{kind key: [titles of the hits]} for this user."""
    return {
        group.kind.key: [str(hit) for hit in group.page.object_list]
        for group in search.results(user, text, **filters)
    }


# --- the registry -------------------------------------------------------------------------------


def test_every_kind_of_the_issue_is_registered_in_order():
    assert [kind.key for kind in search.kinds()] == [
        "milestones",
        "deliverables",
        "risks",
        "issues",
        "decisions",
        "actions",
        "sessions",
        "boroughs",
        "reports",
        "events",
        "outcomes",
    ]


# --- finding ------------------------------------------------------------------------------------


def test_it_finds_each_kind_by_a_word_of_its_text(planner, django_capture_on_commit_callbacks):
    MilestoneFactory(deliverable=deliverable_in("taylor"), title="Kestrel milestone")
    deliverable_in("taylor", title="Kestrel deliverable")
    RiskFactory(title="Staffing", cause="The kestrel team is small")
    DeliveryFactory(notes="Kestrel briefing went well")
    EventFactory(title="Kestrel seminar")
    OutcomeFactory(title="Kestrel outcome")
    with django_capture_on_commit_callbacks(execute=True):
        ReportFactory(title="Kestrel paper", created_by=planner)
    assert found(planner, "kestrel") == {
        "milestones": ["Kestrel milestone"],
        "deliverables": ["Kestrel deliverable"],
        "risks": ["Staffing"],
        "sessions": [str(DeliveryFactory._meta.model.objects.every_row("test").get())],
        "reports": [
            f"Report {ReportFactory._meta.model.objects.every_row('t').get().number}: Kestrel paper"
        ],
        "events": ["Kestrel seminar"],
        "outcomes": ["Kestrel outcome"],
    }


def test_every_word_must_match(planner):
    MilestoneFactory(title="Kestrel training plan")
    MilestoneFactory(title="Kestrel vetting plan")
    assert found(planner, "kestrel training") == {"milestones": ["Kestrel training plan"]}
    assert found(planner, "KESTREL") == {
        "milestones": ["Kestrel vetting plan", "Kestrel training plan"]
    }


def test_a_word_in_the_title_ranks_above_a_word_in_the_text(planner):
    MilestoneFactory(title="Staff vetting", description="Includes the kestrel checks")
    MilestoneFactory(title="Kestrel checks")
    assert found(planner, "kestrel") == {"milestones": ["Kestrel checks", "Staff vetting"]}


def test_boroughs_are_found_by_name(staff_user):
    assert found(staff_user, "camden") == {"boroughs": ["Camden"]}


@on_postgresql
def test_english_stemming_finds_other_forms_of_a_word(planner):
    MilestoneFactory(title="Reviewing the vetting of recruits")
    assert found(planner, "reviews recruit") == {
        "milestones": ["Reviewing the vetting of recruits"]
    }


@on_postgresql
def test_the_query_uses_the_gin_index(planner):
    kind = next(kind for kind in search.kinds() if kind.key == "sessions")
    rows = search.matches(kind, planner, "kestrel briefing")
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        plan = rows.explain()
    assert "delivery_search" in plan


# --- highlighting -------------------------------------------------------------------------------


def test_matched_words_are_marked_and_everything_else_escaped(planner):
    MilestoneFactory(
        title="<script>alert(1)</script> kestrel",
        description="Before <b>the</b> kestrel & after",
    )
    (group,) = search.results(planner, "kestrel")
    (hit,) = group.page.object_list
    assert str(hit.search_title) == ("&lt;script&gt;alert(1)&lt;/script&gt; <mark>kestrel</mark>")
    assert "<mark>kestrel</mark>" in hit.search_headline
    assert "<b>" not in hit.search_headline and "<script>" not in hit.search_headline


def test_mark_escapes_before_marking():
    assert search.mark("a <i> \x02b&c\x03 d") == "a &lt;i&gt; <mark>b&amp;c</mark> d"


def test_the_results_page_highlights_and_escapes(client_as, planner):
    milestone = MilestoneFactory(title="<img src=x onerror=alert(1)> kestrel")
    response = client_as(planner).get(reverse("search"), {"q": "kestrel"})
    assert response.status_code == 200, (response.status_code, response.get("Location"))
    page = response.content.decode()
    assert "<img src=x" not in page
    assert "<mark>kestrel</mark>" in page
    assert reverse("themes:milestone-detail", args=[milestone.pk]) in page


# --- filters and pages --------------------------------------------------------------------------


def test_filter_by_kind(planner):
    MilestoneFactory(title="Kestrel milestone")
    RiskFactory(title="Kestrel risk")
    assert found(planner, "kestrel", kind="risks") == {"risks": ["Kestrel risk"]}


def test_filter_by_theme_leaves_out_kinds_of_no_theme(planner):
    MilestoneFactory(deliverable=deliverable_in("taylor"), title="Kestrel taylor")
    MilestoneFactory(deliverable=deliverable_in("pssp"), title="Kestrel pssp")
    EventFactory(title="Kestrel seminar")
    assert found(planner, "kestrel", theme="pssp") == {"milestones": ["Kestrel pssp"]}


def test_the_page_filters_by_kind_and_theme(client_as, planner):
    MilestoneFactory(deliverable=deliverable_in("pssp"), title="Kestrel pssp")
    RiskFactory(theme=theme("taylor"), title="Kestrel risk")
    client = client_as(planner)
    response = client.get(reverse("search"), {"q": "kestrel", "theme": "pssp"})
    assert [group.kind.key for group in response.context["groups"]] == ["milestones"]
    response = client.get(reverse("search"), {"q": "kestrel", "kind": "risks"})
    assert [group.kind.key for group in response.context["groups"]] == ["risks"]


def test_each_kind_is_paginated_on_its_own(client_as, planner):
    for number in range(12):
        MilestoneFactory(title=f"Kestrel milestone {number:02}")
    RiskFactory(title="Kestrel risk")
    client = client_as(planner)
    first = client.get(reverse("search"), {"q": "kestrel"})
    milestones, risks = first.context["groups"]
    assert milestones.count == 12 and len(milestones.page.object_list) == 10
    assert "milestones-page=2" in milestones.next_url
    second = client.get(reverse("search"), {"q": "kestrel", "milestones-page": "2"})
    milestones, risks = second.context["groups"]
    assert len(milestones.page.object_list) == 2 and len(risks.page.object_list) == 1
    far = client.get(reverse("search"), {"q": "kestrel", "milestones-page": "99999"})
    assert far.context["groups"][0].page.number == 2


def test_the_page_reads_a_bounded_number_of_queries(
    client_as, cleared_planner, django_assert_max_num_queries
):
    MilestoneFactory(title="Kestrel milestone")
    RiskFactory(title="Kestrel risk")
    DeliveryFactory(notes="Kestrel")
    client = client_as(cleared_planner)
    # Per kind at most a count, a page and its headlines; plus the session, user, themes.
    with django_assert_max_num_queries(3 * len(search.kinds()) + 8):
        assert client.get(reverse("search"), {"q": "kestrel"}).status_code == 200


# --- hostile input ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("query", "status"),
    [
        ({"q": "a\x00b"}, 400),
        ({"q": "x" * 100_000}, 400),
        ({"q": "a & | !"}, 200),
        ({"q": "!!(( :* <-> & |"}, 200),
        ({"q": "' OR 1=1 --"}, 200),
        ({"q": '"unclosed'}, 200),
        ({"q": "-"}, 200),
        ({"q": "kestrel", "kind": "nothing-such"}, 400),
        ({"q": "kestrel", "theme": "x" * 300}, 400),
        ({"q": "kestrel", "milestones-page": "-1"}, 400),
        ({"q": "kestrel", "milestones-page": "99999999999999"}, 400),
        ({"q": "kestrel", "milestones-page": "²"}, 400),
        ({"q": "ok", "q2": "\x00"}, 200),
    ],
)
def test_hostile_queries_never_fail(client_as, planner, query, status):
    MilestoneFactory(title="Kestrel milestone")
    assert client_as(planner).get(reverse("search"), query).status_code == status


def test_an_empty_query_finds_nothing(client_as, planner):
    response = client_as(planner).get(reverse("search"))
    assert response.status_code == 200 and response.context["groups"] == []


def test_the_header_box_sends_words_to_the_results_page(client_as, planner):
    page = client_as(planner).get(reverse("home")).content.decode()
    assert f'action="{reverse("search")}"' in page and 'name="q"' in page


# --- the restricted theme -----------------------------------------------------------------------


@pytest.fixture
def demo(settings):
    settings.DEBUG = True
    call_command("load_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115 - closed at exit


def restricted_texts():
    """Every title, name, code and description of the demo's restricted theme and its records."""
    texts = set()
    for covert in Theme.objects.every_row("the test lists them").filter(restricted=True):
        texts |= {covert.name, covert.code, covert.description}
    sources = (
        (Deliverable, "theme", ("title", "description")),
        (Milestone, "deliverable__theme", ("title", "description")),
        (Risk, "theme", ("title", "cause", "event", "effect")),
        (Issue, "theme", ("title", "description")),
        (Decision, "theme", ("title", "description")),
        (DecisionAction, "decision__theme", ("description",)),
        (Outcome, "theme", ("title", "evidence")),
    )
    for model, path, fields in sources:
        for row in model.objects.every_row("the test lists them").filter(
            **{f"{path}__restricted": True}
        ):
            texts |= {getattr(row, name) for name in fields}
    return {text for text in texts if text}


def restricted_pks():
    """(kind key, pk) of every record of a restricted theme."""
    hidden = set()
    for kind in search.kinds():
        if kind.theme_path is None:
            continue
        rows = kind.model.objects.every_row("the test lists them").filter(
            **{f"{kind.theme_path}__restricted": True}
        )
        hidden |= {(kind.key, pk) for pk in rows.values_list("pk", flat=True)}
    return hidden


def hits(user, text):
    return {
        (group.kind.key, hit.pk)
        for group in search.results(user, text)
        for hit in group.page.object_list
    }


def test_the_uncleared_find_nothing_restricted_by_any_word(demo, planner, committee_member):
    texts = restricted_texts()
    words = {word for text in texts for word in search.query_words(text)}
    hidden = restricted_pks()
    assert len(texts) >= 10 and len(words) >= 30 and hidden
    for user in (planner, committee_member):
        for query in sorted(texts | words | {"anti-corruption", "covert"}):
            assert not hits(user, query) & hidden, (user, query)


def test_the_cleared_planner_finds_a_covert_milestone_by_a_word_of_its_title(
    demo, client_as, cleared_planner, planner, committee_member
):
    covert = Milestone.objects.every_row("the test picks one").filter(
        deliverable__theme__restricted=True
    )[0]
    word = max(search.query_words(covert.title), key=len)
    link = reverse("themes:milestone-detail", args=[covert.pk])
    page = client_as(cleared_planner).get(reverse("search"), {"q": word}).content.decode()
    assert link in page
    for user in (planner, committee_member):
        response = client_as(user).get(reverse("search"), {"q": covert.title})
        page = response.content.decode()
        assert link not in page
        assert not {(group.kind.key) for group in response.context["groups"]} & {"milestones"}
        # Nothing restricted on the page beyond the words the person typed themselves.
        shown = re.sub(re.escape(covert.title), "", page, flags=re.I)
        assert "anti-corruption" not in shown.lower()


def test_the_uncleared_cannot_filter_by_the_restricted_theme(client_as, planner, demo):
    client = client_as(planner)
    assert client.get(reverse("search"), {"q": "a", "theme": "covert"}).status_code == 400
    response = client.get(reverse("search"), {"q": "covert"})
    assert '<option value="covert"' not in response.content.decode()


def test_a_committee_member_finds_published_reports_only(
    client_as, planner, committee_member, django_capture_on_commit_callbacks, celery_in_process
):
    with django_capture_on_commit_callbacks(execute=True):
        draft = ReportFactory(title="Kestrel draft", created_by=planner)
        published = ReportFactory(title="Kestrel published", created_by=planner)
        publish(published, planner)
    assert found(committee_member, "kestrel") == {"reports": [str(published)]}
    assert str(draft) in found(planner, "kestrel")["reports"]


def test_boroughs_are_reference_data_not_found_by_a_committee_member(committee_member):
    assert Borough.objects.every_row("check").filter(name="Camden").exists()
    assert found(committee_member, "camden") == {}


def test_a_word_in_too_many_records_lists_them_newest_first(client_as, planner, monkeypatch):
    monkeypatch.setattr(search, "RANK_LIMIT", 2)
    oldest, middle, newest = (MilestoneFactory(title=f"Kestrel {n}") for n in range(3))
    (group,) = search.results(planner, "kestrel")
    assert group.more and group.count == 2
    assert [hit.pk for hit in group.page.object_list] == [newest.pk, middle.pk]
    page = client_as(planner).get(reverse("search"), {"q": "kestrel"}).content.decode()
    assert "more than 2 found, newest first" in page
