import datetime
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.db import transaction
from django.db.models import Prefetch
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django_tables2 import RequestConfig

from dps import exports, params
from dps.audit import history_for
from dps.models import AccessRecord
from dps.permissions import require_permission
from dps.records import RecordCreateView, RecordUpdateView, submitted_version
from dps.views import FilteredTableView
from themes import forms as theme_forms
from themes.asat import (
    COMPARISON_CSV_HEADERS,
    compare_programme,
    comparison_rows,
    dashboard_as_at,
    dependency_warnings_as_at,
    highlight_report_content,
    programme_as_at,
    theme_milestones_as_at,
)
from themes.choices import Rag
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
from themes.rag import EXCEPTION_RAGS
from themes.selectors import (
    current_programme,
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
    dependency_warnings,
    milestone_create,
    milestone_update,
    theme_tolerances_update,
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
    as_at = params.date(request.GET, "as_at", None)
    if as_at is not None and as_at < timezone.localdate():
        return _theme_as_at(request, theme, as_at)
    milestones_block = theme_milestones_block(user, code)
    milestones = (
        Milestone.objects.visible_to(user)
        .filter(deliverable__theme=theme)
        .prefetch_related(Prefetch("depends_on", Milestone.objects.visible_to(user)))
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


def _theme_as_at(request, theme, as_at):
    """The theme page as the theme stood on a past date: read-only."""
    state = programme_as_at(request.user, as_at, theme=theme.code)
    entry = state.theme_then(theme.code)
    return render(
        request,
        "themes/theme_as_at.html",
        {
            "theme": theme,
            "status": entry.status if entry else None,
            "milestones_block": theme_milestones_as_at(request.user, theme.code, as_at),
            "warnings": dependency_warnings_as_at(request.user, as_at, state.milestones),
            "risks": state.risks,
            "issues": state.issues,
            "decisions": [
                {"decision": decision, "actions": state.actions.get(decision.pk, [])}
                for decision in state.decisions
            ],
            "breadcrumbs": _crumbs((theme.name, None)),
            **_as_at_context(as_at),
        },
    )


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


def _as_at_context(as_at):
    """The banner's context: the date shown when it is not today (a past date is read-only)."""
    today = timezone.localdate()
    return {
        "today": today,
        "as_at_past": as_at if as_at != today else None,
        "read_only": as_at < today,
    }


@require_permission("themes.view_milestone")
def dashboard(request):
    programme = current_programme()
    as_at = params.date(request.GET, "as_at", reporting_date(programme))
    since = params.date(request.GET, "slipped_since", as_at - datetime.timedelta(days=30))
    # A past date is the programme as it stood then, rebuilt from the audit history; today or a
    # date ahead is the records as they stand, with overdue and due-soon counted from it.
    read = dashboard_as_at if as_at < timezone.localdate() else dashboard_figures
    figures = read(request.user, as_at=as_at, slipped_since=since, programme=programme)
    figures.update(_as_at_context(as_at))
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
        "exceptions": urlencode({"rag": EXCEPTION_RAGS[0]}),
        "risks_for_review": urlencode({"status": "open", "review_before": as_at.isoformat()}),
    }
    if figures["read_only"]:
        # The lists behind the counts read the records as they stand; in the past they open
        # as at the same date instead of filtered to rows that may no longer match (the
        # exceptions and the risks past review narrowed as they stood then).
        as_at_query = urlencode({"as_at": as_at.isoformat()})
        figures["queries"].update(
            dict.fromkeys(("overdue", "due_30", "due_90", "slipped"), as_at_query)
        )
        figures["queries"]["exceptions"] = urlencode(
            {"as_at": as_at.isoformat(), "rag": EXCEPTION_RAGS[0]}
        )
        figures["queries"]["risks_for_review"] = urlencode(
            {"as_at": as_at.isoformat(), "review_before": as_at.isoformat()}
        )
    return render(request, "themes/dashboard.html", figures)


@require_permission("themes.view_milestone")
def compare(request):
    """What changed between two dates (?from=&to=&theme=), as a page or (?_export=csv) a CSV."""
    today = timezone.localdate()
    date_to = params.date(request.GET, "to", today)
    date_from = params.date(request.GET, "from", date_to - datetime.timedelta(days=90))
    themes = list(Theme.objects.visible_to(request.user).filter(programme=current_programme()))
    code = params.choice(request.GET, "theme", {t.code for t in themes}, default=None)
    comparison = compare_programme(request.user, date_from, date_to, theme=code)
    export = params.choice(request.GET, "_export", exports.EXPORT_FORMATS, default=None)
    if export:
        return exports.dataset_download(
            request,
            exports.rows_dataset(COMPARISON_CSV_HEADERS, comparison_rows(comparison)),
            export,
            what=f"baseline comparison {comparison['from']} to {comparison['to']}",
            filename=f"changes-{comparison['from']}-to-{comparison['to']}",
        )
    query = {"from": comparison["from"], "to": comparison["to"], "_export": "csv"}
    if code:
        query["theme"] = code
    return render(
        request,
        "themes/compare.html",
        {
            "comparison": comparison,
            "date_from": datetime.date.fromisoformat(comparison["from"]),
            "date_to": datetime.date.fromisoformat(comparison["to"]),
            "themes": themes,
            "theme_code": code or "",
            "csv_query": urlencode(query),
            "breadcrumbs": _crumbs(("Baseline comparison", None)),
        },
    )


class AsAtListMixin:
    """A list that takes ?as_at=: a past date shows the rows as they stood then (read-only,
    without the filters and exports, which read today's records)."""

    def rows_as_at(self, state):
        raise NotImplementedError

    def get(self, request, *args, **kwargs):
        as_at = params.date(request.GET, "as_at", None)
        if as_at is None or as_at >= timezone.localdate():
            return super().get(request, *args, **kwargs)
        state = programme_as_at(request.user, as_at)
        table = self.table_class(self.rows_as_at(state))
        RequestConfig(request, paginate={"per_page": self.paginate_by}).configure(table)
        return render(
            request,
            "themes/list_as_at.html",
            {"table": table, "list_title": self.list_title, **_as_at_context(as_at)},
        )


class MilestoneListView(AsAtListMixin, FilteredTableView):
    permission_required = "themes.view_milestone"
    table_class = MilestoneTable
    filterset_class = MilestoneFilterSet
    list_title = "Milestones"
    export_name = "milestones"

    def rows_as_at(self, state):
        # ?rag= narrows to one RAG then (the past dashboard's exceptions link).
        rag = params.choice(self.request.GET, "rag", {r.value for r in Rag}, default=None)
        return sorted(
            (m for m in state.milestones if rag is None or m.rag == rag),
            key=lambda m: (m.forecast_date, m.pk),
        )

    def get_queryset(self):
        return Milestone.objects.visible_to(self.request.user).select_related(
            "deliverable__theme", "owner"
        )


class RiskListView(AsAtListMixin, FilteredTableView):
    permission_required = "themes.view_risk"
    table_class = RiskTable
    filterset_class = RiskFilterSet
    list_title = "Risks"
    export_name = "risks"

    def rows_as_at(self, state):
        # ?review_before= keeps the risks (open then) whose review date had passed by it
        # (the past dashboard's "past their review date" link).
        before = params.date(self.request.GET, "review_before", None)
        return sorted(
            (r for r in state.risks if before is None or r.review_date < before),
            key=lambda r: (r.review_date, r.pk),
        )

    def get_queryset(self):
        return Risk.objects.visible_to(self.request.user).select_related("theme", "owner")


@require_permission("themes.view_milestone")
def milestone_detail(request, pk):
    # A prerequisite or dependent may sit in a theme this reader is not cleared for.
    linked = Milestone.objects.visible_to(request.user)
    milestone = get_object_or_404(
        Milestone.objects.visible_to(request.user)
        .select_related("deliverable__theme__programme", "owner")
        .prefetch_related(Prefetch("depends_on", linked), Prefetch("dependents", linked)),
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


def theme_url(theme):
    return reverse("themes:theme-detail", args=[theme.code])


class ThemeRecordScreen:
    """A theme's record pages: the theme comes from the URL (to add) or the record (to edit)."""

    noun = ""
    detail_url_name = ""  # the record's own page, if it has one; else back to the theme

    def narrow(self, queryset):
        return queryset.select_related("theme")

    def get_theme(self):
        if self.has_object():
            return self.object.theme
        if not hasattr(self, "_theme"):
            self._theme = _visible_theme_or_404(self.request, self.kwargs["code"])
        return self._theme

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "theme": self.get_theme()}

    def page_title(self):
        if self.has_object():
            return f"Edit {self.noun}"
        return f"Add {self.noun} to {self.get_theme().name}"

    def get_caption(self):
        return self.get_theme().name

    def cancel_url(self):
        return theme_url(self.get_theme())

    def breadcrumbs(self, title):
        theme = self.get_theme()
        return _crumbs((theme.name, theme_url(theme)), (title, None))

    def get_success_message(self):
        return f"{self.noun.capitalize()} saved."

    def get_success_url(self):
        if self.detail_url_name:
            return reverse(self.detail_url_name, args=[self.object.pk])
        return theme_url(self.get_theme())

    def save_record(self, form):
        with transaction.atomic():
            if hasattr(form.instance, "author_id") and not form.instance.author_id:
                form.instance.author = self.request.user
            return form.save()


class MilestoneScreen(ThemeRecordScreen):
    model = Milestone
    form_class = theme_forms.MilestoneForm
    detail_url_name = "themes:milestone-detail"

    def narrow(self, queryset):
        return queryset.select_related("deliverable__theme__programme")

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "user": self.request.user}


class MilestoneCreateView(MilestoneScreen, RecordCreateView):
    permission_required = "themes.add_milestone"

    def page_title(self):
        return f"Add a milestone to {self.get_theme().name}"

    def save_record(self, form):
        return milestone_create(user=self.request.user, **form.cleaned_data)

    def get_success_message(self):
        return f"Milestone “{self.object.title}” added."


class MilestoneUpdateView(MilestoneScreen, RecordUpdateView):
    """Edits are locked optimistically (the record screens check `version`)."""

    permission_required = "themes.change_milestone"

    def page_title(self):
        return f"Edit {self.object.title}"

    def cancel_url(self):
        return reverse("themes:milestone-detail", args=[self.object.pk])

    def save_record(self, form):
        data = dict(form.cleaned_data)
        data.pop("version")
        return milestone_update(
            milestone_id=self.object.pk,
            user=self.request.user,
            version=submitted_version(self.request),
            reason=data.pop("reason", ""),
            **data,
        )

    def get_success_message(self):
        return f"Milestone “{self.object.title}” saved."


milestone_create_view = MilestoneCreateView.as_view()
milestone_edit = MilestoneUpdateView.as_view()


def _theme_record_views(model, form_class, noun, *, detail_url_name="", edit=True):
    """The add page (and edit page) of one kind of theme record, declared once."""
    meta = model._meta
    attrs = {
        "model": model,
        "form_class": form_class,
        "noun": noun,
        "detail_url_name": detail_url_name,
    }
    create = type(
        f"{model.__name__}CreateView",
        (ThemeRecordScreen, RecordCreateView),
        {**attrs, "permission_required": f"themes.add_{meta.model_name}"},
    )
    if not edit:
        return create.as_view()
    update = type(
        f"{model.__name__}UpdateView",
        (ThemeRecordScreen, RecordUpdateView),
        {**attrs, "permission_required": f"themes.change_{meta.model_name}"},
    )
    return create.as_view(), update.as_view()


deliverable_create, deliverable_edit = _theme_record_views(
    Deliverable, theme_forms.DeliverableForm, "deliverable"
)
status_update_create = _theme_record_views(
    ThemeStatusUpdate, theme_forms.StatusUpdateForm, "status update", edit=False
)
risk_create, risk_edit = _theme_record_views(
    Risk, theme_forms.RiskForm, "risk", detail_url_name="themes:risk-detail"
)
assumption_create, assumption_edit = _theme_record_views(
    Assumption, theme_forms.AssumptionForm, "assumption"
)
issue_create, issue_edit = _theme_record_views(
    Issue, theme_forms.IssueForm, "issue", detail_url_name="themes:issue-detail"
)
decision_create = _theme_record_views(
    Decision,
    theme_forms.DecisionForm,
    "decision",
    detail_url_name="themes:decision-detail",
    edit=False,
)
benefit_create = _theme_record_views(
    Benefit, theme_forms.BenefitForm, "benefit", detail_url_name="themes:benefit-detail", edit=False
)
finance_create, finance_edit = _theme_record_views(
    ThemeFinance, theme_forms.FinanceForm, "financial year"
)


class ThemeUpdateView(RecordUpdateView):
    model = Theme
    form_class = theme_forms.ThemeForm
    permission_required = "themes.change_theme"
    slug_field = slug_url_kwarg = "code"
    success_message = "Theme saved."

    def narrow(self, queryset):
        return queryset.filter(programme=current_programme()).select_related("programme")

    def page_title(self):
        return f"Edit {self.object.name}"

    def get_caption(self):
        return self.object.name

    def cancel_url(self):
        return theme_url(self.object)

    def get_success_url(self):
        return theme_url(self.object)

    def breadcrumbs(self, title):
        return _crumbs((self.object.name, theme_url(self.object)), (title, None))


theme_edit = ThemeUpdateView.as_view()


class DecisionActionUpdateView(RecordUpdateView):
    model = DecisionAction
    form_class = theme_forms.DecisionActionForm
    permission_required = "themes.change_decisionaction"
    success_message = "Action saved."

    def narrow(self, queryset):
        return queryset.select_related("decision__theme")

    def page_title(self):
        return "Edit action"

    def get_caption(self):
        return self.object.decision.theme.name

    def cancel_url(self):
        return reverse("themes:decision-detail", args=[self.object.decision_id])

    get_success_url = cancel_url

    def breadcrumbs(self, title):
        theme = self.object.decision.theme
        return _crumbs((theme.name, theme_url(theme)), (title, None))


action_edit = DecisionActionUpdateView.as_view()


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


@require_permission("themes.view_issue")
def issue_detail(request, pk):
    issue = get_object_or_404(
        Issue.objects.visible_to(request.user).select_related("theme", "owner", "raised_by"),
        pk=pk,
    )
    return _record_page(request, issue, "themes/issue_detail.html")


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
        changed = theme_tolerances_update(theme=theme, **form.cleaned_data)
        messages.success(
            request,
            f"Tolerances saved; {changed} milestone RAG{'s' if changed != 1 else ''} changed.",
        )
        return redirect(theme_url(theme))
    title = f"Tolerances for {theme.name}"
    return render(
        request,
        "records/form.html",
        {
            "form": form,
            "title": title,
            "caption": theme.name,
            "cancel_url": theme_url(theme),
            "breadcrumbs": _crumbs((theme.name, theme_url(theme)), (title, None)),
        },
    )


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
    as_at = params.date(request.GET, "as_at", None)
    banner = {}
    if as_at is not None and as_at < timezone.localdate() and programme:
        # The milestones with the dates they had then, the line drawn at that date.
        state = programme_as_at(request.user, as_at, theme=theme_code or None)
        milestones = sorted(
            state.milestones,
            key=lambda m: (m.theme.order, m.deliverable.order, m.baseline_date, m.pk),
        )
        today = as_at
        banner = _as_at_context(as_at)
    chart = build_timeline(programme.start_date, milestones, today) if programme else None
    return render(
        request,
        "themes/timeline.html",
        {
            "chart": chart,
            "programme": programme,
            "themes": Theme.objects.visible_to(request.user).filter(programme=programme),
            "theme_code": theme_code,
            "as_at": as_at if banner else None,
            "breadcrumbs": _crumbs(("Timeline", None)),
            **banner,
        },
    )


@require_permission("themes.view_milestone")
def calendar(request):
    feed = CalendarFeed.objects.filter(user=request.user).first()
    if request.method == "POST":
        feed, created = CalendarFeed.objects.update_or_create(
            user=request.user, defaults={"token": CalendarFeed.new_token()}
        )
        if created:
            message = "Your calendar address has been created. Add it to your calendar."
        else:
            message = "Your calendar address has been reset. The old address no longer works."
        messages.success(request, message)
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
