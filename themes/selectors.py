"""Reads for the strategic programme. Every one starts from a `visible_to(user)` queryset.

The three `*_block` / `*_content` functions are the contract other apps (committee reports, PDFs)
embed: they return plain JSON-serialisable dicts (dates as ISO strings, RAG as value, label and
colour), and the templates in templates/themes/includes/ render from those dicts alone, so a
frozen copy renders exactly as the live block did. Each raises Theme.DoesNotExist for a theme the
user may not see (restricted, or no permission), never returning its content.

Shapes (a RAG is always {"value", "label", "colour"}; dates are "YYYY-MM-DD" or None):

theme_milestones_block(user, theme_code) ->
    {"kind": "theme-milestones", "as_at", "theme": {"code", "name", "restricted",
     "tolerance_days"}, "computed_rag": RAG, "counts": [RAG + {"count"}],
     "milestones": [{"id", "title", "deliverable", "owner", "baseline", "forecast", "actual",
                     "status", "status_label", "rag", "rag_label", "rag_colour",
                     "slippage_days", "overdue"}]}
    template: themes/includes/milestone_table.html

programme_summary_block(user, as_at=None) ->
    {"kind": "programme-summary", "as_at", "programme": {"name", "start", "end"},
     "rag_columns": [RAG], "totals": [RAG + {"count"}], "exception_count",
     "exceptions": [milestone row + {"theme", "tolerance_days"}] (worst 25),
     "themes": [{"code", "name", "restricted", "tolerance_days", "rag": RAG (latest update),
                 "rag_reason", "rag_as_at", "computed_rag": RAG, "counts": [RAG + {"count"}],
                 "milestone_total", "overdue", "exceptions"}]}
    template: themes/includes/programme_summary.html

highlight_report_content(user, theme_code, start, end) -> (themes/asat.py: built from the
    programme as it stood at the period's end)
    {"kind": "theme-highlight", "theme", "lead", "period": {"start", "end"},
     "next_period": {"start", "end"}, "status": {"rag": RAG, "reason", "as_at", "author"},
     "computed_rag": RAG, "completed": [milestone row], "due_next_period": [milestone row],
     "slipped": [milestone row + {"reforecasts": [{"previous", "new", "days", "reason", "by",
                                                   "on"}]}],
     "risks": [{"id", "title", "cause", "event", "effect", "score_before", "score_after",
                "proximity", "response_category", "owner", "actionee", "review_date"}],
     "issues": [{"id", "title", "type", "priority", "owner", "raised_on"}],
     "decisions": [{"title", "decided_on", "decided_by"}]}
    template: themes/includes/highlight_report.html

Include the templates with an explicit name, e.g.
`{% include "themes/includes/milestone_table.html" with block=milestones %}`: inside a page's
`{% block %}` the name `block` itself means the template block, so never pass `block=block`.
"""

import datetime

from django.db.models import Count, F, OuterRef, Q, Subquery, Sum
from django.db.models.functions import Coalesce
from django.utils import timezone

from dps.audit import person_name
from dps.visibility import clearance_filter, read_permission
from themes.choices import (
    RAG_ORDER,
    ActionStatus,
    MilestoneStatus,
    RiskStatus,
)
from themes.models import (
    DecisionAction,
    Milestone,
    Programme,
    Risk,
    SupportingArea,
    Theme,
    ThemeFinance,
    ThemeStatusUpdate,
    milestone_overdue_on,
)
from themes.rag import EXCEPTION_RAGS, is_exception, rag_dict, worst_rag

EXCEPTIONS_SHOWN = 25


def current_programme():
    return Programme.objects.order_by("-start_date").first()


def reporting_date(programme=None):
    """The date the programme is reported as at: the programme's chosen date, else today."""
    if programme is not None and programme.reporting_date:
        return programme.reporting_date
    return timezone.localdate()


def programme_overview(user):
    """The current programme and the themes this user may see, with their supporting areas."""
    programme = current_programme()
    if programme is None:
        return None, []
    themes = (
        Theme.objects.visible_to(user)
        .filter(programme=programme)
        .select_related("lead")
        .prefetch_related("supporting_areas")
    )
    return programme, list(themes)


def visible_theme(user, theme_code, programme=None):
    """The theme with this code in the current programme, or Theme.DoesNotExist if this user may
    not see it (restricted themes are indistinguishable from missing ones)."""
    programme = programme or current_programme()
    return (
        Theme.objects.visible_to(user)
        .select_related("programme", "lead")
        .get(programme=programme, code=theme_code)
    )


def _iso(date):
    return date.isoformat() if date else None


def _theme_dict(theme):
    return {
        "code": theme.code,
        "name": theme.name,
        "restricted": theme.restricted,
        "tolerance_days": theme.effective_time_tolerance_days,
    }


def milestone_row(milestone, as_at):
    rag = rag_dict(milestone.rag)
    return {
        "id": milestone.pk,
        "title": milestone.title,
        "deliverable": milestone.deliverable.title,
        "owner": person_name(milestone.owner),
        "baseline": _iso(milestone.baseline_date),
        "forecast": _iso(milestone.forecast_date),
        "actual": _iso(milestone.actual_date),
        "status": milestone.status,
        "status_label": milestone.get_status_display(),
        "rag": rag["value"],
        "rag_label": rag["label"],
        "rag_colour": rag["colour"],
        "slippage_days": milestone.slippage_days,
        "overdue": milestone.is_overdue(as_at),
    }


def _latest_update(theme, on=None):
    # The theme was read through the visibility layer; its own status updates go with it.
    updates = theme.status_updates.all()
    if on is not None:
        updates = updates.filter(as_at__lte=on)
    return updates.select_related("author").first()


def _update_dict(update):
    if update is None:
        return {"rag": rag_dict(None), "reason": "", "as_at": None, "author": ""}
    return {
        "rag": rag_dict(update.rag),
        "reason": update.reason,
        "as_at": _iso(update.as_at),
        "author": person_name(update.author),
    }


def theme_milestones_block(user, theme_code):
    theme = visible_theme(user, theme_code)
    as_at = reporting_date(theme.programme)
    milestones = (
        Milestone.objects.visible_to(user)
        .filter(deliverable__theme=theme)
        .select_related("deliverable", "owner")
        .order_by("deliverable__order", "deliverable__title", "forecast_date", "pk")
    )
    rows = [milestone_row(milestone, as_at) for milestone in milestones]
    counts = {rag.value: 0 for rag in RAG_ORDER}
    for row in rows:
        counts[row["rag"]] = counts.get(row["rag"], 0) + 1
    return {
        "kind": "theme-milestones",
        "theme": _theme_dict(theme),
        "as_at": as_at.isoformat(),
        "computed_rag": rag_dict(worst_rag(row["rag"] for row in rows)),
        "counts": [{**rag_dict(rag), "count": counts[rag.value]} for rag in RAG_ORDER],
        "milestones": rows,
    }


def programme_summary_block(user, as_at=None, programme=None):
    programme = programme or current_programme()
    as_at = as_at or reporting_date(programme)
    latest = ThemeStatusUpdate.objects.filter(theme=OuterRef("pk")).order_by(
        "-as_at", "-created_at", "-pk"
    )
    themes = list(
        Theme.objects.visible_to(user)
        .filter(programme=programme)
        .select_related("programme")
        .annotate(
            latest_rag=Subquery(latest.values("rag")[:1]),
            latest_reason=Subquery(latest.values("reason")[:1]),
            latest_as_at=Subquery(latest.values("as_at")[:1]),
        )
    )
    visible = Milestone.objects.visible_to(user).filter(deliverable__theme__in=themes)
    by_theme = {}
    for row in visible.values("deliverable__theme_id", "rag").annotate(
        count=Count("pk"),
        overdue=Count("pk", filter=milestone_overdue_on(as_at)),
    ):
        entry = by_theme.setdefault(row["deliverable__theme_id"], {"rags": {}, "overdue": 0})
        entry["rags"][row["rag"]] = row["count"]
        entry["overdue"] += row["overdue"]
    theme_rows = []
    totals = {rag.value: 0 for rag in RAG_ORDER}
    for theme in themes:
        entry = by_theme.get(theme.pk, {"rags": {}, "overdue": 0})
        counts = [{**rag_dict(rag), "count": entry["rags"].get(rag.value, 0)} for rag in RAG_ORDER]
        for rag in RAG_ORDER:
            totals[rag.value] += entry["rags"].get(rag.value, 0)
        theme_rows.append(
            {
                **_theme_dict(theme),
                "rag": rag_dict(theme.latest_rag),
                "rag_reason": theme.latest_reason or "",
                "rag_as_at": _iso(theme.latest_as_at),
                "computed_rag": rag_dict(worst_rag(entry["rags"])),
                "counts": counts,
                "milestone_total": sum(entry["rags"].values()),
                "overdue": entry["overdue"],
                "exceptions": sum(
                    count for rag, count in entry["rags"].items() if is_exception(rag)
                ),
            }
        )
    exceptions = (
        visible.filter(rag__in=EXCEPTION_RAGS)
        .select_related("deliverable__theme", "owner")
        .order_by("-slippage_days", "pk")[:EXCEPTIONS_SHOWN]
    )
    return {
        "kind": "programme-summary",
        "programme": {
            "name": programme.name if programme else "",
            "start": _iso(programme.start_date) if programme else None,
            "end": _iso(programme.end_date) if programme else None,
        },
        "as_at": as_at.isoformat(),
        "rag_columns": [rag_dict(rag) for rag in RAG_ORDER],
        "themes": theme_rows,
        "totals": [{**rag_dict(rag), "count": totals[rag.value]} for rag in RAG_ORDER],
        "exception_count": sum(count for rag, count in totals.items() if is_exception(rag)),
        "exceptions": [
            {
                **milestone_row(milestone, as_at),
                "theme": milestone.deliverable.theme.name,
                "tolerance_days": milestone.deliverable.theme.effective_time_tolerance_days,
            }
            for milestone in _with_programme(exceptions, programme)
        ],
    }


def _with_programme(milestones, programme):
    """Theme tolerances need the programme default; it is one row, so attach it in Python."""
    milestones = list(milestones)
    for milestone in milestones:
        milestone.deliverable.theme.programme = programme
    return milestones


PANEL_ROWS = 10


def _panel(queryset, limit=PANEL_ROWS, count=None):
    """A dashboard panel: how many, and the first few (two queries whatever the size)."""
    return {
        "count": queryset.count() if count is None else count,
        "rows": list(queryset[:limit]),
    }


def dashboard(user, *, as_at, slipped_since, programme=None):
    """Everything on the planning manager's dashboard, each figure from `visible_to(user)`."""
    M = Milestone  # noqa: N806 - short alias for the many querysets below
    programme = programme or current_programme()
    milestones = (
        M.objects.visible_to(user)
        .select_related("deliverable__theme", "owner")
        .defer("description", "deliverable__description", "deliverable__theme__description")
    )
    soon_30 = as_at + datetime.timedelta(days=30)
    soon_90 = as_at + datetime.timedelta(days=90)
    # One pass over the open milestones counts all three date panels (same rules as the
    # MilestoneQuerySet methods the rows and the linked lists use).
    counts = (
        M.objects.visible_to(user)
        .open()
        .aggregate(
            overdue=Count("pk", filter=milestone_overdue_on(as_at)),
            due_30=Count("pk", filter=Q(forecast_date__gte=as_at, forecast_date__lte=soon_30)),
            due_90=Count("pk", filter=Q(forecast_date__gte=as_at, forecast_date__lte=soon_90)),
        )
    )
    # Both ends of each dependency must be visible; joins, not IN (all milestones) subqueries.
    dependencies = M.depends_on.through.objects.filter(
        from_milestone__forecast_date__lt=Coalesce(
            F("to_milestone__actual_date"), F("to_milestone__forecast_date")
        )
    ).exclude(from_milestone__status=MilestoneStatus.COMPLETE)
    if not user.has_perm(read_permission(M)):
        dependencies = dependencies.none()
    for end in ("from_milestone", "to_milestone"):
        dependencies = clearance_filter(dependencies, user, f"{end}__{M.restricted_path}")
    dependencies = dependencies.select_related(
        "from_milestone__deliverable__theme", "to_milestone"
    ).order_by("from_milestone__forecast_date", "pk")
    risks = (
        Risk.objects.visible_to(user)
        .filter(status=RiskStatus.OPEN, review_date__lt=as_at)
        .select_related("theme", "owner")
        .order_by("review_date", "pk")
    )
    return {
        "programme": programme,
        "as_at": as_at,
        "slipped_since": slipped_since,
        "soon_30": soon_30,
        "soon_90": soon_90,
        "summary": programme_summary_block(user, as_at=as_at, programme=programme),
        "overdue": _panel(
            milestones.overdue(as_at).order_by("forecast_date", "pk"), count=counts["overdue"]
        ),
        "due_30": _panel(
            milestones.due_between(as_at, soon_30).order_by("forecast_date", "pk"),
            count=counts["due_30"],
        ),
        "due_90": _panel(
            milestones.due_between(as_at, soon_90).order_by("forecast_date", "pk"),
            count=counts["due_90"],
        ),
        "slipped": _panel(milestones.slipped_since(slipped_since).order_by("-slippage_days", "pk")),
        "risks_for_review": _panel(risks),
        "actions_overdue": _panel(
            DecisionAction.objects.visible_to(user)
            .filter(status=ActionStatus.OPEN, due_date__lt=as_at)
            .select_related("decision__theme", "owner")
            .order_by("due_date", "pk")
        ),
        "dependency_warnings": _panel(dependencies),
        "cost_exceptions": cost_exceptions(user),
    }


def theme_finance_totals(user):
    """Budget, forecast, actual and savings per visible theme, summed in the database."""
    return list(
        ThemeFinance.objects.visible_to(user)
        .values("theme__code", "theme__name", "theme__cost_tolerance_percent")
        .annotate(
            budget=Sum("budget"),
            forecast=Sum("forecast"),
            actual=Sum("actual"),
            savings=Sum("savings_committed"),
        )
        .order_by("theme__order")
    )


def cost_exceptions(user):
    """Themes whose forecast spend exceeds budget by more than their cost tolerance."""
    return cost_breaches(theme_finance_totals(user))


def cost_breaches(totals):
    """The rows of `theme_finance_totals`' shape whose forecast exceeds budget beyond the
    theme's cost tolerance, with how far over (the one rule, for today and for a past date)."""
    breaches = []
    for row in totals:
        tolerance = row["theme__cost_tolerance_percent"]
        if tolerance is None or not row["budget"]:
            continue
        limit = row["budget"] * (1 + tolerance / 100)
        if row["forecast"] > limit:
            over = (row["forecast"] - row["budget"]) / row["budget"] * 100
            breaches.append({**row, "over_percent": round(over, 1), "limit": limit})
    return breaches


def supporting_area_grid(user):
    """Themes × supporting areas: how many milestones and open risks each area carries."""
    programme = current_programme()
    themes = list(Theme.objects.visible_to(user).filter(programme=programme))
    areas = list(SupportingArea.objects.filter(programme=programme))
    counts = {}
    for row in (
        Milestone.objects.visible_to(user)
        .filter(supporting_areas__isnull=False)
        .values("deliverable__theme_id", "supporting_areas")
        .annotate(count=Count("pk"))
    ):
        counts[(row["deliverable__theme_id"], row["supporting_areas"], "m")] = row["count"]
    for row in (
        Risk.objects.visible_to(user)
        .filter(status=RiskStatus.OPEN, supporting_areas__isnull=False)
        .values("theme_id", "supporting_areas")
        .annotate(count=Count("pk"))
    ):
        counts[(row["theme_id"], row["supporting_areas"], "r")] = row["count"]
    rows = []
    for theme in themes:
        cells = [
            {
                "area": area,
                "milestones": counts.get((theme.pk, area.pk, "m"), 0),
                "risks": counts.get((theme.pk, area.pk, "r"), 0),
            }
            for area in areas
        ]
        rows.append({"theme": theme, "cells": cells})
    return {"areas": areas, "rows": rows}
