import datetime
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Prefetch
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse

from dps import params
from dps.audit import history_for
from dps.models import AccessRecord
from dps.permissions import require_permission
from dps.views import FilteredTableView
from themes import forms as theme_forms
from themes.filters import MilestoneFilterSet, RiskFilterSet
from themes.ical import milestone_calendar
from themes.models import (
    Assumption,
    Benefit,
    CalendarFeed,
    Decision,
    DecisionAction,
    Deliverable,
    Issue,
    Milestone,
    MilestoneReforecast,
    Risk,
    Theme,
    ThemeFinance,
    ThemeStatusUpdate,
)
from themes.selectors import (
    current_programme,
    highlight_report_content,
    programme_overview,
    programme_summary_block,
    reporting_date,
    supporting_area_grid,
    theme_finance_totals,
    theme_milestones_block,
)
from themes.selectors import (
    dashboard as dashboard_figures,
)
from themes.services import (
    EditConflict,
    dependency_warnings,
    milestone_conflict,
    milestone_create,
    milestone_update,
    theme_refresh_rag,
)
from themes.tables import MilestoneTable, RiskTable
from themes.timeline import build_timeline


def _visible_theme_or_404(request, code):
    # A restricted theme is a 404 for users not cleared for it: they must not learn it exists.
    return get_object_or_404(
        Theme.objects.visible_to(request.user).select_related("programme", "lead"),
        programme=current_programme(),
        code=code,
    )


def _crumbs(*trail):
    return [("Programme", reverse("themes:programme")), *trail]


@require_permission("themes.view_theme")
def programme(request):
    programme, themes = programme_overview(request.user)
    return render(
        request,
        "themes/programme.html",
        {
            "programme": programme,
            "themes": themes,
            "summary_block": programme_summary_block(request.user) if programme else None,
        },
    )


@require_permission("themes.view_theme")
def theme_detail(request, code):
    theme = _visible_theme_or_404(request, code)
    user = request.user
    milestones_block = theme_milestones_block(user, code)
    milestones = (
        Milestone.objects.visible_to(user)
        .filter(deliverable__theme=theme)
        .prefetch_related("depends_on")
    )
    decisions = (
        Decision.objects.visible_to(user).filter(theme=theme).prefetch_related("actions__owner")
    )
    context = {
        "theme": theme,
        "milestones_block": milestones_block,
        "deliverables": theme.deliverables.all(),
        "supporting_areas": theme.supporting_areas.all(),
        "status_updates": ThemeStatusUpdate.objects.visible_to(user)
        .filter(theme=theme)
        .select_related("author"),
        "risks": Risk.objects.visible_to(user).filter(theme=theme).select_related("owner"),
        "assumptions": Assumption.objects.visible_to(user)
        .filter(theme=theme)
        .select_related("owner"),
        "issues": Issue.objects.visible_to(user).filter(theme=theme).select_related("owner"),
        "decisions": decisions,
        "benefits": Benefit.objects.visible_to(user)
        .filter(theme=theme)
        .select_related("owner")
        .prefetch_related("measurements"),
        "finances": ThemeFinance.objects.visible_to(user).filter(theme=theme),
        "finance_totals": next(
            (row for row in theme_finance_totals(user) if row["theme__code"] == code), None
        ),
        "warnings": dependency_warnings(milestones),
        "history": history_for(theme),
        "breadcrumbs": _crumbs((theme.name, None)),
    }
    return render(request, "themes/theme_detail.html", context)


@require_permission("themes.view_milestone")
def highlight(request, code):
    """What a highlight report for a period would say, as committee reports pre-fill it."""
    theme = _visible_theme_or_404(request, code)
    as_at = reporting_date(theme.programme)
    end = params.date(request.GET, "end", as_at)
    start = params.date(request.GET, "start", end - datetime.timedelta(days=90))
    period_error = ""
    if start > end:
        period_error = "The start of the period must be on or before its end"
        start = end - datetime.timedelta(days=90)
    return render(
        request,
        "themes/highlight.html",
        {
            "theme": theme,
            "start": start,
            "end": end,
            "period_error": period_error,
            "highlight": highlight_report_content(request.user, code, start, end),
            "breadcrumbs": _crumbs(
                (theme.name, theme_url(theme)), ("Highlight report content", None)
            ),
        },
    )


@require_permission("themes.view_milestone")
def dashboard(request):
    programme = current_programme()
    as_at = params.date(request.GET, "as_at", reporting_date(programme))
    since = params.date(request.GET, "slipped_since", as_at - datetime.timedelta(days=30))
    figures = dashboard_figures(request.user, as_at=as_at, slipped_since=since, programme=programme)
    # Every count links to the milestone list filtered to exactly the rows it counts.
    figures["queries"] = {
        "overdue": urlencode({"overdue_on": as_at.isoformat()}),
        "due_30": urlencode(
            {"open_only": "on", "due_after": as_at, "due_before": figures["soon_30"]}
        ),
        "due_90": urlencode(
            {"open_only": "on", "due_after": as_at, "due_before": figures["soon_90"]}
        ),
        "slipped": urlencode({"slipped_since": since.isoformat()}),
        "slipped_heading": f"Slipped since {since:%-d %b %Y}",
    }
    return render(request, "themes/dashboard.html", figures)


class MilestoneListView(FilteredTableView):
    permission_required = "themes.view_milestone"
    table_class = MilestoneTable
    filterset_class = MilestoneFilterSet
    list_title = "Milestones"
    export_name = "milestones"

    def get_queryset(self):
        return Milestone.objects.visible_to(self.request.user).select_related(
            "deliverable__theme", "owner"
        )


class RiskListView(FilteredTableView):
    permission_required = "themes.view_risk"
    table_class = RiskTable
    filterset_class = RiskFilterSet
    list_title = "Risks"
    export_name = "risks"

    def get_queryset(self):
        return Risk.objects.visible_to(self.request.user).select_related("theme", "owner")


@require_permission("themes.view_milestone")
def milestone_detail(request, pk):
    milestone = get_object_or_404(
        Milestone.objects.visible_to(request.user).select_related(
            "deliverable__theme__programme", "owner"
        ),
        pk=pk,
    )
    theme = milestone.deliverable.theme
    prerequisites = milestone.depends_on.all()
    return render(
        request,
        "themes/milestone_detail.html",
        {
            "milestone": milestone,
            "theme": theme,
            "prerequisites": prerequisites,
            "dependents": milestone.dependents.all(),
            "warnings": dependency_warnings([milestone]),
            "reforecasts": MilestoneReforecast.objects.visible_to(request.user)
            .filter(milestone=milestone)
            .select_related("made_by"),
            "history": history_for(milestone),
            "breadcrumbs": _crumbs(
                (theme.name, reverse("themes:theme-detail", args=[theme.code])),
                (milestone.title, None),
            ),
        },
    )


@require_permission("themes.add_milestone")
def milestone_create_view(request, code):
    theme = _visible_theme_or_404(request, code)
    form = theme_forms.MilestoneForm(request.POST or None, theme=theme, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        try:
            milestone = milestone_create(user=request.user, **data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, f"Milestone “{milestone.title}” added.")
            return redirect("themes:milestone-detail", pk=milestone.pk)
    return _form_page(
        request, form, f"Add a milestone to {theme.name}", theme, cancel=theme_url(theme)
    )


def theme_url(theme):
    return reverse("themes:theme-detail", args=[theme.code])


@require_permission("themes.change_milestone")
def milestone_edit(request, pk):
    milestone = get_object_or_404(
        Milestone.objects.visible_to(request.user).select_related("deliverable__theme__programme"),
        pk=pk,
    )
    theme = milestone.deliverable.theme
    form = theme_forms.MilestoneForm(
        request.POST or None, instance=milestone, theme=theme, user=request.user
    )
    conflict = None
    if request.method == "POST":
        try:
            submitted_version = int(request.POST.get("version") or 0)
        except ValueError:
            submitted_version = 0
        conflict = milestone_conflict(milestone, submitted_version)
        if conflict is None and form.is_valid():
            data = dict(form.cleaned_data)
            data.pop("version")
            reason = data.pop("reason", "")
            try:
                milestone = milestone_update(
                    milestone_id=milestone.pk,
                    user=request.user,
                    version=submitted_version,
                    reason=reason,
                    **data,
                )
            except EditConflict as error:  # someone saved between our check and the lock
                conflict = error
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(request, f"Milestone “{milestone.title}” saved.")
                return redirect("themes:milestone-detail", pk=milestone.pk)
        if conflict is not None:
            # Keep what this user typed, but let a deliberate re-save apply over the new version.
            post = request.POST.copy()
            post["version"] = conflict.current.version
            form = theme_forms.MilestoneForm(
                post, instance=conflict.current, theme=theme, user=request.user
            )
    return _form_page(
        request,
        form,
        f"Edit {milestone.title}",
        theme,
        cancel=reverse("themes:milestone-detail", args=[milestone.pk]),
        conflict=conflict,
        history=history_for(milestone),
    )


def _form_page(request, form, title, theme, *, cancel, conflict=None, history=None):
    return render(
        request,
        "themes/record_form.html",
        {
            "form": form,
            "page_title": title,
            "theme": theme,
            "cancel_url": cancel,
            "conflict": conflict,
            "history": history,
            "breadcrumbs": _crumbs((theme.name, theme_url(theme)), (title, None)),
        },
        status=409 if conflict else 200,
    )


def _theme_record_form(request, code, form_class, *, noun, instance=None, success=None):
    """Add or edit one record of a theme's RAID log, benefits, finance or status history."""
    theme = _visible_theme_or_404(request, code)
    form = form_class(request.POST or None, instance=instance, theme=theme)
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            if hasattr(form.instance, "author_id") and not form.instance.author_id:
                form.instance.author = request.user
            record = form.save()
        messages.success(request, f"{noun.capitalize()} saved.")
        return redirect(success(record) if success else theme_url(theme))
    title = f"Edit {noun}" if instance else f"Add {noun} to {theme.name}"
    return _form_page(
        request,
        form,
        title,
        theme,
        cancel=theme_url(theme),
        history=history_for(instance) if instance else None,
    )


def _record_of_visible_theme(request, model, pk):
    record = get_object_or_404(
        model.objects.visible_to(request.user).select_related("theme"), pk=pk
    )
    return record


@require_permission("themes.add_deliverable")
def deliverable_create(request, code):
    return _theme_record_form(request, code, theme_forms.DeliverableForm, noun="deliverable")


@require_permission("themes.change_deliverable")
def deliverable_edit(request, pk):
    deliverable = _record_of_visible_theme(request, Deliverable, pk)
    return _theme_record_form(
        request,
        deliverable.theme.code,
        theme_forms.DeliverableForm,
        noun="deliverable",
        instance=deliverable,
    )


@require_permission("themes.change_theme")
def theme_edit(request, code):
    theme = _visible_theme_or_404(request, code)
    form = theme_forms.ThemeForm(request.POST or None, instance=theme)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, "Theme saved.")
        return redirect(theme_url(theme))
    return _form_page(
        request, form, f"Edit {theme.name}", theme, cancel=theme_url(theme), history=None
    )


@require_permission("themes.change_decisionaction")
def action_edit(request, pk):
    action = get_object_or_404(
        DecisionAction.objects.visible_to(request.user).select_related("decision__theme"), pk=pk
    )
    decision = action.decision
    form = theme_forms.DecisionActionForm(request.POST or None, instance=action)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, "Action saved.")
        return redirect("themes:decision-detail", pk=decision.pk)
    return _form_page(
        request,
        form,
        "Edit action",
        decision.theme,
        cancel=reverse("themes:decision-detail", args=[decision.pk]),
        history=history_for(action),
    )


@require_permission("themes.add_themestatusupdate")
def status_update_create(request, code):
    return _theme_record_form(request, code, theme_forms.StatusUpdateForm, noun="status update")


@require_permission("themes.add_risk")
def risk_create(request, code):
    return _theme_record_form(
        request,
        code,
        theme_forms.RiskForm,
        noun="risk",
        success=lambda risk: reverse("themes:risk-detail", args=[risk.pk]),
    )


@require_permission("themes.change_risk")
def risk_edit(request, pk):
    risk = _record_of_visible_theme(request, Risk, pk)
    return _theme_record_form(
        request,
        risk.theme.code,
        theme_forms.RiskForm,
        noun="risk",
        instance=risk,
        success=lambda risk: reverse("themes:risk-detail", args=[risk.pk]),
    )


@require_permission("themes.view_risk")
def risk_detail(request, pk):
    risk = get_object_or_404(
        Risk.objects.visible_to(request.user).select_related("theme", "owner", "actionee"),
        pk=pk,
    )
    return _record_page(request, risk, "themes/risk_detail.html")


def _record_page(request, record, template, **extra):
    theme = record.theme
    return render(
        request,
        template,
        {
            "record": record,
            "theme": theme,
            "history": history_for(record),
            "breadcrumbs": _crumbs((theme.name, theme_url(theme)), (str(record)[:60], None)),
            **extra,
        },
    )


@require_permission("themes.add_assumption")
def assumption_create(request, code):
    return _theme_record_form(request, code, theme_forms.AssumptionForm, noun="assumption")


@require_permission("themes.change_assumption")
def assumption_edit(request, pk):
    assumption = _record_of_visible_theme(request, Assumption, pk)
    return _theme_record_form(
        request,
        assumption.theme.code,
        theme_forms.AssumptionForm,
        noun="assumption",
        instance=assumption,
    )


@require_permission("themes.add_issue")
def issue_create(request, code):
    return _theme_record_form(
        request,
        code,
        theme_forms.IssueForm,
        noun="issue",
        success=lambda issue: reverse("themes:issue-detail", args=[issue.pk]),
    )


@require_permission("themes.change_issue")
def issue_edit(request, pk):
    issue = _record_of_visible_theme(request, Issue, pk)
    return _theme_record_form(
        request,
        issue.theme.code,
        theme_forms.IssueForm,
        noun="issue",
        instance=issue,
        success=lambda issue: reverse("themes:issue-detail", args=[issue.pk]),
    )


@require_permission("themes.view_issue")
def issue_detail(request, pk):
    issue = get_object_or_404(
        Issue.objects.visible_to(request.user).select_related("theme", "owner", "raised_by"),
        pk=pk,
    )
    return _record_page(request, issue, "themes/issue_detail.html")


@require_permission("themes.add_decision")
def decision_create(request, code):
    return _theme_record_form(
        request,
        code,
        theme_forms.DecisionForm,
        noun="decision",
        success=lambda decision: reverse("themes:decision-detail", args=[decision.pk]),
    )


@require_permission("themes.view_decision")
def decision_detail(request, pk):
    decision = get_object_or_404(
        Decision.objects.visible_to(request.user)
        .select_related("theme")
        .prefetch_related("actions__owner"),
        pk=pk,
    )
    form = None
    if request.user.has_perm("themes.add_decisionaction"):
        form = theme_forms.DecisionActionForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            form.instance.decision = decision
            form.save()
            messages.success(request, "Action added.")
            return redirect("themes:decision-detail", pk=decision.pk)
    elif request.method == "POST":
        raise Http404
    return _record_page(request, decision, "themes/decision_detail.html", form=form)


@require_permission("themes.add_benefit")
def benefit_create(request, code):
    return _theme_record_form(
        request,
        code,
        theme_forms.BenefitForm,
        noun="benefit",
        success=lambda benefit: reverse("themes:benefit-detail", args=[benefit.pk]),
    )


@require_permission("themes.view_benefit")
def benefit_detail(request, pk):
    benefit = get_object_or_404(
        Benefit.objects.visible_to(request.user)
        .select_related("theme", "owner")
        .prefetch_related(Prefetch("measurements")),
        pk=pk,
    )
    form = None
    if request.user.has_perm("themes.add_benefitmeasurement"):
        form = theme_forms.BenefitMeasurementForm(request.POST or None, benefit=benefit)
        if request.method == "POST" and form.is_valid():
            form.save()
            messages.success(request, "Measurement recorded.")
            return redirect("themes:benefit-detail", pk=benefit.pk)
    elif request.method == "POST":
        raise Http404
    return _record_page(request, benefit, "themes/benefit_detail.html", form=form)


@require_permission("themes.add_themefinance")
def finance_create(request, code):
    return _theme_record_form(request, code, theme_forms.FinanceForm, noun="financial year")


@require_permission("themes.change_themefinance")
def finance_edit(request, pk):
    finance = _record_of_visible_theme(request, ThemeFinance, pk)
    return _theme_record_form(
        request,
        finance.theme.code,
        theme_forms.FinanceForm,
        noun="financial year",
        instance=finance,
    )


@require_permission("themes.change_theme")
def tolerances_edit(request, code):
    theme = _visible_theme_or_404(request, code)
    form = theme_forms.ToleranceForm(
        request.POST or None,
        initial={
            "time_tolerance_days": theme.time_tolerance_days,
            "cost_tolerance_percent": theme.cost_tolerance_percent,
            "scope_tolerance": theme.scope_tolerance,
        },
    )
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            for name, value in form.cleaned_data.items():
                setattr(theme, name, value)
            theme.save()
            changed = theme_refresh_rag(theme)
        messages.success(
            request,
            f"Tolerances saved; {changed} milestone RAG{'s' if changed != 1 else ''} changed.",
        )
        return redirect(theme_url(theme))
    return _form_page(request, form, f"Tolerances for {theme.name}", theme, cancel=theme_url(theme))


@require_permission("themes.view_milestone")
def grid(request):
    return render(
        request,
        "themes/grid.html",
        {**supporting_area_grid(request.user), "breadcrumbs": _crumbs(("Supporting areas", None))},
    )


@require_permission("themes.view_milestone")
def timeline(request):
    programme = current_programme()
    milestones = (
        Milestone.objects.visible_to(request.user)
        .filter(deliverable__theme__programme=programme)
        .select_related("deliverable__theme")
        .order_by("deliverable__theme__order", "deliverable__order", "baseline_date", "pk")
    )
    theme_code = params.text(request.GET, "theme")
    if theme_code:
        milestones = milestones.filter(deliverable__theme__code=theme_code)
    today = reporting_date(programme)
    chart = build_timeline(programme.start_date, milestones, today) if programme else None
    return render(
        request,
        "themes/timeline.html",
        {
            "chart": chart,
            "programme": programme,
            "themes": Theme.objects.visible_to(request.user).filter(programme=programme),
            "theme_code": theme_code,
            "breadcrumbs": _crumbs(("Timeline", None)),
        },
    )


@require_permission("themes.view_milestone")
def calendar(request):
    feed = CalendarFeed.objects.filter(user=request.user).first()
    if request.method == "POST":
        feed, _ = CalendarFeed.objects.update_or_create(
            user=request.user, defaults={"token": CalendarFeed.new_token()}
        )
        messages.success(
            request, "Your calendar address has been reset. The old address no longer works."
        )
        return redirect("themes:calendar")
    return render(
        request,
        "themes/calendar.html",
        {
            "feed": feed,
            "feed_url": request.build_absolute_uri(
                reverse("themes:calendar-feed", args=[feed.token])
            )
            if feed
            else None,
            "breadcrumbs": _crumbs(("Calendar feed", None)),
        },
    )


@login_not_required
def calendar_feed(request, token):
    """Calendar apps cannot sign in: the secret address stands in for the person's session, and
    the feed holds only what that person may see now (permissions are checked on every fetch)."""
    feed = CalendarFeed.objects.select_related("user").filter(token=token).first()
    # The address serves only someone who may still open the calendar page, like any export.
    if feed is None or not feed.user.is_active or not feed.user.has_perm("themes.view_milestone"):
        raise Http404
    user = feed.user
    milestones = (
        Milestone.objects.visible_to(user)
        .select_related("deliverable__theme", "owner")
        .order_by("forecast_date", "pk")
    )
    if params.choice(request.GET, "scope", ("all", "mine"), default="mine") == "mine":
        milestones = milestones.filter(owner=user)
    body = milestone_calendar(milestones, name="DPS milestones", host=request.get_host())
    AccessRecord.objects.create(
        user=user,
        kind=AccessRecord.Kind.DOWNLOAD,
        what="Milestone calendar feed",
        path=reverse("themes:calendar-feed", args=["…"]),
        rows=body.count("BEGIN:VEVENT"),
    )
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="milestones.ics"'
    response["Cache-Control"] = "private, no-store"
    return response
