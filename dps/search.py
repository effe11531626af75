"""One search over the whole service: each app registers what it can be searched for.

An app describes each kind of record once, in `<app>/search.py`, called from its
`AppConfig.ready()`: the model, the text fields searched (the first is the title and weighs
most), how a hit is titled and linked, and the path to its theme if it has one. `dps` imports no
app, so the registry is filled from outside and read here.

Every kind is read through `Model.objects.visible_to(user)`: a hit is a row the reader could open,
so nothing of a restricted theme is found by anyone not cleared for it, by any word.

On PostgreSQL the words are matched with full-text search (English configuration, so "reviews"
finds "review"), ranked with `ts_rank` and shown with `ts_headline`; each kind has a GIN expression
index over the same vector (`AddSearchIndex`, in the apps' migrations). SQLite, for the embedded
demo, matches every word case-insensitively anywhere in the fields.
"""

import re
from collections.abc import Callable
from dataclasses import dataclass, field

from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import SearchHeadline, SearchQuery, SearchRank, SearchVector
from django.core.paginator import Paginator
from django.db import connection, migrations
from django.db.migrations.operations.base import Operation
from django.db.models import Case, F, IntegerField, Q, TextField, Value, When
from django.db.models.functions import Coalesce, Concat, Greatest
from django.urls import reverse
from django.utils.html import escape
from django.utils.safestring import mark_safe

from dps.selectors import capped_count

CONFIG = "english"
# Words a query may use: more adds nothing a person types, and bounds the work per query.
MAX_WORDS = 10
# The characters that open and close a matched word in a headline, chosen because no text a
# person types holds them (dps.forms and dps.params refuse control characters); the headline is
# escaped first and only then are they turned into <mark> elements.
START, STOP = "\x02", "\x03"
HEADLINE_OPTIONS = {
    "max_fragments": 2,
    "max_words": 30,
    "min_words": 12,
    "fragment_delimiter": " … ",
}
WORD = re.compile(r"\w+", re.UNICODE)


@dataclass(frozen=True)
class SearchKind:
    """One kind of record the search finds.

    `fields` are the text fields searched, the title first; `title` and `url` give a hit's
    heading and link; `theme_path` is the lookup from the model to its theme (None: the kind
    belongs to no theme and is left out when results are filtered by theme).
    """

    key: str
    label: str
    model: type
    fields: tuple
    title: Callable
    url: Callable
    order: int
    theme_path: str | None = None
    related: tuple = field(default=())
    # A stored tsvector column kept by a trigger (PostgreSQL), for a kind too large to rank by
    # re-reading its text: it is matched and ranked instead of the expression over `fields`.
    vector_field: str | None = None

    @property
    def index_name(self):
        return f"{self.model._meta.db_table[:40]}_search"


_kinds = {}
_theme_choices = []


def register(kind):
    """Called by each app's `search.py` from its `AppConfig.ready()`."""
    _kinds[kind.key] = kind


def register_theme_choices(provider):
    """`provider(user)` gives the (code, name) pairs of the themes this user may filter by; the
    themes app supplies it, as `dps` cannot read themes itself."""
    _theme_choices[:] = [provider]


def kinds():
    return sorted(_kinds.values(), key=lambda kind: kind.order)


def kind_choices():
    return [(kind.key, kind.label) for kind in kinds()]


def theme_choices(user):
    return list(_theme_choices[0](user)) if _theme_choices else []


def query_words(text):
    """The words of a query as the fallback matches them (and the highlighter marks them)."""
    words = []
    for word in WORD.findall(text.lower()):
        if word not in words:
            words.append(word)
    return words[:MAX_WORDS]


def uses_full_text():
    return connection.vendor == "postgresql"


# --- finding ------------------------------------------------------------------------------------


def search_vector(fields):
    """The one expression both the GIN index and the query use: they must be identical, or
    PostgreSQL cannot use the index."""
    return SearchVector(*fields, config=CONFIG)


def _ranked_vector(fields):
    # The title weighs most. Computed only for rows already matched through the index.
    vector = SearchVector(fields[0], config=CONFIG, weight="A")
    if len(fields) > 1:
        vector = vector + SearchVector(*fields[1:], config=CONFIG, weight="B")
    return vector


def matches(kind, user, text, *, theme=None):
    """The rows of `kind` this user may read that match `text`, best first, each annotated with
    `search_rank`. Empty for a query without words."""
    return ranked(kind, found(kind, user, text, theme=theme), text)


def found(kind, user, text, *, theme=None):
    """The rows of `kind` this user may read that match every word of `text`, in no order."""
    rows = kind.model.objects.visible_to(user)
    if theme is not None:
        if kind.theme_path is None:
            return rows.none()
        rows = rows.filter(**{f"{kind.theme_path}__code": theme})
    words = query_words(text)
    if not words:
        return rows.none()
    if uses_full_text():
        query = _query(words)
        if kind.vector_field:
            return rows.filter(**{kind.vector_field: query})
        # alias, not annotate: matched through the index, never selected (nor computed again).
        return rows.alias(search_document=search_vector(kind.fields)).filter(search_document=query)
    every_word = Q()
    for word in words:
        any_field = Q()
        for name in kind.fields:
            any_field |= Q(**{f"{name}__icontains": word})
        every_word &= any_field
    return rows.filter(every_word)


def ranked(kind, rows, text):
    """`rows` best first, each with `search_rank`."""
    words = query_words(text)
    if not words:
        return rows
    if uses_full_text():
        query = _query(words)
        vector = F(kind.vector_field) if kind.vector_field else _ranked_vector(kind.fields)
        return rows.annotate(search_rank=SearchRank(vector, query)).order_by("-search_rank", "-pk")
    # A word in the title ranks above a word only in the text.
    in_title = [
        Case(When(**{f"{kind.fields[0]}__icontains": word}, then=Value(1)), default=Value(0))
        for word in words
    ]
    rank = Greatest(*in_title, output_field=IntegerField()) if len(in_title) > 1 else in_title[0]
    return rows.annotate(search_rank=rank).order_by("-search_rank", "-pk")


def _query(words):
    return SearchQuery(" ".join(words), config=CONFIG, search_type="websearch")


def with_headlines(kind, hits, text):
    """`hits` (a page of rows) each given `search_headline`: the best passage of its text with
    the matched words marked, as safe HTML built by `mark`."""
    hits = list(hits)
    if not hits:
        return hits
    words = query_words(text)
    if uses_full_text():
        query = SearchQuery(" ".join(words), config=CONFIG, search_type="websearch")
        document = Concat(
            *[
                part
                for name in kind.fields
                for part in (
                    Coalesce(name, Value(""), output_field=TextField()),
                    Value(" \n "),
                )
            ],
            output_field=TextField(),
        )
        headlines = dict(
            kind.model.objects.every_row("only the page's rows, already read through visible_to")
            .filter(pk__in=[hit.pk for hit in hits])
            .annotate(
                headline=SearchHeadline(
                    document,
                    query,
                    config=CONFIG,
                    start_sel=START,
                    stop_sel=STOP,
                    **HEADLINE_OPTIONS,
                )
            )
            .values_list("pk", "headline")
        )
        for hit in hits:
            hit.search_headline = mark(headlines.get(hit.pk) or "")
        return hits
    for hit in hits:
        hit.search_headline = mark(passage(hit, kind.fields, words))
    return hits


def passage(row, fields, words, *, width=160):
    """The fallback's headline: the first field holding a word, cut round it, words marked."""
    texts = [str(getattr(row, name) or "") for name in fields]
    pattern = re.compile("|".join(re.escape(word) for word in words), re.IGNORECASE)
    for text in texts:
        found = pattern.search(text) if words else None
        if found:
            start = max(0, found.start() - width // 3)
            cut = highlight(text[start : start + width], words)
            return ("… " if start else "") + cut + (" …" if start + width < len(text) else "")
    return texts[0][:width]


def mark(headline):
    """Escape the whole text first, then turn the markers round matched words into <mark>:
    what a person wrote is never trusted as HTML."""
    parts = []
    for index, piece in enumerate(re.split(f"[{START}{STOP}]", headline)):
        inside = index % 2 == 1
        parts.append(f"<mark>{escape(piece)}</mark>" if inside and piece else escape(piece))
    return mark_safe("".join(parts))  # noqa: S308 - every piece above is escaped


# --- the results page ---------------------------------------------------------------------------

PER_PAGE = 10
RANK_LIMIT = 5_000


@dataclass
class ResultGroup:
    """The hits of one kind: a page of them (Django's Page), each with `search_title`,
    `search_url` and `search_headline`."""

    kind: SearchKind
    page: object
    more: bool = False  # more hits than RANK_LIMIT: counted that far, listed newest first

    @property
    def count(self):
        return self.page.paginator.count

    @property
    def page_parameter(self):
        return page_parameter(self.kind)


def page_parameter(kind):
    return f"{kind.key}-page"


def results(user, text, *, kind=None, theme=None, page_of=lambda kind: 1):
    """What `text` finds for this user, one group per kind that has hits, in the kinds' order.
    `kind` and `theme` (a theme code) narrow it; `page_of(kind)` is the page wanted of each.

    Up to RANK_LIMIT hits of a kind are ranked; a word so common that a kind has more (a
    presenter's name in every fourth session) lists them newest first instead, and the count
    stops at RANK_LIMIT ("more than 5,000"), so no query reads a whole table to rank or count it.
    """
    groups = []
    words = query_words(text)
    for each in kinds():
        if kind is not None and each.key != kind:
            continue
        rows = found(each, user, text, theme=theme)
        if not words or rows.query.is_empty():
            continue
        how_many, too_many = capped_count(rows, RANK_LIMIT)
        if not how_many:
            continue
        ordered = rows.order_by("-pk") if too_many else ranked(each, rows, text)
        if each.related:
            ordered = ordered.select_related(*each.related)  # for the page only, not the count
        paginator = Paginator(ordered, PER_PAGE)
        paginator.count = how_many  # counted above, and no further
        page = paginator.get_page(page_of(each))
        hits = with_headlines(each, page.object_list, text)
        for hit in hits:
            hit.search_title = mark(highlight(each.title(hit), words))
            hit.search_url = each.url(hit)
        page.object_list = hits
        groups.append(ResultGroup(kind=each, page=page, more=too_many))
    return groups


def highlight(text, words):
    """`text` with the query's words (and words they begin) between the markers, for `mark`."""
    if not words:
        return text
    pattern = re.compile(r"\b(?:" + "|".join(re.escape(word) for word in words) + r")\w*", re.I)
    return pattern.sub(lambda match: f"{START}{match.group(0)}{STOP}", text)


# --- the index, created by each app's migration ------------------------------------------------


class AddSearchIndex(Operation):
    """A GIN index over the search vector of a model's fields, on PostgreSQL only.

    It is not part of the model's state (SQLite has no GIN index and no `to_tsvector`, and the
    embedded demo must migrate), so `makemigrations` never sees it; the query's vector is built
    by `search_vector` from the same fields, which is what lets PostgreSQL use it.
    """

    reversible = True

    def __init__(self, model_name, fields, name):
        self.model_name = model_name
        self.fields = tuple(fields)
        self.name = name

    def deconstruct(self):
        return (
            self.__class__.__qualname__,
            [],
            {"model_name": self.model_name, "fields": self.fields, "name": self.name},
        )

    def state_forwards(self, app_label, state):
        pass

    def _index(self):
        return GinIndex(search_vector(self.fields), name=self.name)

    def database_forwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor == "postgresql":
            model = to_state.apps.get_model(app_label, self.model_name)
            schema_editor.add_index(model, self._index())

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor == "postgresql":
            model = from_state.apps.get_model(app_label, self.model_name)
            schema_editor.remove_index(model, self._index())

    def describe(self):
        return f"Create the search index {self.name} on {self.model_name} (PostgreSQL only)"

    @property
    def migration_name_fragment(self):
        return f"{self.model_name.lower()}_search_index"


class RunSQLOnPostgres(migrations.RunSQL):
    """SQL only PostgreSQL has (a tsvector trigger, a GIN index); nothing on SQLite."""

    def database_forwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor == "postgresql":
            super().database_forwards(app_label, schema_editor, from_state, to_state)

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor == "postgresql":
            super().database_backwards(app_label, schema_editor, from_state, to_state)


def vector_trigger_sql(table, column, fields, name):
    """Forward and backward SQL: a trigger keeping `column` the English tsvector of `fields`,
    the existing rows filled in, and a GIN index over it."""

    def document(prefix=""):
        return " || ' ' || ".join(f"coalesce({prefix}{field}, '')" for field in fields)

    # Names from a migration only, never input.
    forward = f"""
        CREATE FUNCTION {name}_update() RETURNS trigger AS $$
        BEGIN
            NEW.{column} := to_tsvector('{CONFIG}', {document("NEW.")});
            RETURN NEW;
        END $$ LANGUAGE plpgsql;
        CREATE TRIGGER {name}_update BEFORE INSERT OR UPDATE OF {", ".join(fields)}
            ON {table} FOR EACH ROW EXECUTE FUNCTION {name}_update();
        UPDATE {table} SET {column} = to_tsvector('{CONFIG}', {document()});
        CREATE INDEX {name} ON {table} USING gin ({column});
    """  # noqa: S608
    backward = f"""
        DROP INDEX IF EXISTS {name};
        DROP TRIGGER IF EXISTS {name}_update ON {table};
        DROP FUNCTION IF EXISTS {name}_update();
    """
    return forward, backward


# --- the kinds `dps` itself holds ---------------------------------------------------------------


def register_kinds():
    from dps.models import Borough  # the registry is imported by migrations, before any model

    register(
        SearchKind(
            key="boroughs",
            label="Boroughs and units",
            model=Borough,
            fields=("name", "gss_code", "family_group"),
            title=str,
            url=lambda row: reverse("pssp:borough-detail", args=[row.pk]),
            order=80,
        )
    )
