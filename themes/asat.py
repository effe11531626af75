"""The programme as it stood on any past date, rebuilt from the audit history.

Every record of the programme is kept by django-simple-history: each save writes a historical row
with the record's values and `history_date`. The state on a date is, for each record, its latest
historical row dated on or before the end of that day (deleted records drop out). Re-forecasts
(`MilestoneReforecast.made_at`) and theme status updates (`ThemeStatusUpdate.as_at`) carry their
own dates and are read by those.

Reads go through the visibility layer first: the themes, deliverables, milestones, risks, issues
and decisions this user may see today (`visible_to(user)`) bound which histories are read at all,
so a restricted theme is absent for the uncleared at every date, exactly as it is today.

One query per history table: the latest row per record is chosen in the database (`DISTINCT ON`
on PostgreSQL, a `ROW_NUMBER()` window elsewhere), never by loading every version.

The milestone RAG then is recomputed by the one rule (`themes/rag.py`) from the dates then and the
time tolerance then, so it is the RAG a page would have shown on that day.
"""

import datetime
from dataclasses import dataclass, field
from decimal import Decimal
from operator import attrgetter

from django.apps import apps
from django.contrib.auth import get_user_model
from django.db import connection
from django.db.models import (
    Case,
    DateTimeField,
    F,
    IntegerField,
    OuterRef,
    Q,
    Subquery,
    Value,
    When,
    Window,
)
from django.db.models.functions import RowNumber
from django.utils import timezone

from dps.visibility import read_permission
from themes.choices import RAG_ORDER, ActionStatus, IssueStatus, MilestoneStatus, Rag, RiskStatus
from themes.models import (
    Decision,
    DecisionAction,
    Deliverable,
    Issue,
    Milestone,
    MilestoneReforecast,
    Programme,
    Risk,
    Theme,
    ThemeFinance,
    ThemeStatusUpdate,
    milestone_due_between,
    milestone_overdue_on,
)
from themes.rag import (
    EXCEPTION_RAGS,
    is_exception,
    rag_dict,
    rag_expression,
    rag_for_slippage,
    slippage_expression,
    worst_rag,
)
from themes.selectors import (
    EXCEPTIONS_SHOWN,
    PANEL_ROWS,
    _theme_dict,
    _update_dict,
    cost_breaches,
    milestone_row,
    person_name,
    visible_theme,
)
from themes.services import forecast_before_prerequisite


def end_of_day(date):
    """The first instant after `date` in the service's time zone: history before it is 'by then'."""
    next_day = datetime.datetime.combine(date + datetime.timedelta(days=1), datetime.time.min)
    return timezone.make_aware(next_day)


def _latest_rows(rows):
    """Of these history rows, each record's latest: `DISTINCT ON` on PostgreSQL (walking the
    (id, date) index), `ROW_NUMBER()` elsewhere."""
    if connection.vendor == "postgresql":
        return rows.order_by("id", "-history_date", "-history_id").distinct("id")
    return rows.annotate(
        version_rank=Window(
            RowNumber(),
            partition_by=[F("id")],
            order_by=[F("history_date").desc(), F("history_id").desc()],
        )
    ).filter(version_rank=1)


def latest_versions(historical_model, date, **filters):
    """Each record's latest historical row dated by the end of `date`, deleted records left out.

    `filters` narrow which records are read (e.g. `id__in=` a visible queryset); they must be
    about the record as a whole (its id), not about values that change between versions, since
    they apply before the latest version is chosen.
    """
    rows = historical_model.objects.filter(history_date__lt=end_of_day(date), **filters)
    latest = _latest_rows(rows)
    if connection.vendor == "postgresql":
        # A DISTINCT ON query cannot be filtered further without changing which row it keeps.
        latest = historical_model.objects.filter(history_id__in=latest.values("history_id"))
    return latest.exclude(history_type="-")


def latest_values(historical_model, date, names, **filters):
    """`latest_versions` as tuples of the `names` columns, read in one pass: the latest-version
    query returns the columns itself and deleted records are dropped here."""
    rows = historical_model.objects.filter(history_date__lt=end_of_day(date), **filters)
    return [
        values[1:]
        for values in _latest_rows(rows).values_list("history_type", *names)
        if values[0] != "-"
    ]


COMPLETE = MilestoneStatus.COMPLETE.value


class MilestoneThen:
    """A milestone as it stood on a date: its values then, with the attributes and methods the
    pages and blocks read from a `Milestone` (a plain object: a programme of ten thousand
    milestones is rebuilt in milliseconds, where model instances would take a second)."""

    __slots__ = (
        "pk",
        "deliverable_id",
        "title",
        "owner_id",
        "baseline_date",
        "forecast_date",
        "actual_date",
        "status",
        "version",
        "deliverable",
        "owner",
        "rag",
        "slippage_days",
        "is_complete",
    )
    FIELDS = __slots__[:9]

    def __init__(self, values):
        (
            self.pk,
            self.deliverable_id,
            self.title,
            self.owner_id,
            self.baseline_date,
            self.forecast_date,
            self.actual_date,
            self.status,
            self.version,
        ) = values
        self.is_complete = self.status == COMPLETE
        self.deliverable = self.owner = None
        self.rag = self.slippage_days = None

    @property
    def id(self):
        return self.pk

    @property
    def theme(self):
        return self.deliverable.theme

    def is_overdue(self, on):
        """Milestone.is_overdue's rule (milestone_overdue_on), for the values then."""
        return not self.is_complete and self.forecast_date < on

    def get_status_display(self):
        return MilestoneStatus(self.status).label

    def get_rag_display(self):
        return Rag(self.rag).label

    def __str__(self):
        return self.title


def _milestones_then(date, **filters):
    fields = ["id", *MilestoneThen.FIELDS[1:]]
    return [
        MilestoneThen(values)
        for values in latest_values(Milestone.history.model, date, fields, **filters)
    ]


@dataclass
class ThemeThen:
    theme: Theme
    tolerance_days: int
    # The RAG the theme lead last reported by the date (ThemeStatusUpdate), if any.
    status: ThemeStatusUpdate | None = None
    # Its cost tolerance then (the same versions as the time tolerance).
    cost_tolerance_percent: Decimal | None = None


@dataclass
class ProgrammeAsAt:
    as_at: datetime.date
    programme: Programme | None
    themes: list[ThemeThen] = field(default_factory=list)
    # The deliverables of those themes this user may see (as they stand), by id, `theme` set.
    deliverables: dict[int, Deliverable] = field(default_factory=dict)
    # MilestoneThen objects rebuilt from their versions then (`rag` and
    # `slippage_days` recomputed with the tolerance then), with `deliverable` and `owner` set.
    milestones: list[MilestoneThen] = field(default_factory=list)
    risks: list[Risk] = field(default_factory=list)
    issues: list[Issue] = field(default_factory=list)
    decisions: list[Decision] = field(default_factory=list)
    # Decision id -> its actions as they stood.
    actions: dict[int, list[DecisionAction]] = field(default_factory=dict)

    def theme_then(self, code):
        return next((entry for entry in self.themes if entry.theme.code == code), None)

    def milestones_of(self, code):
        return [m for m in self.milestones if m.deliverable.theme.code == code]


class Reader:
    """Whose view of the programme is rebuilt: a person's (`visible_to`), or, for an operator's
    command with no person named, every row on purpose (`every_row(reason)`)."""

    def __init__(self, user, every_row_reason=None):
        if user is None and not every_row_reason:
            raise ValueError("name the user, or say why every row is read")
        self.user = user
        self.reason = every_row_reason

    def rows(self, model):
        if self.user is None:
            return model.objects.every_row(self.reason)
        return model.objects.visible_to(self.user)

    def may_read(self, model):
        return self.user is None or self.user.has_perm(read_permission(model))


def _visible_ids(reader, model):
    return reader.rows(model).values("pk")


def _rebuilt(historical_model, date, **filters):
    """Model instances carrying each record's values as they were then.

    Only the record's own columns are read (not the history's timestamps and who-did-it), as
    plain values: rebuilding ten thousand milestones then costs tens of milliseconds, not seconds.
    """
    model = historical_model.instance_type
    fields = model._meta.concrete_fields
    read = [n for n, field in enumerate(fields) if not isinstance(field, DateTimeField)]
    rows = latest_values(historical_model, date, [fields[n].attname for n in read], **filters)
    # Built positionally, every concrete field in order (Django's quick path, as `from_db`
    # takes): the timestamps not read keep their default, as they would by keyword.
    template = [field.get_default() for field in fields]
    instances = []
    for values in rows:
        row = template.copy()
        for n, value in zip(read, values, strict=True):
            row[n] = value
        instances.append(model(*row))
    return instances


def programme_as_at(
    user,
    date,
    theme=None,
    programme=None,
    *,
    every_row=None,
    with_issues=True,
    with_milestones=True,
):
    """The programme on `date` as `user` may see it; `theme` (a code) narrows it to one theme.
    With `user=None`, every row, for the reason `every_row` gives (operators' commands).
    `with_issues=False` leaves the issues unread (the dashboard shows none);
    `with_milestones=False` leaves the milestones unbuilt (the dashboard counts and ranks them
    in the database instead, `MilestonesThen`).

    Themes this user may not see are absent, and records they may not see, at every date. A theme
    code the user may not see gives an empty programme, never a hint that the theme exists.
    """
    reader = Reader(user, every_row)
    programme = programme or Programme.objects.order_by("-start_date").first()
    state = ProgrammeAsAt(as_at=date, programme=programme)
    if programme is None:
        return state
    themes = reader.rows(Theme).filter(programme=programme)
    if theme is not None:
        themes = themes.filter(code=theme)
    themes = {t.pk: t for t in themes.select_related("programme", "lead")}
    if not themes:
        return state
    programme_then = latest_versions(Programme.history.model, date, id=programme.pk).first()
    default_tolerance = (programme_then or programme).default_time_tolerance_days
    # Themes are the programme's frame: they come from reference data whose first version is
    # dated when it was loaded, so a theme stands at every date, with its tolerance from its
    # latest version by then, or from its first version if none is that old. (A theme has a
    # handful of versions: read them all, in one query.)
    cutoff = end_of_day(date)
    tolerance_then = {}
    for version in (
        Theme.history.model.objects.filter(id__in=list(themes))
        .order_by("history_date", "history_id")
        .values("id", "history_date", "time_tolerance_days", "cost_tolerance_percent")
    ):
        if version["history_date"] < cutoff or version["id"] not in tolerance_then:
            tolerance_then[version["id"]] = (
                version["time_tolerance_days"],
                version["cost_tolerance_percent"],
            )
    entries = {}
    for pk, current in themes.items():
        own, cost = tolerance_then.get(
            pk, (current.time_tolerance_days, current.cost_tolerance_percent)
        )
        entries[pk] = ThemeThen(
            theme=current,
            tolerance_days=default_tolerance if own is None else own,
            cost_tolerance_percent=cost,
        )
    for update in (
        reader.rows(ThemeStatusUpdate)
        .filter(theme_id__in=list(entries), as_at__lte=date)
        .select_related("author")
        .order_by("theme_id", "-as_at", "-created_at", "-pk")
    ):
        if entries[update.theme_id].status is None:
            entries[update.theme_id].status = update
    state.themes = sorted(entries.values(), key=lambda entry: (entry.theme.order, entry.theme.pk))
    theme_ids = list(entries)

    deliverables = {
        d.pk: d
        for d in reader.rows(Deliverable).filter(theme_id__in=theme_ids).select_related("theme")
    }
    for deliverable in deliverables.values():
        deliverable.theme = themes[deliverable.theme_id]
    people = {}

    def person(pk):
        return people.get(pk)

    state.deliverables = deliverables
    milestones = []
    if with_milestones and reader.may_read(Milestone):
        # Per deliverable, once: the deliverable, its theme's tolerance then, and its place in
        # the programme (a dense rank of (theme order, deliverable order, title), so milestones
        # sort on small integers rather than nested tuples: ten thousand of them are rebuilt
        # for the dashboard).
        placing = {
            pk: (themes[d.theme_id].order, d.order, d.title) for pk, d in deliverables.items()
        }
        rank = {key: n for n, key in enumerate(sorted(set(placing.values())))}
        frame = {
            pk: (d, entries[d.theme_id].tolerance_days, rank[placing[pk]])
            for pk, d in deliverables.items()
        }
        place_of = {}
        for milestone in _milestones_then(date, id__in=_visible_ids(reader, Milestone)):
            found = frame.get(milestone.deliverable_id)
            if found is None:  # then under a theme this user may not see
                continue
            milestone.deliverable, tolerance, place_of[milestone.pk] = found
            baseline, forecast = milestone.baseline_date, milestone.forecast_date
            slippage = None if baseline is None or forecast is None else (forecast - baseline).days
            milestone.slippage_days = slippage
            milestone.rag = rag_for_slippage(milestone.is_complete, slippage, tolerance)
            milestones.append(milestone)
        # (place, forecast, pk) in two stable sorts, with no key tuple per milestone.
        milestones.sort(key=attrgetter("forecast_date", "pk"))
        milestones.sort(key=lambda m: place_of[m.pk])

    risks = [
        risk
        for risk in _rebuilt(Risk.history.model, date, id__in=_visible_ids(reader, Risk))
        if risk.theme_id in entries and risk.status == RiskStatus.OPEN and risk.raised_on <= date
    ]
    risks.sort(key=lambda r: (-r.score_after, -r.score_before, r.review_date, r.pk))
    issues = [
        issue
        for issue in (
            _rebuilt(Issue.history.model, date, id__in=_visible_ids(reader, Issue))
            if with_issues
            else []
        )
        if issue.theme_id in entries
        and issue.status == IssueStatus.OPEN
        and issue.raised_on <= date
    ]
    issues.sort(key=lambda i: (i.raised_on, i.pk))
    decisions = [
        decision
        for decision in _rebuilt(
            Decision.history.model, date, id__in=_visible_ids(reader, Decision)
        )
        if decision.theme_id in entries and decision.decided_on <= date
    ]
    decisions.sort(key=lambda d: (d.decided_on, d.pk), reverse=True)
    actions = {}
    decision_ids = {d.pk for d in decisions}
    for action in _rebuilt(
        DecisionAction.history.model, date, id__in=_visible_ids(reader, DecisionAction)
    ):
        if action.decision_id in decision_ids:
            actions.setdefault(action.decision_id, []).append(action)
    for rows in actions.values():
        rows.sort(key=lambda a: (a.due_date, a.pk))

    # Owners named on the rows: one query for all of them.
    wanted = {m.owner_id for m in milestones} | {r.owner_id for r in risks}
    wanted |= {r.actionee_id for r in risks} | {i.owner_id for i in issues}
    wanted |= {a.owner_id for rows in actions.values() for a in rows}
    wanted.discard(None)
    if wanted:
        people.update(get_user_model().objects.in_bulk(wanted))
    for milestone in milestones:
        milestone.owner = person(milestone.owner_id)
    for risk in risks:
        risk.owner = person(risk.owner_id)
        risk.actionee = person(risk.actionee_id)
        risk.theme = themes[risk.theme_id]
    for issue in issues:
        issue.owner = person(issue.owner_id)
        issue.theme = themes[issue.theme_id]
    for decision in decisions:
        decision.theme = themes[decision.theme_id]
    for rows in actions.values():
        for action in rows:
            action.owner = person(action.owner_id)

    state.milestones = milestones
    state.risks = risks
    state.issues = issues
    state.decisions = decisions
    state.actions = actions
    return state


def milestone_status_rows(state):
    """The `programme_status` JSON rows: theme code, title, the three dates then and the RAG."""
    return [
        {
            "theme": m.deliverable.theme.code,
            "title": m.title,
            "baseline": m.baseline_date.isoformat() if m.baseline_date else None,
            "forecast": m.forecast_date.isoformat() if m.forecast_date else None,
            "actual": m.actual_date.isoformat() if m.actual_date else None,
            "rag": m.rag,
        }
        for m in state.milestones
    ]


# --- the pages' figures as at a past date ---------------------------------------------------------
# The same shapes as themes/selectors.py gives for today, so the templates serve both.


def summary_as_at(state, figures, exceptions):
    """`programme_summary_block`'s shape, from the programme as it stood: `figures` are each
    theme's milestones then counted by RAG and overdue (`MilestonesThen.read`), `exceptions`
    the worst exceptions' rows then."""
    programme = state.programme
    as_at = state.as_at
    totals = {rag.value: 0 for rag in RAG_ORDER}
    theme_rows = []
    for entry in state.themes:
        theme_figures = figures.get(entry.theme.pk, {})
        rags = {rag: row["count"] for rag, row in theme_figures.items()}
        for rag in RAG_ORDER:
            totals[rag.value] += rags.get(rag.value, 0)
        update = entry.status
        theme_rows.append(
            {
                "code": entry.theme.code,
                "name": entry.theme.name,
                "restricted": entry.theme.restricted,
                "tolerance_days": entry.tolerance_days,
                "rag": rag_dict(update.rag if update else None),
                "rag_reason": update.reason if update else "",
                "rag_as_at": update.as_at.isoformat() if update else None,
                "computed_rag": rag_dict(worst_rag(rags)),
                "counts": [{**rag_dict(rag), "count": rags.get(rag.value, 0)} for rag in RAG_ORDER],
                "milestone_total": sum(rags.values()),
                "overdue": sum(row["overdue"] for row in theme_figures.values()),
                "exceptions": sum(count for rag, count in rags.items() if is_exception(rag)),
            }
        )
    tolerance = {entry.theme.pk: entry.tolerance_days for entry in state.themes}
    return {
        "kind": "programme-summary",
        "programme": {
            "name": programme.name if programme else "",
            "start": programme.start_date.isoformat() if programme else None,
            "end": programme.end_date.isoformat() if programme else None,
        },
        "as_at": as_at.isoformat(),
        "rag_columns": [rag_dict(rag) for rag in RAG_ORDER],
        "themes": theme_rows,
        "totals": [{**rag_dict(rag), "count": totals[rag.value]} for rag in RAG_ORDER],
        "exception_count": sum(count for rag, count in totals.items() if is_exception(rag)),
        "exceptions": [
            {
                **milestone_row(m, as_at),
                "theme": m.deliverable.theme.name,
                "tolerance_days": tolerance[m.deliverable.theme_id],
            }
            for m in exceptions[:EXCEPTIONS_SHOWN]
        ],
    }


def _panel(rows, limit=PANEL_ROWS):
    rows = list(rows)
    return {"count": len(rows), "rows": rows[:limit]}


@dataclass
class DependencyThen:
    from_milestone: Milestone
    to_milestone: Milestone

    @property
    def from_milestone_id(self):
        return self.from_milestone.pk

    @property
    def to_milestone_id(self):
        return self.to_milestone.pk


class MilestonesThen:
    """The milestones as they stood on `state.as_at`, counted and cut in the database.

    One derived table: each visible milestone's latest version by then (`_latest_rows`), with
    its theme, its slippage and its RAG then (the rule's database form, `rag_expression`, with
    each theme's tolerance then) and, per condition in `conditions` (name -> Q over the history
    row, e.g. `milestone_overdue_on`), a 0/1 flag. `read` groups it by theme and RAG and
    reads only the first few rows of each cut, so ten thousand milestones stay in the database
    and the page reads the handful it shows.
    """

    FLAG_ORDERS = {
        # The dashboard's orders: by forecast, or worst slippage first (none counts as 0), in
        # SQL to choose a cut's first rows and in Python to keep them in it (a union's parts
        # come back in no promised order).
        "forecast": ("{forecast_date}, {id}", attrgetter("forecast_date", "pk")),
        "worst": ("COALESCE({slippage}, 0) DESC, {id}", lambda m: (-(m.slippage_days or 0), m.pk)),
    }

    def __init__(self, reader, state, conditions):
        self.state = state
        self.flags = list(conditions)
        self.table = None
        if not state.deliverables or not reader.may_read(Milestone):
            return
        by_theme, by_tolerance = {}, {}
        tolerance = {entry.theme.pk: entry.tolerance_days for entry in state.themes}
        for pk, deliverable in state.deliverables.items():
            by_theme.setdefault(deliverable.theme_id, []).append(pk)
            by_tolerance.setdefault(tolerance[deliverable.theme_id], []).append(pk)
        # The tolerance most deliverables have is the default, tested for no deliverable (rows
        # under no theme shown have no theme either, and are dropped, whatever their RAG).
        usual = max(by_tolerance, key=lambda days: len(by_tolerance[days]))
        by_tolerance.pop(usual)

        def per_deliverable(groups, default=None):
            # Deliverables under no theme shown get NULL: no theme, and dropped below.
            return Case(
                *[When(deliverable_id__in=ids, then=Value(v)) for v, ids in groups.items()],
                default=Value(default),
                output_field=IntegerField(),
            )

        history = Milestone.history.model
        rows = history.objects.filter(
            history_date__lt=end_of_day(state.as_at), id__in=_visible_ids(reader, Milestone)
        )
        columns = ["history_type", "id", *MilestoneThen.FIELDS[1:]]
        latest, latest_params = _latest_rows(rows).values(*columns).query.sql_with_params()
        # The rule and the conditions are worked out on the ten thousand latest versions, not
        # on every version before the latest is chosen: the ORM compiles them over the history
        # table, whose name then stands for the latest versions (a derived table of that name).
        then = (
            history.objects.annotate(
                theme_then=per_deliverable(by_theme),
                slippage=slippage_expression(),
                rag_then=rag_expression(per_deliverable(by_tolerance, usual)),
            )
            .annotate(
                **{
                    name: Case(When(condition, then=Value(1)), default=Value(0))
                    for name, condition in conditions.items()
                }
            )
            .values(*columns, "theme_then", "slippage", "rag_then", *self.flags)
            .order_by()
        )
        sql, params = then.query.sql_with_params()
        source = f"FROM {connection.ops.quote_name(history._meta.db_table)}"
        # The whole statement is SELECT <expressions> FROM <table>: no join, filter or order.
        if not sql.endswith(source) or sql.count(source + " "):
            raise RuntimeError(f"unexpected SQL for the milestones then: {sql}")
        self.table = sql[: -len(source)] + f"FROM ({latest}) AS " + source[len("FROM ") :]
        self.params = (*params, *latest_params)

    def _names(self):
        names = ["history_type", "id", *MilestoneThen.FIELDS[1:], "theme_then", "slippage"]
        names += ["rag_then", *self.flags]
        return {name: connection.ops.quote_name(name) for name in names}

    def read(self, cuts):
        """The tallies and the cuts, in one statement (the table is read once, a common table
        expression every part reads):

        - tallies: {theme id: {RAG: {"count": n, "overdue": n}}} for the milestones then
          (`overdue` needs an "overdue" condition);
        - cuts: {name: (count, [MilestoneThen])}, where `cuts` maps a name to (which, order,
          limit), `which` a condition's name or a tuple of RAG values: the milestones it
          takes, how many, and the first `limit` (None: all) in that order (`FLAG_ORDERS`);
          `rag` and `slippage_days` are the database's, `deliverable` is set, `owner` is not.

        The counts come from grouping the table by theme, RAG and every flag (a few dozen
        groups), the rows from each cut's ORDER BY and LIMIT.
        """
        found = {cut: (0, []) for cut in cuts}
        if self.table is None:
            return {}, found
        names = self._names()
        flags = ", ".join(names[flag] for flag in self.flags)
        row_names = ["id", *MilestoneThen.FIELDS[1:], "slippage"]
        row = ", ".join(names[n] for n in row_names)
        # Deleted by then, or under a deliverable of no theme shown: not in the programme then.
        live = "{history_type} <> '-' AND {theme_then} IS NOT NULL".format(**names)
        groups = f"{names['theme_then']}, {names['rag_then']}, {flags}"
        parts, params = [], []
        for n, (cut, (which, order, limit)) in enumerate(cuts.items()):
            if isinstance(which, tuple):
                taken = f"{names['rag_then']} IN ({', '.join('%s' for _ in which)})"
            else:
                taken, which = f"{names[which]} = 1", ()
            part = (
                f"SELECT %s AS cut, 0 AS total, {groups}, {row} FROM stood "  # noqa: S608 - quoted names, values as parameters
                f"WHERE {live} AND {taken} "
                f"ORDER BY {self.FLAG_ORDERS[order][0].format(**names)}"
            )
            if limit is not None:
                part += f" LIMIT {int(limit)}"
            parts.append(f"SELECT * FROM ({part}) AS cut_{n}")  # noqa: S608 - built above
            params += [cut, *which]
        # Last: SQLite types a compound's columns from its first part (dates read as dates).
        parts.append(
            f"SELECT %s, COUNT(*), {groups}, "  # noqa: S608 - quoted names
            f"{', '.join('NULL' for _ in row_names)} FROM stood WHERE {live} GROUP BY {groups}"
        )
        params.append("")  # the groups' rows: no cut
        sql = f"WITH stood AS ({self.table}) " + " UNION ALL ".join(parts)
        with connection.cursor() as cursor:
            cursor.execute(sql, (*self.params, *params))
            fetched = cursor.fetchall()
        tallies, counts = {}, dict.fromkeys(cuts, 0)
        width = len(self.flags)
        for cut, total, theme_id, rag, *rest in fetched:
            flags = dict(zip(self.flags, rest[:width], strict=True))
            if not cut:
                tally = tallies.setdefault(theme_id, {}).setdefault(rag, {"count": 0, "overdue": 0})
                tally["count"] += total
                tally["overdue"] += total if flags.get("overdue") else 0
                for name, (which, _, _) in cuts.items():
                    if rag in which if isinstance(which, tuple) else flags[which]:
                        counts[name] += total
                continue
            *values, slippage = rest[width:]
            milestone = MilestoneThen(values)
            milestone.deliverable = self.state.deliverables[milestone.deliverable_id]
            milestone.slippage_days, milestone.rag = slippage, rag
            found[cut][1].append(milestone)
        for cut, (_, order, _) in cuts.items():
            found[cut][1].sort(key=self.FLAG_ORDERS[order][1])
        return tallies, {cut: (counts[cut], rows) for cut, (_, rows) in found.items()}


def _milestone_panel(count, rows):
    return {"count": count, "rows": rows}


def dependencies_as_at(date, milestone_ids):
    """The dependency links as they stood at the end of `date`, as (dependent id, prerequisite
    id) pairs in (dependent, prerequisite) order, kept where both ends are in `milestone_ids`.

    `milestone_ids` must come from a read through the visibility layer (the milestones of a
    `programme_as_at`): a link to or from a milestone outside it is never returned, so a
    restricted milestone is absent for the uncleared here as everywhere, and so is a milestone
    deleted by then.

    django-simple-history copies a milestone's `depends_on` rows into every version it writes
    of it (a save, or a link added or removed from the dependent's side, as the services and
    the admin do), so the links then are the rows of each dependent's latest version by the
    date. One query: each historical link row is kept if its version is its dependent's latest
    by then (found on the (id, date) index), so only milestones that have had links are read.
    """
    wanted = milestone_ids if isinstance(milestone_ids, set | dict) else set(milestone_ids)
    if not wanted:
        return []
    return sorted({(a, b) for a, b in _links_then(date) if a in wanted and b in wanted})


def _links_then(date):
    """Every (dependent id, prerequisite id) link of each dependent's latest version by `date`,
    unscoped: callers keep those between milestones their reader may see."""
    versions = Milestone.history.model
    links = versions.depends_on.model
    latest_then = (
        versions.objects.filter(id=OuterRef("from_milestone_id"), history_date__lt=end_of_day(date))
        .order_by("-history_date", "-history_id")
        .values("history_id")[:1]
    )
    return links.objects.filter(history_id=Subquery(latest_then)).values_list(
        "from_milestone_id", "to_milestone_id"
    )


def dependency_warnings_as_at(user, date, milestones):
    """`services.dependency_warnings` for `milestones` as they stood on `date` (a theme's, from
    `programme_as_at`): (milestone, prerequisite) pairs by the links then, where the milestone
    was forecast before its prerequisite. A prerequisite in another theme is read as it stood
    too, through the visibility layer (one the user may not see is left out, as today)."""
    by_id = {m.pk: m for m in milestones}
    if not by_id:
        return []
    pairs = [(a, b) for a, b in _links_then(date) if a in by_id]
    outside = {b for _, b in pairs if b not in by_id}
    if outside:
        reader = Reader(user)
        others = _milestones_then(date, id__in=reader.rows(Milestone).filter(pk__in=outside))
        frame = (
            reader.rows(Deliverable)
            .filter(pk__in={m.deliverable_id for m in others})
            .select_related("theme")
            .in_bulk()
        )
        for milestone in others:
            # Under a deliverable (and theme) this user may see then, as programme_as_at keeps.
            if milestone.deliverable_id in frame:
                milestone.deliverable = frame[milestone.deliverable_id]
                by_id[milestone.pk] = milestone
    warnings = [
        (by_id[a], by_id[b])
        for a, b in pairs
        if b in by_id and forecast_before_prerequisite(by_id[a], by_id[b])
    ]
    warnings.sort(key=lambda pair: (pair[0].forecast_date, pair[0].pk, pair[1].pk))
    return warnings


def dashboard_as_at(user, *, as_at, slipped_since, programme=None):
    """`themes.selectors.dashboard`'s figures for the programme as it stood on `as_at`.

    The milestones are counted and ranked in the database (`MilestonesThen`), as today's are;
    only the rows the panels show (and the ends of dependency links) are read into Python.
    """
    state = programme_as_at(
        user, as_at, programme=programme, with_issues=False, with_milestones=False
    )
    reader = Reader(user)
    soon_30 = as_at + datetime.timedelta(days=30)
    soon_90 = as_at + datetime.timedelta(days=90)
    # Re-forecast later in the period, read through the visibility layer.
    slipped = (
        reader.rows(MilestoneReforecast)
        .filter(
            made_at__gte=end_of_day(slipped_since - datetime.timedelta(days=1)),
            made_at__lt=end_of_day(as_at),
            new_forecast__gt=F("previous_forecast"),
        )
        .values("milestone_id")
    )
    # Either end of a dependency link, as links stand or ever stood (the warnings below judge
    # the links; these are the milestones they may need).
    links_now = Milestone.depends_on.through.objects
    links_then = apps.get_model("themes", "HistoricalMilestone_depends_on").objects
    linked = Q()
    for end in ("from_milestone_id", "to_milestone_id"):
        linked |= Q(id__in=links_now.values(end)) | Q(id__in=links_then.values(end))
    then = MilestonesThen(
        reader,
        state,
        {
            "overdue": milestone_overdue_on(as_at),
            "due_30": milestone_due_between(as_at, soon_30),
            "due_90": milestone_due_between(as_at, soon_90),
            "slipped": Q(id__in=slipped),
            "linked": linked,
        },
    )
    figures, cuts = then.read(
        {
            "exceptions": (EXCEPTION_RAGS, "worst", EXCEPTIONS_SHOWN),
            "overdue": ("overdue", "forecast", PANEL_ROWS),
            "due_30": ("due_30", "forecast", PANEL_ROWS),
            "due_90": ("due_90", "forecast", PANEL_ROWS),
            "slipped": ("slipped", "worst", PANEL_ROWS),
            "linked": ("linked", "forecast", None),
        }
    )
    # Owners of the rows shown: one query.
    shown = [m for _, rows in cuts.values() for m in rows]
    people = get_user_model().objects.in_bulk({m.owner_id for m in shown} - {None})
    for milestone in shown:
        milestone.owner = people.get(milestone.owner_id)
    by_id = {m.pk: m for m in cuts["linked"][1]}
    dependencies = []
    if by_id:
        # Links as they stood then, between milestones shown (visible to this reader, as they
        # stood then).
        for from_id, to_id in dependencies_as_at(as_at, by_id):
            dependent, prerequisite = by_id[from_id], by_id[to_id]
            if forecast_before_prerequisite(dependent, prerequisite):
                dependencies.append(DependencyThen(dependent, prerequisite))
    dependencies.sort(key=lambda link: (link.from_milestone.forecast_date, link.from_milestone.pk))
    actions = [
        action
        for decision in state.decisions
        for action in state.actions.get(decision.pk, [])
        if action.status == ActionStatus.OPEN and action.due_date < as_at
    ]
    decisions = {decision.pk: decision for decision in state.decisions}
    for action in actions:
        action.decision = decisions[action.decision_id]
    actions.sort(key=lambda a: (a.due_date, a.pk))
    return {
        "programme": state.programme,
        "as_at": as_at,
        "slipped_since": slipped_since,
        "soon_30": soon_30,
        "soon_90": soon_90,
        "summary": summary_as_at(state, figures, cuts["exceptions"][1]),
        "overdue": _milestone_panel(*cuts["overdue"]),
        "due_30": _milestone_panel(*cuts["due_30"]),
        "due_90": _milestone_panel(*cuts["due_90"]),
        "slipped": _milestone_panel(*cuts["slipped"]),
        "risks_for_review": _panel(
            sorted(
                (r for r in state.risks if r.review_date < as_at),
                key=lambda r: (r.review_date, r.pk),
            )
        ),
        "actions_overdue": _panel(actions),
        "dependency_warnings": _panel(dependencies),
        "cost_exceptions": (
            cost_exceptions_as_at(reader, state) if reader.may_read(ThemeFinance) else []
        ),
    }


def cost_exceptions_as_at(reader, state):
    """`cost_exceptions` from the money as it stood on the date: each finance row's latest
    version by then (a forecast re-stated since does not show in the past) and each theme's
    cost tolerance then, summed per theme and judged by the same rule."""
    entries = {entry.theme.pk: entry.theme for entry in state.themes}
    if not entries:
        return []
    tolerance = {entry.theme.pk: entry.cost_tolerance_percent for entry in state.themes}
    totals = {}
    for theme_id, budget, forecast, actual, savings in latest_values(
        ThemeFinance.history.model,
        state.as_at,
        ["theme_id", "budget", "forecast", "actual", "savings_committed"],
        id__in=_visible_ids(reader, ThemeFinance),
    ):
        if theme_id not in entries:
            continue
        theme = entries[theme_id]
        row = totals.setdefault(
            theme_id,
            {
                "theme__code": theme.code,
                "theme__name": theme.name,
                "theme__cost_tolerance_percent": tolerance[theme_id],
                "budget": 0,
                "forecast": 0,
                "actual": None,
                "savings": 0,
            },
        )
        row["budget"] += budget
        row["forecast"] += forecast
        row["savings"] += savings
        if actual is not None:
            row["actual"] = (row["actual"] or 0) + actual
    ordered = sorted(totals.items(), key=lambda item: (entries[item[0]].order, item[0]))
    return cost_breaches(row for _, row in ordered)


# --- committee report content as at a date --------------------------------------------------------


def _raise_unless_visible(user, theme_code):
    """Theme.DoesNotExist for a theme this user may not see: as missing as a theme with no row."""
    return visible_theme(user, theme_code)


def theme_milestones_as_at(user, theme_code, as_at):
    """`theme_milestones_block`'s shape for the theme's milestones as they stood on `as_at`."""
    theme = _raise_unless_visible(user, theme_code)
    state = programme_as_at(user, as_at, theme=theme_code)
    rows = [milestone_row(m, as_at) for m in state.milestones]
    counts = {rag.value: 0 for rag in RAG_ORDER}
    for row in rows:
        counts[row["rag"]] = counts.get(row["rag"], 0) + 1
    entry = state.theme_then(theme_code)
    return {
        "kind": "theme-milestones",
        "theme": {**_theme_dict(theme), "tolerance_days": entry.tolerance_days},
        "as_at": as_at.isoformat(),
        "computed_rag": rag_dict(worst_rag(row["rag"] for row in rows)),
        "counts": [{**rag_dict(rag), "count": counts[rag.value]} for rag in RAG_ORDER],
        "milestones": rows,
    }


def highlight_report_content(user, theme_code, start, end):
    """What a theme highlight report for `start`..`end` (inclusive) says, from the programme as it
    stood at the end of the period: nothing recorded after `end` appears in it.

    Completed in the period, due in the next period of the same length, slipped in the period
    (the re-forecasts made in it, with their reasons), risks and issues open at its end with their
    scores then, decisions taken in it, and the theme's status as last reported by its end.
    """
    theme = _raise_unless_visible(user, theme_code)
    if isinstance(start, str):
        start = datetime.date.fromisoformat(start)
    if isinstance(end, str):
        end = datetime.date.fromisoformat(end)
    next_end = end + (end - start) + datetime.timedelta(days=1)
    state = programme_as_at(user, end, theme=theme_code)
    milestones = state.milestones
    by_id = {m.pk: m for m in milestones}
    completed = sorted(
        (m for m in milestones if m.actual_date and start <= m.actual_date <= end),
        key=lambda m: (m.actual_date, m.pk),
    )
    due_next = sorted(
        (m for m in milestones if not m.is_complete and end < m.forecast_date <= next_end),
        key=lambda m: (m.forecast_date, m.pk),
    )
    moves = {}
    if by_id:
        for move in (
            Reader(user)
            .rows(MilestoneReforecast)
            .filter(
                milestone_id__in=list(by_id),
                made_at__gte=end_of_day(start - datetime.timedelta(days=1)),
                made_at__lt=end_of_day(end),
            )
            .select_related("made_by")
            .order_by("made_at", "pk")
        ):
            moves.setdefault(move.milestone_id, []).append(move)
    slipped = sorted((by_id[pk] for pk in moves), key=lambda m: (m.forecast_date, m.pk))
    entry = state.theme_then(theme_code)
    update = entry.status if entry else None
    return {
        "kind": "theme-highlight",
        "theme": _theme_dict(theme),
        "lead": person_name(theme.lead),
        "period": {"start": start.isoformat(), "end": end.isoformat()},
        "next_period": {
            "start": (end + datetime.timedelta(days=1)).isoformat(),
            "end": next_end.isoformat(),
        },
        "status": _update_dict(update),
        "computed_rag": rag_dict(worst_rag(m.rag for m in milestones)),
        "completed": [milestone_row(m, end) for m in completed],
        "due_next_period": [milestone_row(m, end) for m in due_next],
        "slipped": [
            {
                **milestone_row(m, end),
                "reforecasts": [
                    {
                        "previous": move.previous_forecast.isoformat(),
                        "new": move.new_forecast.isoformat(),
                        "days": move.days_moved,
                        "reason": move.reason,
                        "by": person_name(move.made_by),
                        "on": timezone.localtime(move.made_at).date().isoformat(),
                    }
                    for move in moves[m.pk]
                ],
            }
            for m in slipped
        ],
        "risks": [
            {
                "id": risk.pk,
                "title": risk.title,
                "cause": risk.cause,
                "event": risk.event,
                "effect": risk.effect,
                "score_before": risk.score_before,
                "score_after": risk.score_after,
                "proximity": risk.get_proximity_display(),
                "response_category": risk.get_response_category_display(),
                "owner": person_name(risk.owner),
                "actionee": person_name(risk.actionee),
                "review_date": risk.review_date.isoformat() if risk.review_date else None,
            }
            for risk in state.risks
        ],
        "issues": [
            {
                "id": issue.pk,
                "title": issue.title,
                "type": issue.get_issue_type_display(),
                "priority": issue.get_priority_display(),
                "owner": person_name(issue.owner),
                "raised_on": issue.raised_on.isoformat(),
            }
            for issue in state.issues
        ],
        "decisions": [
            {"title": d.title, "decided_on": d.decided_on.isoformat(), "decided_by": d.decided_by}
            for d in sorted(state.decisions, key=lambda d: (d.decided_on, d.pk))
            if start <= d.decided_on <= end
        ],
    }


# --- baseline comparison between two dates --------------------------------------------------------


def _iso(date):
    return date.isoformat() if date else None


def _milestone_ref(m):
    return {
        "id": m.pk,
        "theme": m.deliverable.theme.code,
        "theme_name": m.deliverable.theme.name,
        "title": m.title,
    }


def _risk_ref(r):
    return {"id": r.pk, "theme": r.theme.code, "theme_name": r.theme.name, "title": r.title}


def compare_programme(user, date_from, date_to, theme=None):
    """What changed between two dates, for the whole programme or one theme, as `user` may see
    it: JSON-safe, so a committee report can freeze it.

    - moved: milestones whose forecast differs, by how many days, with the reasons recorded in the
      re-forecasts made between the dates;
    - rag_changes: milestones and themes (as reported) whose RAG differs;
    - milestones added (agreed after the first date), milestones closed (completed, or removed);
    - deliverables added or removed;
    - risks opened, escalated (score after response up) and closed.
    """
    if date_to < date_from:
        date_from, date_to = date_to, date_from
    before = programme_as_at(user, date_from, theme=theme)
    after = programme_as_at(user, date_to, theme=theme)
    then = {m.pk: m for m in before.milestones}
    now = {m.pk: m for m in after.milestones}
    reasons = {}
    moved_ids = [pk for pk in now if pk in then and now[pk].forecast_date != then[pk].forecast_date]
    if moved_ids:
        for move in (
            Reader(user)
            .rows(MilestoneReforecast)
            .filter(
                milestone_id__in=moved_ids,
                made_at__gte=end_of_day(date_from),
                made_at__lt=end_of_day(date_to),
            )
            .order_by("made_at", "pk")
        ):
            reasons.setdefault(move.milestone_id, []).append(
                {
                    "on": timezone.localtime(move.made_at).date().isoformat(),
                    "previous": move.previous_forecast.isoformat(),
                    "new": move.new_forecast.isoformat(),
                    "reason": move.reason,
                }
            )
    moved = sorted(
        (
            {
                **_milestone_ref(now[pk]),
                "baseline": _iso(now[pk].baseline_date),
                "from": _iso(then[pk].forecast_date),
                "to": _iso(now[pk].forecast_date),
                "days": (now[pk].forecast_date - then[pk].forecast_date).days,
                "reforecasts": reasons.get(pk, []),
            }
            for pk in moved_ids
        ),
        key=lambda row: (-abs(row["days"]), row["title"]),
    )
    rag_changes = [
        {
            **_milestone_ref(now[pk]),
            "from": rag_dict(then[pk].rag),
            "to": rag_dict(now[pk].rag),
        }
        for pk in now
        if pk in then and now[pk].rag != then[pk].rag
    ]
    theme_changes = []
    for entry in after.themes:
        earlier = before.theme_then(entry.theme.code)
        old = earlier.status.rag if earlier and earlier.status else None
        new = entry.status.rag if entry.status else None
        if old != new:
            theme_changes.append(
                {
                    "theme": entry.theme.code,
                    "theme_name": entry.theme.name,
                    "from": rag_dict(old),
                    "to": rag_dict(new),
                    "reason": entry.status.reason if entry.status else "",
                }
            )
    added = [_milestone_ref(now[pk]) for pk in now if pk not in then]
    closed = [
        {**_milestone_ref(now[pk]), "how": "completed", "on": _iso(now[pk].actual_date)}
        for pk in now
        if pk in then and now[pk].is_complete and not then[pk].is_complete
    ] + [{**_milestone_ref(then[pk]), "how": "removed", "on": None} for pk in then if pk not in now]
    deliverables = _deliverables_between(user, before, after)
    links_then = set(dependencies_as_at(date_from, then))
    links_now = set(dependencies_as_at(date_to, now))
    links_added = [_dependency_ref(now, pair) for pair in links_now - links_then]
    links_removed = [_dependency_ref(then, pair) for pair in links_then - links_now]
    risks_then = {r.pk: r for r in before.risks}
    risks_now = {r.pk: r for r in after.risks}
    opened = [
        _risk_ref(r) | {"score": r.score_after}
        for pk, r in risks_now.items()
        if pk not in risks_then
    ]
    closed_risks = [_risk_ref(r) for pk, r in risks_then.items() if pk not in risks_now]
    escalated = [
        _risk_ref(r) | {"from": risks_then[pk].score_after, "to": r.score_after}
        for pk, r in risks_now.items()
        if pk in risks_then and r.score_after > risks_then[pk].score_after
    ]
    comparison = {
        "kind": "baseline-comparison",
        "from": date_from.isoformat(),
        "to": date_to.isoformat(),
        "theme": theme or "",
        "moved": moved,
        "rag_changes": sorted(rag_changes, key=lambda row: (row["theme"], row["title"])),
        "theme_rag_changes": theme_changes,
        "milestones_added": sorted(added, key=lambda row: (row["theme"], row["title"])),
        "milestones_closed": sorted(closed, key=lambda row: (row["theme"], row["title"])),
        "deliverables_added": deliverables["added"],
        "deliverables_removed": deliverables["removed"],
        "dependencies_added": sorted(links_added, key=_dependency_order),
        "dependencies_removed": sorted(links_removed, key=_dependency_order),
        "risks_opened": sorted(opened, key=lambda row: (row["theme"], row["title"])),
        "risks_escalated": sorted(escalated, key=lambda row: (row["theme"], row["title"])),
        "risks_closed": sorted(closed_risks, key=lambda row: (row["theme"], row["title"])),
    }
    # Whether any change is about a restricted theme (a report freezing it is then restricted).
    restricted = {entry.theme.code for entry in after.themes if entry.theme.restricted}
    comparison["restricted"] = any(
        row.get("theme") in restricted or row.get("prerequisite_theme") in restricted
        for key, rows in comparison.items()
        if isinstance(rows, list)
        for row in rows
    )
    comparison["change_count"] = sum(
        len(rows) for rows in comparison.values() if isinstance(rows, list)
    )
    return comparison


def _dependency_ref(milestones, pair):
    """A link (dependent, prerequisite) named by the milestones as they stood on its side's date
    (a link removed is named as it stood before, an added one as it stood after)."""
    dependent, prerequisite = milestones[pair[0]], milestones[pair[1]]
    return {
        **_milestone_ref(dependent),
        "prerequisite_id": prerequisite.pk,
        "prerequisite": prerequisite.title,
        "prerequisite_theme": prerequisite.deliverable.theme.code,
        "prerequisite_theme_name": prerequisite.deliverable.theme.name,
    }


def _dependency_order(row):
    return (row["theme"], row["title"], row["prerequisite"], row["prerequisite_id"])


def _deliverables_between(user, before, after):
    reader = Reader(user)
    theme_ids = [entry.theme.pk for entry in after.themes]
    themes = {entry.theme.pk: entry.theme for entry in after.themes}
    visible = reader.rows(Deliverable).filter(theme_id__in=theme_ids).values("pk")

    def existing(date):
        return {
            row["id"]: row
            for row in latest_versions(Deliverable.history.model, date, id__in=visible).values(
                "id", "title", "theme_id"
            )
            if row["theme_id"] in themes
        }

    then, now = existing(before.as_at), existing(after.as_at)

    def ref(row):
        theme = themes[row["theme_id"]]
        return {
            "id": row["id"],
            "theme": theme.code,
            "theme_name": theme.name,
            "title": row["title"],
        }

    return {
        "added": [ref(row) for pk, row in now.items() if pk not in then],
        "removed": [ref(row) for pk, row in then.items() if pk not in now],
    }


COMPARISON_CSV_HEADERS = ("change", "theme", "record", "from", "to", "days", "reasons")


def comparison_rows(comparison):
    """One CSV row per change, for dps.exports."""
    rows = []
    for row in comparison["moved"]:
        reasons = "; ".join(f"{r['on']}: {r['reason']}" for r in row["reforecasts"])
        rows.append(
            (
                "milestone moved",
                row["theme_name"],
                row["title"],
                row["from"],
                row["to"],
                row["days"],
                reasons,
            )
        )
    for row in comparison["rag_changes"]:
        rows.append(
            (
                "milestone RAG changed",
                row["theme_name"],
                row["title"],
                row["from"]["label"],
                row["to"]["label"],
                "",
                "",
            )
        )
    for row in comparison["theme_rag_changes"]:
        rows.append(
            (
                "theme RAG changed",
                row["theme_name"],
                row["theme_name"],
                row["from"]["label"],
                row["to"]["label"],
                "",
                row["reason"],
            )
        )
    simple = [
        ("milestones_added", "milestone added"),
        ("milestones_closed", "milestone closed"),
        ("deliverables_added", "deliverable added"),
        ("deliverables_removed", "deliverable removed"),
        ("risks_opened", "risk opened"),
        ("risks_closed", "risk closed"),
    ]
    for key, label in simple:
        for row in comparison[key]:
            rows.append((label, row["theme_name"], row["title"], "", row.get("on") or "", "", ""))
    # A link's prerequisite stands where it pointed: "to" once added, "from" before removal.
    # (Comparisons frozen before links were compared have neither key.)
    for row in comparison.get("dependencies_added", []):
        rows.append(
            ("dependency added", row["theme_name"], row["title"], "", row["prerequisite"], "", "")
        )
    for row in comparison.get("dependencies_removed", []):
        rows.append(
            ("dependency removed", row["theme_name"], row["title"], row["prerequisite"], "", "", "")
        )
    for row in comparison["risks_escalated"]:
        rows.append(
            ("risk escalated", row["theme_name"], row["title"], row["from"], row["to"], "", "")
        )
    return rows
