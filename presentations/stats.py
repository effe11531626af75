"""The PSSP figures the committee sees: monthly tables, borough coverage and satisfaction.

The tables and satisfaction take a Delivery queryset that the caller has already limited with
`Delivery.objects.visible_to(user)`; borough coverage, which also reads the boroughs, takes the
user itself. All take a date range (both ends inclusive). Each returns a plain,
JSON-serialisable dict, so the web page, the CSV, the command line and a frozen committee report
all render the same numbers, and a frozen copy renders identically later.

All counting happens in the database, in a constant number of queries whatever the row count.
"""

import datetime
from contextlib import contextmanager
from dataclasses import dataclass

from django.db import connection, transaction
from django.db.models import Count, Exists, F, Min, OuterRef, Q, Sum
from django.db.models.functions import Coalesce, TruncMonth

from dps.choices import UnitKind
from dps.models import Borough, Product
from presentations.choices import (
    PRESENTATION_STREAMS,
    PSSP_INPUT_STREAMS,
    Satisfaction,
    Stream,
)
from presentations.models import Delivery, MonthFigures, first_of_month, note_months_changed

TOTAL = "Total"

PRESENTATION_COLUMNS = (
    "pssp_attendees",
    "non_pssp_attendees",
    "total_people",
    "attending_preventing_deaths_in_custody",
    "attending_computer_misuse",
)
CIVIL_ACTION_COLUMNS = ("sessions", "attendees")
ACCIDENT_CLAIM_COLUMNS = ("participants",)

# Table key -> its columns, in the order the published report prints them.
TABLE_COLUMNS = {
    "presentations": PRESENTATION_COLUMNS,
    "civil_actions": CIVIL_ACTION_COLUMNS,
    "accident_claims": ACCIDENT_CLAIM_COLUMNS,
}
TABLE_KEYS = tuple(TABLE_COLUMNS)

DEATHS_IN_CUSTODY = "deaths-in-custody"
COMPUTER_MISUSE = "computer-misuse"

NO_FAMILY_GROUP = "No family group"
OTHER_UNITS = "Other units"

FEEDBACK_FIELDS = {
    Satisfaction.VERY_SATISFIED: "feedback_very_satisfied",
    Satisfaction.SATISFIED: "feedback_satisfied",
    Satisfaction.NEUTRAL: "feedback_neutral",
    Satisfaction.DISSATISFIED: "feedback_dissatisfied",
    Satisfaction.VERY_DISSATISFIED: "feedback_very_dissatisfied",
}


def period_label(start, end):
    """'2007' for a calendar year, else '1 January 2007 to 30 November 2007'."""
    if (start.month, start.day, end.month, end.day) == (1, 1, 12, 31) and start.year == end.year:
        return str(start.year)
    return f"{start.day} {start:%B %Y} to {end.day} {end:%B %Y}"


def year_range(year):
    return datetime.date(year, 1, 1), datetime.date(year, 12, 31)


def _in_period(deliveries, start, end):
    # Drop the model's default ordering: it would otherwise join the GROUP BY.
    return deliveries.filter(delivered_on__gte=start, delivered_on__lte=end).order_by()


def _covers(product_id):
    """True for a session that covered this product (an EXISTS, so attendees are never doubled)."""
    return Exists(
        Delivery.products.through.objects.filter(delivery_id=OuterRef("pk"), product_id=product_id)
    )


@contextmanager
def _planned_for_counting():
    """Two PostgreSQL planner settings for the counting queries, for this block only (other
    databases need nothing):

    - JIT off: the compiler prices the EXISTS probes of a year's sessions high enough to spend
      ~0.5 s compiling a query that runs in well under 0.1 s;
    - sorting off: grouped by month and borough, the planner cannot tell how few groups a
      truncated date makes (it expects ~40,000 for a year of 1M sessions, ~120,000 at 3M; there
      are ~460), so it sorts the year's sessions on disk instead of hashing them: 175 ms against
      95 ms at 1M sessions, 450 ms against 240 ms at 3M. Raising work_mem only moves the size
      at which it does so. The sessions' order is not used: the grouped rows are put in order
      here."""
    if connection.vendor != "postgresql":
        yield
        return
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET LOCAL jit = off; SET LOCAL enable_sort = off")
        yield
        # The block only reads. Rolled back rather than released, its savepoint takes the
        # settings with it: SET LOCAL would otherwise last until the caller's transaction ends.
        transaction.set_rollback(True)


def _sum(expression_filter):
    return Coalesce(Sum("attendees", filter=expression_filter), 0)


def count_months(in_period, covers=_covers):
    """Each month's figures counted from the sessions: {"2007-01": {...}} for every month with a
    session (three queries, whatever the number of months).

    `in_period` is any queryset with the session's fields (the live log, or the history's
    versions of it: presentations.asknown); `covers(product_id)` is the EXISTS that says a row
    covered that product, since each keeps its products in its own table."""
    return count_months_and_input(in_period, covers)[0]


_INPUT = Q(stream__in=PSSP_INPUT_STREAMS)  # a borough's PSSP input (borough_coverage)


def count_months_and_input(in_period, covers=_covers):
    """count_months' figures and, from the same reading of the sessions, each month's borough
    input: ({"2007-01": {...}}, {"2007-01": {borough id: [sessions, attendees, "first date"]}}).

    The stream figures are grouped by month and borough (a few hundred rows for a year) and
    added up here by month, so borough coverage costs no query of its own."""
    with _planned_for_counting():
        return _count_months_and_input(in_period, covers)


def _count_months_and_input(in_period, covers):
    product_ids = dict(
        Product.objects.filter(code__in=[DEATHS_IN_CUSTODY, COMPUTER_MISUSE]).values_list(
            "code", "id"
        )
    )
    by_stream = (
        in_period.annotate(month=TruncMonth("delivered_on"))
        .values("month", "borough_id")
        .annotate(
            pssp_attendees=_sum(Q(stream=Stream.PSSP)),
            non_pssp_attendees=_sum(Q(stream=Stream.NON_PSSP)),
            civil_sessions=Count("pk", filter=Q(stream=Stream.CIVIL_ACTIONS)),
            civil_attendees=_sum(Q(stream=Stream.CIVIL_ACTIONS)),
            participants=_sum(Q(stream=Stream.ACCIDENT_CLAIMS)),
            # Before `attendees` below, which replaces the field's name with its sum.
            input_sessions=Count("pk", filter=_INPUT),
            input_attendees=_sum(_INPUT),
            first_input=Min("delivered_on", filter=_INPUT),
            # For satisfaction_rates: every stream's attendees and written returns.
            attendees=Coalesce(Sum("attendees"), 0),
            **{level.value: Coalesce(Sum(field), 0) for level, field in FEEDBACK_FIELDS.items()},
        )
        .order_by()
    )
    months, received = {}, {}
    for row in by_stream:
        key = _month_key(row.pop("month"))
        borough_id = row.pop("borough_id")
        sessions, attendees = row.pop("input_sessions"), row.pop("input_attendees")
        first_input = row.pop("first_input")
        if sessions:
            received.setdefault(key, {})[borough_id] = [
                sessions,
                attendees,
                first_input.isoformat(),
            ]
        month = months.get(key)
        if month is None:
            months[key] = row
        else:
            for name, value in row.items():
                month[name] += value
    if not months:
        return months, received
    months = dict(sorted(months.items()))
    # Product coverage only for the presentation streams, in its own query: filtering the
    # streams first halves the EXISTS probes, and each EXISTS counts a session once per column
    # however many other products it covered.
    by_product = (
        in_period.filter(stream__in=PRESENTATION_STREAMS)
        .annotate(month=TruncMonth("delivered_on"))
        .values("month")
        .annotate(
            attending_preventing_deaths_in_custody=_sum(covers(product_ids.get(DEATHS_IN_CUSTODY))),
            attending_computer_misuse=_sum(covers(product_ids.get(COMPUTER_MISUSE))),
        )
        .order_by("month")
    )
    for row in by_product:
        months[_month_key(row.pop("month"))].update(row)
    for row in months.values():
        row.setdefault("attending_preventing_deaths_in_custody", 0)
        row.setdefault("attending_computer_misuse", 0)
    return months, received


def _month_key(month):
    return month.strftime("%Y-%m")


def _is_whole_log(deliveries):
    """True when the queryset is every session (what visible_to gives anyone who may read the
    log): only then do the stored month figures apply."""
    query = deliveries.query
    return (
        deliveries.model is Delivery
        and not query.where.children
        and not query.combinator
        and not query.annotations
        and not query.is_sliced
    )


# The stored months hold the whole log's figures, served to every reader of the log. That is
# right only while no session can be restricted to cleared readers (dps.visibility): a session
# model that gains a `restricted_path` needs a stored slice per clearance first.
assert getattr(Delivery, "restricted_path", None) is None, "store month figures per clearance"


def _period_parts(start, end):
    """The period as (whole months, partial days): the first days of the calendar months that
    lie wholly inside it, and the (first, last) day ranges at either end that do not."""
    whole, partial = [], []
    month = start.replace(day=1)
    while month <= end:
        month_end = _month_end(month)
        first, last = max(month, start), min(month_end, end)
        if (first, last) == (month, month_end):
            whole.append(month)
        else:
            partial.append((first, last))
        month = month_end + datetime.timedelta(days=1)
    return whole, partial


@dataclass
class PeriodCounts:
    """What the statistics are assembled from: each month's figures ({"2007-01": {...}} for the
    months with a session, as count_months gives them) and each borough's PSSP input
    ({borough id: [sessions, attendees, "first date"]})."""

    months: dict
    received: dict


def period_counts(deliveries, start, end):
    """The period's counts. For the whole log, the whole calendar months in the period are read
    from MonthFigures (a month not written since it was counted costs no session read; the
    others are counted together and stored for next time) and only the days at either end that
    are not a whole month are counted. Any narrowed queryset is counted from its sessions."""
    if _is_whole_log(deliveries):
        whole, partial = _period_parts(start, end)
    else:
        whole, partial = [], [(start, end)] if start <= end else []
    counts = _stored_months(deliveries, whole)
    if partial:
        in_period = _in_period(deliveries, partial[0][0], partial[-1][1]).filter(
            _any_range(partial)
        )
        counted, by_month = count_months_and_input(in_period)
        counts.months.update(counted)
        for month in by_month.values():
            for borough_id, part in month.items():
                _add_received(counts.received, borough_id, part)
    counts.months = dict(sorted(counts.months.items()))
    return counts


def month_figures(deliveries, start, end):
    """{"2007-01": {...}, ...}: each month's figures for the months with a session (see
    period_counts: whole months of the whole log come from MonthFigures)."""
    return period_counts(deliveries, start, end).months


def _stored_months(deliveries, months):
    """PeriodCounts for these whole months of the whole log: from MonthFigures where current,
    the others counted (together) and stored."""
    if not months:
        return PeriodCounts({}, {})
    # The versions are read BEFORE counting (see MonthFigures): figures stored for a version
    # that a concurrent write has bumped are never served.
    stored = {row.month: row for row in MonthFigures.objects.filter(month__in=months)}
    counts, stale = PeriodCounts({}, {}), []
    for month in months:
        row = stored.get(month)
        if row is not None and row.is_current:
            if row.figures:
                counts.months[_month_key(month)] = row.figures
            for borough_id, received in row.boroughs.items():
                _add_received(counts.received, int(borough_id), received)
        else:
            stale.append(month)
    if stale:
        in_period = _in_period(deliveries, stale[0], _month_end(stale[-1])).filter(
            _any_range([(month, _month_end(month)) for month in stale])
        )
        counted, by_month = count_months_and_input(in_period)
        rows = []
        for month in stale:
            key = _month_key(month)
            figures, received = counted.get(key, {}), by_month.get(key, {})
            if figures:
                counts.months[key] = figures
            for borough_id, borough_received in received.items():
                _add_received(counts.received, borough_id, borough_received)
            row = stored.get(month)
            rows.append((month, row.version if row else 0, figures, received))
        _store_month_figures(rows)
    return counts


def _count_received(in_period):
    """Each borough's PSSP input in these sessions: {borough id: [sessions, attendees, "first
    date"]} (one query)."""
    rows = (
        in_period.filter(_INPUT)
        .values("borough_id")
        .annotate(
            sessions=Count("pk"),
            attendees=Coalesce(Sum("attendees"), 0),
            first_input=Min("delivered_on"),
        )
        .values_list("borough_id", "sessions", "attendees", "first_input")
    )
    return {
        borough_id: [sessions, attendees, first_input.isoformat()]
        for borough_id, sessions, attendees, first_input in rows
    }


def _add_received(received, borough_id, more):
    """Add one part's [sessions, attendees, "first date"] for a borough to the period's."""
    sessions, attendees, first_input = more
    so_far = received.get(borough_id)
    if so_far is None:
        received[borough_id] = [sessions, attendees, first_input]
    else:
        so_far[0] += sessions
        so_far[1] += attendees
        so_far[2] = min(so_far[2], first_input)  # ISO dates: text order is date order


def _store_month_figures(rows):
    """Keep (month, version counted, figures, borough input) rows, in one statement: a month
    whose version a write has bumped since it was read keeps its newer version and is counted
    next time."""
    table = connection.ops.quote_name(MonthFigures._meta.db_table)
    json = MonthFigures._meta.get_field("figures")
    values, params = [], []
    for month, version, figures, boroughs in rows:
        values.append("(%s, %s, %s, %s, %s)")
        params += [
            month,
            version,
            version,
            json.get_db_prep_save(figures, connection),
            json.get_db_prep_save(boroughs, connection),
        ]
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} (month, version, counted_version, figures, boroughs) "  # noqa: S608 - table name from the model
            f"VALUES {', '.join(values)} ON CONFLICT (month) DO UPDATE "
            "SET figures = EXCLUDED.figures, boroughs = EXCLUDED.boroughs, "
            "counted_version = EXCLUDED.counted_version "
            f"WHERE {table}.version = EXCLUDED.counted_version",
            params,
        )


@contextmanager
def adding_sessions(days):
    """Around a write that only adds sessions, on these days: the months whose stored figures
    were current before it stay current, the new sessions' own figures added to them in the same
    transaction. Yields a list for the writer to put the new sessions' ids in.

    Without this every session logged made its month stale, and the next reader of the
    statistics counted the whole month again (issue 16: a month of a million-session log is some
    4,000 sessions, read again after every session logged). The new sessions are counted by the
    same rule as any month (`_count_months_and_input`, on just those sessions), and the figures
    are sums and, per borough, the first date of input, so adding is exact; corrections and
    deletions still make the month stale and it is counted again.

    The months are bumped first (note_months_changed), which locks their rows until the write
    commits, so nothing else can change them meanwhile; a month was current before the write
    when it was counted for the version just before that bump. Call it inside the write's
    transaction.
    """
    months = sorted({first_of_month(day) for day in days if day is not None})
    note_months_changed(months)
    current = [
        row
        for row in MonthFigures.objects.filter(month__in=months)
        if row.is_counted_for(row.version - 1)
    ]
    added = []
    yield added
    if not current or not added:
        return
    counted, received = _count_months_and_input(
        Delivery.objects.filter(pk__in=added).order_by(), _covers
    )
    for row in current:
        key = _month_key(row.month)
        figures = dict(row.figures)
        for name, value in counted.get(key, {}).items():
            figures[name] = figures.get(name, 0) + value
        boroughs = {borough_id: list(part) for borough_id, part in row.boroughs.items()}
        for borough_id, part in received.get(key, {}).items():
            _add_received(boroughs, str(borough_id), part)  # JSON keys are text
        # The version now includes every bump of this write (ours and the signals'): these
        # figures are those of that version.
        MonthFigures.objects.filter(month=row.month).update(
            figures=figures, boroughs=boroughs, counted_version=F("version")
        )


def _month_end(month):
    return (month + datetime.timedelta(days=32)).replace(day=1) - datetime.timedelta(days=1)


def _any_range(ranges):
    """Sessions in any of these (first, last) day ranges (in date order), one range per run of
    adjacent ones."""
    runs, condition = [], Q()
    for first, last in ranges:
        if runs and (runs[-1][1] + datetime.timedelta(days=1)) == first:
            runs[-1][1] = last
        else:
            runs.append([first, last])
    for first, last in runs:
        condition |= Q(delivered_on__gte=first, delivered_on__lte=last)
    return condition


def monthly_tables(deliveries, start, end):
    """The report's three monthly tables for `start`..`end` (inclusive), each with a Total row.

    Returns::

        {"presentations": [{"month": "2007-01", "pssp_attendees": 128, ...}, ..., Total row],
         "civil_actions": [{"month": "2007-01", "sessions": 19, "attendees": 314}, ..., Total],
         "accident_claims": [{"month": "2007-01", "participants": 132}, ..., Total],
         "period": {"start": "2007-01-01", "end": "2007-12-31", "label": "2007"}}

    Columns: people at `pssp` sessions; people at `non-pssp` sessions; their sum; people at
    `pssp`/`non-pssp` sessions covering product `deaths-in-custody` / `computer-misuse`;
    `civil-actions` sessions and their attendees; `accident-claims` attendees.

    Month rule: a month gets a row when any session of any stream was logged in it (even one
    with no attendees), and that month then appears in ALL three tables, with zeros where a
    table has nothing. So the three tables always list the same months, in order, and the
    published 2007 accident-claims table keeps its "March 0" row. Months with no sessions at all
    are left out. `period` is descriptive only (for captions); the three tables are the figures.
    """
    return tables_from_month_figures(month_figures(deliveries, start, end), start, end)


def tables_from_month_figures(figures, start, end):
    """The three tables (and `period`) from month_figures' or count_months' {month: figures}."""
    tables = {key: [] for key in TABLE_KEYS}
    for month, row in figures.items():
        tables["presentations"].append(
            {
                "month": month,
                "pssp_attendees": row["pssp_attendees"],
                "non_pssp_attendees": row["non_pssp_attendees"],
                "total_people": row["pssp_attendees"] + row["non_pssp_attendees"],
                "attending_preventing_deaths_in_custody": row[
                    "attending_preventing_deaths_in_custody"
                ],
                "attending_computer_misuse": row["attending_computer_misuse"],
            }
        )
        tables["civil_actions"].append(
            {"month": month, "sessions": row["civil_sessions"], "attendees": row["civil_attendees"]}
        )
        tables["accident_claims"].append({"month": month, "participants": row["participants"]})
    for key, columns in TABLE_COLUMNS.items():
        month_rows = tables[key]
        month_rows.append(
            {"month": TOTAL, **{column: sum(r[column] for r in month_rows) for column in columns}}
        )
    tables["period"] = {
        "start": start.isoformat(),
        "end": end.isoformat(),
        "label": period_label(start, end),
    }
    return tables


def figures_only(tables):
    """The three tables without `period`: what `delivery_stats` prints."""
    return {key: tables[key] for key in TABLE_KEYS}


def borough_coverage(user, start, end):
    """Which London boroughs received PSSP input in the period, and how much, by family group.

    The one answer to "which boroughs received PSSP input?": the statistics page, the committee
    report's coverage block, the engagement coverage page and the borough pages all read it here.

    PSSP input is `Delivery.objects.pssp_input()`: the pssp, civil-actions and accident-claims
    streams (non-PSSP sessions are other DPS presentations). The London boroughs counted are the
    active boroughs in the reference data (32), never a number typed in. Everything is read
    through `visible_to(user)`: the caller says whose view it is, there is no "everything" default.

    Returns::

        {"period": {...}, "reached": 30, "total": 32, "unreached": ["Bexley", "Sutton"],
         "sessions": 410, "attendees": 9140,
         "groups": [{"name": "Family group 2", "sessions": ..., "attendees": ...,
                     "boroughs": [{"id": 7, "name": "Camden", "kind": "borough", "sessions": 12,
                                   "attendees": 260, "reached": true,
                                   "first_input": "2007-01-15"}, ...]}, ...]}

    Every counted borough is listed (reached or not), grouped by its family group (an empty one
    reads "No family group"); other units, and boroughs no longer active, are listed under "Other
    units" only when they received input. "reached" counts the London boroughs with at least one
    session: PSSP aims to reach all of them within twelve months. `first_input` is the date of the
    first session in the period (None without one).
    """
    # Counted here in one query rather than read from MonthFigures: alone, on the pages that
    # ask only for coverage (often of a period that is not whole months), reading the stored
    # months would add a query to every request. The statistics page, which reads them anyway,
    # takes its coverage from them (period_statistics).
    in_period = _in_period(Delivery.objects.visible_to(user), start, end)
    return coverage_from_counts(user, PeriodCounts({}, _count_received(in_period)), start, end)


def coverage_from_counts(user, counts, start, end):
    """borough_coverage's answer from period_counts' borough input (the boroughs read here)."""
    received = {
        borough_id: {"sessions": sessions, "attendees": attendees, "first_input": first_input}
        for borough_id, (sessions, attendees, first_input) in counts.received.items()
    }
    groups = {}
    unreached = []
    reached = total = 0
    boroughs = Borough.objects.visible_to(user).order_by("name")
    for borough in boroughs.only("name", "kind", "family_group", "active"):
        figures = received.get(borough.pk)
        counted = borough.kind == UnitKind.BOROUGH and borough.active
        if not counted and figures is None:
            continue
        entry = {
            "id": borough.pk,
            "name": borough.name,
            "kind": borough.kind,
            "sessions": figures["sessions"] if figures else 0,
            "attendees": figures["attendees"] if figures else 0,
            "reached": figures is not None,
            "first_input": figures["first_input"] if figures else None,
        }
        if counted:
            total += 1
            if figures is None:
                unreached.append(borough.name)
            else:
                reached += 1
            group_name = borough.family_group or NO_FAMILY_GROUP
        else:
            group_name = OTHER_UNITS
        groups.setdefault(group_name, []).append(entry)

    def group_order(name):
        # Named family groups first (natural order), then unnamed boroughs, then other units.
        return (name == OTHER_UNITS, name == NO_FAMILY_GROUP, name)

    return {
        "period": {
            "start": start.isoformat(),
            "end": end.isoformat(),
            "label": period_label(start, end),
        },
        "reached": reached,
        "total": total,
        "unreached": unreached,
        "sessions": sum(entry["sessions"] for group in groups.values() for entry in group),
        "attendees": sum(entry["attendees"] for group in groups.values() for entry in group),
        "groups": [
            {
                "name": name,
                "sessions": sum(entry["sessions"] for entry in groups[name]),
                "attendees": sum(entry["attendees"] for entry in groups[name]),
                "boroughs": groups[name],
            }
            for name in sorted(groups, key=group_order)
        ],
    }


def london_boroughs(coverage):
    """The London boroughs a `borough_coverage` result counts, by name (other units left out)."""
    return sorted(
        (
            entry
            for group in coverage["groups"]
            if group["name"] != OTHER_UNITS
            for entry in group["boroughs"]
        ),
        key=lambda entry: entry["name"],
    )


def coverage_entry(coverage, name):
    """One borough's or unit's entry in a `borough_coverage` result; None when it is not listed
    (a unit that received no input)."""
    return next(
        (
            entry
            for group in coverage["groups"]
            for entry in group["boroughs"]
            if entry["name"] == name
        ),
        None,
    )


def _percent(part, whole):
    return round(100 * part / whole, 1) if whole else None


def satisfaction_rates(deliveries, start, end):
    """Written-feedback returns by level, as counts and as a share of all returns.

    Returns::

        {"period": {...}, "attendees": 7847, "returns": 5120, "response_rate": 65.2,
         "satisfied_rate": 93.4,
         "levels": [{"level": "very-satisfied", "label": "Very satisfied", "returns": 2900,
                     "percent": 56.6}, ...]}

    `satisfied_rate` is very satisfied plus satisfied as a percentage of returns;
    `response_rate` is returns as a percentage of attendees. Rates are None when there is
    nothing to divide by (no returns or no attendees), never a misleading 0.
    """
    return satisfaction_from_months(month_figures(deliveries, start, end), start, end)


def satisfaction_from_months(months, start, end):
    """satisfaction_rates' answer from month_figures' or count_months' {month: figures}."""
    months = months.values()
    sums = {
        name: sum(month[name] for month in months)
        for name in ("attendees", *(level.value for level in FEEDBACK_FIELDS))
    }
    returns = sum(sums[level.value] for level in FEEDBACK_FIELDS)
    satisfied = sums[Satisfaction.VERY_SATISFIED.value] + sums[Satisfaction.SATISFIED.value]
    return {
        "period": {
            "start": start.isoformat(),
            "end": end.isoformat(),
            "label": period_label(start, end),
        },
        "attendees": sums["attendees"],
        "returns": returns,
        "response_rate": _percent(returns, sums["attendees"]),
        "satisfied_rate": _percent(satisfied, returns),
        "levels": [
            {
                "level": level.value,
                "label": level.label,
                "returns": sums[level.value],
                "percent": _percent(sums[level.value], returns),
            }
            for level in FEEDBACK_FIELDS
        ],
    }


def period_statistics(user, start, end):
    """The statistics page's figures for this reader: the three monthly tables, borough coverage
    and satisfaction, assembled from one read of the stored months (period_counts), as
    monthly_tables, borough_coverage and satisfaction_rates give them one by one."""
    counts = period_counts(Delivery.objects.visible_to(user), start, end)
    return {
        "tables": tables_from_month_figures(counts.months, start, end),
        "coverage": coverage_from_counts(user, counts, start, end),
        "satisfaction": satisfaction_from_months(counts.months, start, end),
    }


def month_label(month, *, with_year=True):
    """'2007-01' -> 'Jan 2007' ('Jan' without the year); anything else, such as 'Total', as is."""
    try:
        first = datetime.date.fromisoformat(f"{month}-01")
    except (TypeError, ValueError):
        return month
    return f"{first:%b %Y}" if with_year else f"{first:%b}"


# The tables' and columns' names as the page prints them, for cells listed outside their table.
TABLE_NAMES = {
    "presentations": "Presentations",
    "civil_actions": "Civil actions",
    "accident_claims": "Accident claims",
}
COLUMN_NAMES = {
    "pssp_attendees": "PSSP presentations (people)",
    "non_pssp_attendees": "Non-PSSP presentations (people)",
    "total_people": "Total no. of people",
    "attending_preventing_deaths_in_custody": "No. attending Preventing Deaths in Custody",
    "attending_computer_misuse": "No. attending Computer Misuse",
    "sessions": "Sessions",
    "attendees": "Numbers",
    "participants": "Numbers",
}


@dataclass(frozen=True)
class RevisedCell:
    table: str
    month: str
    column: str
    published: int
    now: int

    @property
    def change(self):
        return self.now - self.published


def revised_cells(published, now):
    """Every cell of two sets of the three monthly tables (a published report's frozen figures,
    or the figures as known on a date, against today's) whose figure differs, month by month (a
    month that appears on one side only counts as zeros on the other), totals last. `published`
    is the earlier figure, whatever its source."""
    cells = []
    for table, columns in TABLE_COLUMNS.items():
        before = {row["month"]: row for row in published.get(table, [])}
        after = {row["month"]: row for row in now.get(table, [])}
        months = sorted((before.keys() | after.keys()) - {TOTAL}) + [TOTAL]
        for month in months:
            for column in columns:
                old = before.get(month, {}).get(column, 0)
                new = after.get(month, {}).get(column, 0)
                if old != new:
                    cells.append(
                        RevisedCell(
                            TABLE_NAMES[table], month_label(month), COLUMN_NAMES[column], old, new
                        )
                    )
    return cells
