"""Reads for tasking and the borough page. Aggregation happens in the database."""

from dataclasses import dataclass, field
from datetime import date

from django.db.models import Count, Max, Prefetch, Q, Sum
from django.db.models.functions import TruncMonth

from presentations.choices import Stream
from presentations.models import Delivery
from presentations.stats import borough_coverage, coverage_entry, london_boroughs
from pssp.choices import BoroughReportStatus, PlanActionStatus
from pssp.models import (
    BoroughReport,
    EngagementMeeting,
    Outcome,
    PlanAction,
    Source,
    SourceFigure,
    SourceReview,
    TaskingDecision,
)


def default_period(today=None):
    """The calendar year of the latest engagement or review on record, else this year."""
    today = today or date.today()
    latest = [
        EngagementMeeting.objects.aggregate(latest=Max("met_on"))["latest"],
        SourceReview.objects.aggregate(latest=Max("period_end"))["latest"],
    ]
    latest = [day for day in latest if day]
    year = max(latest).year if latest else today.year
    return date(year, 1, 1), date(year, 12, 31)


@dataclass
class ComparisonRow:
    borough_id: int
    borough: str
    figures: list = field(default_factory=list)  # one per source, None when not reviewed
    need: int = 0
    reviewed: bool = False
    sessions: int = 0
    attendees: int = 0
    need_rank: int | None = None
    delivery_rank: int | None = None


def borough_comparison(start, end, user):
    """Boroughs ranked by need (the sum of their source figures for reviews inside the period),
    beside the PSSP input they received in the period (sessions and attendees, as counted by
    `borough_coverage`)."""
    sources = list(Source.objects.visible_to(user).filter(active=True))
    coverage = borough_coverage(user, start, end)
    rows = {
        entry["id"]: ComparisonRow(
            entry["id"],
            entry["name"],
            figures=[None] * len(sources),
            sessions=entry["sessions"],
            attendees=entry["attendees"],
        )
        for entry in london_boroughs(coverage)
    }
    column = {source.id: index for index, source in enumerate(sources)}
    figures = (
        SourceFigure.objects.filter(
            review__in=SourceReview.objects.visible_to(user),
            review__period_start__gte=start,
            review__period_end__lte=end,
            source_id__in=column,
        )
        .values("review__borough_id", "source_id")
        .annotate(total=Sum("count"))
    )
    for figure in figures:
        row = rows.get(figure["review__borough_id"])
        if row is not None:
            row.figures[column[figure["source_id"]]] = figure["total"]
            row.need += figure["total"]
            row.reviewed = True
    ranked = sorted(rows.values(), key=lambda row: (-row.need, row.borough))
    _rank(ranked, key=lambda row: row.need, attribute="need_rank", only=lambda row: row.reviewed)
    _rank(
        sorted(ranked, key=lambda row: -row.attendees),
        key=lambda row: row.attendees,
        attribute="delivery_rank",
    )
    return sources, ranked


def rank_comparison(sources, rows, rank_by="need"):
    """The comparison rows ordered by one measure, greatest first; rows without it go last."""
    codes = [source.code for source in sources]
    if rank_by.startswith("source:") and rank_by[7:] in codes:
        index = codes.index(rank_by[7:])

        def measure(row):
            return row.figures[index]
    elif rank_by in ("attendees", "sessions"):

        def measure(row):
            return getattr(row, rank_by)
    else:

        def measure(row):
            return row.need if row.reviewed else None

    return sorted(rows, key=lambda row: (measure(row) is None, -(measure(row) or 0), row.borough))


def _rank(rows, *, key, attribute, only=lambda row: True):
    """Standard competition ranking (1, 2, 2, 4) over rows already sorted by key, descending."""
    position, previous, rank = 0, object(), None
    for row in rows:
        if not only(row):
            continue
        position += 1
        if key(row) != previous:
            rank, previous = position, key(row)
        setattr(row, attribute, rank)


def deliveries_by_month(borough, user):
    """Sessions and attendees per month for one borough, split by stream, from the delivery log."""
    return list(
        Delivery.objects.visible_to(user)
        .filter(borough=borough)
        .annotate(month=TruncMonth("delivered_on"))
        .values("month")
        .annotate(
            sessions=Count("id"),
            people=Sum("attendees"),
            pssp=Sum("attendees", filter=Q(stream=Stream.PSSP), default=0),
            non_pssp=Sum("attendees", filter=Q(stream=Stream.NON_PSSP), default=0),
            civil_actions=Sum("attendees", filter=Q(stream=Stream.CIVIL_ACTIONS), default=0),
            accident_claims=Sum("attendees", filter=Q(stream=Stream.ACCIDENT_CLAIMS), default=0),
        )
        .order_by("-month")
    )


def reports_with_progress(queryset):
    """Commissioned reports with their action plan and its progress counted in the database."""
    return queryset.select_related("borough", "action_plan").annotate(
        actions_total=Count("action_plan__actions"),
        actions_done=Count(
            "action_plan__actions", filter=Q(action_plan__actions__status=PlanActionStatus.DONE)
        ),
    )


def plan_progress(plan):
    counts = plan.actions.aggregate(
        total=Count("id"), done=Count("id", filter=Q(status=PlanActionStatus.DONE))
    )
    return counts["done"], counts["total"]


def borough_overview(borough, user):
    """Everything recorded about one borough, each part read through its `visible_to(user)`.

    `pssp_input` is the borough's entry in `borough_coverage` for the default period (None for a
    unit that received none), so the page agrees with the coverage and statistics pages.
    """
    start, end = default_period()
    coverage = borough_coverage(user, start, end)
    reviews = (
        SourceReview.objects.visible_to(user)
        .filter(borough=borough)
        .prefetch_related(Prefetch("figures", SourceFigure.objects.select_related("source")))
    )
    reports = reports_with_progress(
        BoroughReport.objects.visible_to(user).filter(borough=borough)
    ).prefetch_related(
        Prefetch("action_plan__actions", PlanAction.objects.order_by("due_on", "id"))
    )
    return {
        "pssp_input": coverage_entry(coverage, borough.name),
        "pssp_input_period": coverage["period"],
        "deliveries_by_month": deliveries_by_month(borough, user),
        "reviews": list(reviews),
        "meetings": list(EngagementMeeting.objects.visible_to(user).filter(borough=borough)),
        "reports": list(reports),
        "outcomes": list(
            Outcome.objects.visible_to(user)
            .filter(borough=borough)
            .select_related("product", "theme")
        ),
        "decisions": list(
            TaskingDecision.objects.visible_to(user)
            .filter(boroughs=borough)
            .select_related("meeting", "product")
        ),
    }


def planner_summary(user, today):
    return {
        "overdue_decisions": TaskingDecision.objects.visible_to(user).overdue(today).count(),
        "open_decisions": TaskingDecision.objects.visible_to(user).outstanding().count(),
        "reports_in_progress": BoroughReport.objects.visible_to(user)
        .exclude(status=BoroughReportStatus.CLOSED)
        .count(),
    }
