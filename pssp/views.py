from datetime import date

from django.contrib import messages
from django.core.exceptions import SuspiciousFileOperation, ValidationError
from django.db.models import Count, F, Prefetch, Q, Sum
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.generic import CreateView, UpdateView

from dps import exports, params
from dps.audit import history_for
from dps.forms import add_service_errors, model_values
from dps.models import AccessRecord, Borough, Product, record_access
from dps.permissions import require_permission
from dps.records import RecordDeleteView, RecordFormMixin
from dps.views import FilteredTableView
from pssp import forms as pssp_forms
from pssp import services
from pssp.choices import TAG_COLOURS, BoroughReportStatus, DecisionStatus
from pssp.coverage import MEASURES, engagement_coverage
from pssp.filters import (
    BoroughFilterSet,
    BoroughReportFilterSet,
    EngagementMeetingFilterSet,
    EventFilterSet,
    OutcomeFilterSet,
    ProductFilterSet,
    SourceReviewFilterSet,
    TaskingDecisionFilterSet,
    TaskingMeetingFilterSet,
)
from pssp.models import (
    ActionPlan,
    BoroughReport,
    EngagementMeeting,
    Event,
    Outcome,
    PlanAction,
    Source,
    SourceFigure,
    SourceReview,
    TaskingDecision,
    TaskingMeeting,
)
from pssp.selectors import (
    borough_comparison,
    borough_overview,
    default_period,
    plan_progress,
    rank_comparison,
    reports_with_progress,
)
from pssp.tables import (
    BoroughReportTable,
    BoroughTable,
    EngagementMeetingTable,
    EventTable,
    OutcomeTable,
    ProductTable,
    SourceReviewTable,
    TaskingDecisionTable,
    TaskingMeetingTable,
)
from pssp.uploads import CONTENT_TYPES, SizeLimitUploadHandler, too_large_message

# --- Boroughs and products ----------------------------------------------------------------------


class BoroughListView(FilteredTableView):
    permission_required = "dps.view_borough"
    table_class = BoroughTable
    filterset_class = BoroughFilterSet
    list_title = "Boroughs and units"
    export_name = "boroughs"

    def get_queryset(self):
        return Borough.objects.visible_to(self.request.user)


class ProductListView(FilteredTableView):
    permission_required = "dps.view_product"
    table_class = ProductTable
    filterset_class = ProductFilterSet
    list_title = "PSSP product menu"
    export_name = "pssp-products"

    def get_queryset(self):
        return Product.objects.visible_to(self.request.user)


@require_permission("dps.view_borough")
def borough_detail(request, pk):
    borough = get_object_or_404(Borough.objects.visible_to(request.user), pk=pk)
    breadcrumbs = [("Boroughs and units", reverse("pssp:borough-list")), (borough.name, None)]
    return render(
        request,
        "pssp/borough_detail.html",
        {
            "borough": borough,
            "overview": borough_overview(borough, request.user),
            "tag_colours": TAG_COLOURS,
            "history": history_for(borough),
            "breadcrumbs": breadcrumbs,
        },
    )


# --- Shared pieces ------------------------------------------------------------------------------


def _period(request, form_class=pssp_forms.PeriodForm, **form_kwargs):
    """The period asked for in the query string, else the default; with the form to show."""
    start, end = default_period()
    initial = {"start": start, "end": end}
    if not params.text(request.GET, "start") and not params.text(request.GET, "end"):
        return form_class(initial=initial, **form_kwargs), start, end
    form = form_class(request.GET, initial=initial, **form_kwargs)
    if form.is_valid():
        start, end = form.cleaned_data["start"], form.cleaned_data["end"]
    return form, start, end


class PsspListView(FilteredTableView):
    """A pssp list with its "new" button (for those who may add) and links to related pages."""

    template_name = "pssp/list.html"
    create_url_name = ""
    create_label = ""
    related_links = ()  # (label, url name)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        model = self.get_queryset().model._meta
        if self.create_url_name and self.request.user.has_perm(
            f"{model.app_label}.add_{model.model_name}"
        ):
            context["create_link"] = (self.create_label, reverse(self.create_url_name))
        context["related_links"] = [(label, reverse(name)) for label, name in self.related_links]
        return context


# --- Source reviews and the borough comparison --------------------------------------------------


class SourceReviewListView(PsspListView):
    create_url_name = "pssp:review-create"
    create_label = "Record a source review"
    related_links = (
        ("Borough comparison: need against delivery", "pssp:comparison"),
        ("Tasking meetings", "pssp:tasking-list"),
    )
    permission_required = "pssp.view_sourcereview"
    table_class = SourceReviewTable
    filterset_class = SourceReviewFilterSet
    list_title = "Source reviews"
    export_name = "source-reviews"

    def get_queryset(self):
        return (
            SourceReview.objects.visible_to(self.request.user)
            .select_related("borough")
            .annotate(need=Sum("figures__count"))
            # Grouped queries drop Meta.ordering; pagination needs a stable order.
            .order_by("-period_end", "borough__name", "pk")
        )


@require_permission("pssp.view_sourcereview")
def review_detail(request, pk):
    review = get_object_or_404(
        SourceReview.objects.visible_to(request.user)
        .select_related("borough")
        .prefetch_related(Prefetch("figures", SourceFigure.objects.select_related("source"))),
        pk=pk,
    )
    breadcrumbs = [("Source reviews", reverse("pssp:review-list")), (str(review), None)]
    return render(
        request,
        "pssp/review_detail.html",
        {"review": review, "history": history_for(review), "breadcrumbs": breadcrumbs},
    )


class SourceReviewFormView(RecordFormMixin):
    model = SourceReview
    form_class = pssp_forms.SourceReviewForm
    list_label = "Source reviews"
    list_url_name = "pssp:review-list"

    def save_record(self, form):
        return services.source_review_save(
            review=self.object, figures=form.figures(), **model_values(form)
        )

    def get_success_message(self):
        return f"Source review saved: {self.object}."


class SourceReviewCreateView(SourceReviewFormView, CreateView):
    permission_required = "pssp.add_sourcereview"


class SourceReviewUpdateView(SourceReviewFormView, UpdateView):
    permission_required = "pssp.change_sourcereview"


class SourceReviewDeleteView(RecordDeleteView):
    model = SourceReview
    permission_required = "pssp.delete_sourcereview"
    list_label = "Source reviews"
    list_url_name = "pssp:review-list"


@require_permission("pssp.view_sourcereview")
def borough_comparison_view(request):
    sources = list(Source.objects.visible_to(request.user).filter(active=True))
    form, start, end = _period(request, pssp_forms.ComparisonForm, sources=sources)
    sources, rows = borough_comparison(start, end, request.user)
    rank_by = params.text(request.GET, "rank_by", default="need")
    rows = rank_comparison(sources, rows, rank_by)
    export_format = params.text(request.GET, "_export")
    if export_format:
        dataset = exports.rows_dataset(
            ["Need rank", "Borough", *(source.name for source in sources)]
            + ["Total across sources", "PSSP sessions", "PSSP attendees", "Delivery rank"],
            (
                [row.need_rank, row.borough, *row.figures, row.need]
                + [row.sessions, row.attendees, row.delivery_rank]
                for row in rows
            ),
        )
        return exports.dataset_download(
            request,
            dataset,
            export_format,
            what=f"Borough comparison {start} to {end}",
            filename=f"borough-comparison-{start}-{end}",
        )
    return render(
        request,
        "pssp/comparison.html",
        {
            "form": form,
            "start": start,
            "end": end,
            "rank_by": rank_by,
            "sources": sources,
            "rows": rows,
            "export_formats": exports.EXPORT_FORMATS,
            "breadcrumbs": [
                ("Source reviews", reverse("pssp:review-list")),
                ("Borough comparison", None),
            ],
        },
    )


# --- Tasking ------------------------------------------------------------------------------------


class TaskingMeetingListView(PsspListView):
    create_url_name = "pssp:tasking-create"
    create_label = "Record a tasking meeting"
    related_links = (
        ("Decisions to follow up", "pssp:decision-list"),
        ("Borough comparison: need against delivery", "pssp:comparison"),
        ("Source reviews", "pssp:review-list"),
        ("Commissioned borough reports", "pssp:report-list"),
    )
    permission_required = "pssp.view_taskingmeeting"
    table_class = TaskingMeetingTable
    filterset_class = TaskingMeetingFilterSet
    list_title = "Tasking meetings"
    export_name = "tasking-meetings"

    def get_queryset(self):
        return (
            TaskingMeeting.objects.visible_to(self.request.user)
            .annotate(
                decision_count=Count("decisions"),
                open_count=Count("decisions", filter=Q(decisions__status=DecisionStatus.OPEN)),
            )
            .order_by("-held_on", "-pk")
        )


@require_permission("pssp.view_taskingmeeting")
def tasking_detail(request, pk):
    meeting = get_object_or_404(TaskingMeeting.objects.visible_to(request.user), pk=pk)
    decisions = (
        TaskingDecision.objects.visible_to(request.user)
        .filter(meeting=meeting)
        .select_related("product")
        .prefetch_related("boroughs")
    )
    breadcrumbs = [("Tasking meetings", reverse("pssp:tasking-list")), (str(meeting), None)]
    return render(
        request,
        "pssp/tasking_detail.html",
        {
            "meeting": meeting,
            "decisions": decisions,
            "reports": BoroughReport.objects.visible_to(request.user)
            .filter(commissioned_at=meeting)
            .select_related("borough"),
            "today": date.today(),
            "tag_colours": TAG_COLOURS,
            "history": history_for(meeting),
            "breadcrumbs": breadcrumbs,
        },
    )


class TaskingMeetingFormView(RecordFormMixin):
    model = TaskingMeeting
    form_class = pssp_forms.TaskingMeetingForm
    list_label = "Tasking meetings"
    list_url_name = "pssp:tasking-list"
    success_message = "Tasking meeting saved."


class TaskingMeetingCreateView(TaskingMeetingFormView, CreateView):
    permission_required = "pssp.add_taskingmeeting"


class TaskingMeetingUpdateView(TaskingMeetingFormView, UpdateView):
    permission_required = "pssp.change_taskingmeeting"


class TaskingDecisionListView(PsspListView):
    related_links = (("Tasking meetings", "pssp:tasking-list"),)
    permission_required = "pssp.view_taskingdecision"
    table_class = TaskingDecisionTable
    filterset_class = TaskingDecisionFilterSet
    list_title = "Tasking decisions"
    export_name = "tasking-decisions"

    def get_queryset(self):
        return (
            TaskingDecision.objects.visible_to(self.request.user)
            .select_related("meeting", "product")
            .prefetch_related("boroughs")
        )


class TaskingDecisionFormView(RecordFormMixin):
    model = TaskingDecision
    form_class = pssp_forms.TaskingDecisionForm
    list_label = "Tasking decisions"
    list_url_name = "pssp:decision-list"
    success_message = "Decision saved."

    def get_success_url(self):
        return reverse("pssp:tasking-detail", args=[self.object.meeting_id])

    def cancel_url(self):
        return self.get_meeting().get_absolute_url()


class TaskingDecisionCreateView(TaskingDecisionFormView, CreateView):
    permission_required = "pssp.add_taskingdecision"

    def get_meeting(self):
        return get_object_or_404(
            TaskingMeeting.objects.visible_to(self.request.user), pk=self.kwargs["meeting_pk"]
        )

    def page_title(self):
        return f"New decision: {self.get_meeting()}"

    def form_valid(self, form):
        form.instance.meeting = self.get_meeting()
        return super().form_valid(form)


class TaskingDecisionUpdateView(TaskingDecisionFormView, UpdateView):
    permission_required = "pssp.change_taskingdecision"

    def get_meeting(self):
        return self.object.meeting

    def page_title(self):
        return "Follow up a tasking decision"


class TaskingDecisionDeleteView(RecordDeleteView):
    model = TaskingDecision
    permission_required = "pssp.delete_taskingdecision"
    list_label = "Tasking decisions"
    list_url_name = "pssp:decision-list"

    def get_success_url(self):
        return reverse("pssp:tasking-detail", args=[self.object.meeting_id])

    def cancel_url(self):
        return self.object.meeting.get_absolute_url()


# --- Commissioned borough reports ---------------------------------------------------------------


class BoroughReportListView(PsspListView):
    create_url_name = "pssp:report-create"
    create_label = "Commission a borough report"
    related_links = (("Tasking meetings", "pssp:tasking-list"),)
    permission_required = "pssp.view_boroughreport"
    table_class = BoroughReportTable
    filterset_class = BoroughReportFilterSet
    list_title = "Commissioned borough reports"
    export_name = "borough-reports"

    def get_queryset(self):
        return reports_with_progress(BoroughReport.objects.visible_to(self.request.user)).order_by(
            "-commissioned_on", "-pk"
        )


STEP_FORMS = {
    BoroughReportStatus.DRAFTED: pssp_forms.DraftedForm,
    BoroughReportStatus.DISCUSSED: pssp_forms.DiscussedForm,
    BoroughReportStatus.DISTRIBUTED: pssp_forms.DistributedForm,
    BoroughReportStatus.CLOSED: pssp_forms.CloseForm,
}


def _visible_report(request, pk):
    return get_object_or_404(
        BoroughReport.objects.visible_to(request.user).select_related("borough", "commissioned_at"),
        pk=pk,
    )


@require_permission("pssp.view_boroughreport")
def report_detail(request, pk):
    report = _visible_report(request, pk)
    plan = ActionPlan.objects.filter(report=report).first()
    actions, progress = [], None
    if plan is not None:
        actions = list(plan.actions.all())
        progress = plan_progress(plan)
    breadcrumbs = [("Borough reports", reverse("pssp:report-list")), (report.title, None)]
    return render(
        request,
        "pssp/report_detail.html",
        {
            "report": report,
            "plan": plan,
            "actions": actions,
            "progress": progress,
            "next_steps": [
                (step.value, services.STEP_NAMES[step]) for step in services.next_steps(report)
            ],
            "may_download": request.user.has_perm("pssp.download_boroughreport"),
            "tag_colours": TAG_COLOURS,
            "history": history_for(report),
            "breadcrumbs": breadcrumbs,
        },
    )


class BoroughReportFormView(RecordFormMixin):
    model = BoroughReport
    form_class = pssp_forms.BoroughReportForm
    list_label = "Borough reports"
    list_url_name = "pssp:report-list"
    success_message = "Borough report saved."


class BoroughReportCreateView(BoroughReportFormView, CreateView):
    permission_required = "pssp.add_boroughreport"

    def page_title(self):
        return "Commission a borough report"


class BoroughReportUpdateView(BoroughReportFormView, UpdateView):
    permission_required = "pssp.change_boroughreport"


def _report_page(request, report, form, title, *, multipart=False, history_of=None):
    breadcrumbs = [
        ("Borough reports", reverse("pssp:report-list")),
        (report.title, report.get_absolute_url()),
        (title, None),
    ]
    return render(
        request,
        "records/form.html",
        {
            "form": form,
            "title": title,
            "caption": str(report),
            "multipart": multipart,
            "cancel_url": report.get_absolute_url(),
            "breadcrumbs": breadcrumbs,
            "history": history_for(history_of)
            if history_of is not None and history_of.pk
            else None,
        },
    )


@require_permission("pssp.change_boroughreport")
def report_step(request, pk, step):
    report = _visible_report(request, pk)
    try:
        target = BoroughReportStatus(step)
        form_class = STEP_FORMS[target]
    except (ValueError, KeyError) as error:
        raise Http404("No such step.") from error
    title = services.STEP_NAMES[target].capitalize()
    if request.method == "POST":
        form = form_class(request.POST)
        if form.is_valid():
            try:
                services.TRANSITIONS[target](report=report, **form.cleaned_data)
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(request, f"The report is now '{report.get_status_display()}'.")
                return redirect(report)
    elif target not in services.next_steps(report):
        # An unbound form cannot carry an error (Django raises): say it on the report instead.
        messages.error(
            request, f"This step is not open: the report is '{report.get_status_display()}'."
        )
        return redirect(report)
    else:
        form = form_class()
    return _report_page(request, report, form, title)


@require_permission("pssp.change_boroughreport")
@csrf_exempt  # only so the size limit is in place before the body is read: CSRF is checked below
def report_upload(request, pk):
    size_limit = SizeLimitUploadHandler(request)
    request.upload_handlers.insert(0, size_limit)
    return _report_upload(request, pk, size_limit)


@csrf_protect
def _report_upload(request, pk, size_limit):
    report = _visible_report(request, pk)
    if request.method == "POST":
        form = pssp_forms.DocumentUploadForm(request.POST, request.FILES)
        if size_limit.too_large:
            # The file was refused as it arrived: say so, not also "This field is required".
            form.errors["document"] = form.error_class([too_large_message()])
        elif form.is_valid():
            try:
                services.report_attach_document(
                    report=report, uploaded=form.cleaned_data["document"]
                )
            except services.TransitionError as error:
                form.add_error(None, error.messages)
            except ValidationError as error:
                form.add_error("document", error.messages)
            else:
                messages.success(request, "Document attached.")
                return redirect(report)
    else:
        form = pssp_forms.DocumentUploadForm()
    return _report_page(request, report, form, "Attach the report document", multipart=True)


@require_permission("pssp.download_boroughreport")
def report_download(request, pk):
    """The only way to a report document: permission checked, download recorded, never sniffed."""
    report = _visible_report(request, pk)
    if not report.document or report.document_kind not in CONTENT_TYPES:
        raise Http404("This report has no document.")
    try:
        handle = report.document.open("rb")
    except (FileNotFoundError, SuspiciousFileOperation) as error:
        raise Http404("The document file is missing.") from error
    record_access(
        request, kind=AccessRecord.Kind.DOWNLOAD, what=f"Borough report document: {report}"
    )
    return exports.private_file_response(
        handle, filename=report.download_name, content_type=CONTENT_TYPES[report.document_kind]
    )


@require_permission("pssp.change_boroughreport")
def plan_edit(request, pk):
    report = _visible_report(request, pk)
    plan = ActionPlan.objects.filter(report=report).first() or ActionPlan(report=report)
    form = pssp_forms.ActionPlanForm(request.POST or None, instance=plan)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, "Action plan saved.")
        return redirect(report)
    return _report_page(request, report, form, "Action plan", history_of=plan)


@require_permission("pssp.change_boroughreport")
def action_create(request, pk):
    report = _visible_report(request, pk)
    plan = get_object_or_404(ActionPlan, report=report)
    form = pssp_forms.PlanActionForm(request.POST or None, instance=PlanAction(plan=plan))
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, "Action added to the plan.")
        return redirect(report)
    return _report_page(request, report, form, "Add an action")


@require_permission("pssp.change_boroughreport")
def action_edit(request, pk, action_pk):
    report = _visible_report(request, pk)
    action = get_object_or_404(PlanAction, pk=action_pk, plan__report=report)
    form = pssp_forms.PlanActionForm(request.POST or None, instance=action)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, "Action updated.")
        return redirect(report)
    return _report_page(request, report, form, "Update an action", history_of=action)


# --- Engagement ---------------------------------------------------------------------------------


class EngagementMeetingListView(PsspListView):
    create_url_name = "pssp:meeting-create"
    create_label = "Record a meeting"
    related_links = (("Borough coverage", "pssp:coverage"),)
    permission_required = "pssp.view_engagementmeeting"
    table_class = EngagementMeetingTable
    filterset_class = EngagementMeetingFilterSet
    list_title = "Engagement meetings"
    export_name = "engagement-meetings"

    def get_queryset(self):
        return EngagementMeeting.objects.visible_to(self.request.user).select_related("borough")


@require_permission("pssp.view_engagementmeeting")
def meeting_detail(request, pk):
    meeting = get_object_or_404(
        EngagementMeeting.objects.visible_to(request.user).select_related("borough"), pk=pk
    )
    breadcrumbs = [("Engagement meetings", reverse("pssp:meeting-list")), (str(meeting), None)]
    return render(
        request,
        "pssp/meeting_detail.html",
        {"meeting": meeting, "history": history_for(meeting), "breadcrumbs": breadcrumbs},
    )


class EngagementMeetingFormView(RecordFormMixin):
    model = EngagementMeeting
    form_class = pssp_forms.EngagementMeetingForm
    list_label = "Engagement meetings"
    list_url_name = "pssp:meeting-list"
    success_message = "Meeting saved."


class EngagementMeetingCreateView(EngagementMeetingFormView, CreateView):
    permission_required = "pssp.add_engagementmeeting"

    def page_title(self):
        return "Record an engagement meeting"


class EngagementMeetingUpdateView(EngagementMeetingFormView, UpdateView):
    permission_required = "pssp.change_engagementmeeting"


class EngagementMeetingDeleteView(RecordDeleteView):
    model = EngagementMeeting
    permission_required = "pssp.delete_engagementmeeting"
    list_label = "Engagement meetings"
    list_url_name = "pssp:meeting-list"


@require_permission("pssp.view_engagementmeeting")
def coverage_view(request):
    form, start, end = _period(request)
    coverage = engagement_coverage(request.user, start, end)
    export_format = params.text(request.GET, "_export")
    if export_format:
        answers = {True: "Yes", False: "No", None: "No input"}
        dataset = exports.rows_dataset(
            [
                "Borough",
                "Command team met",
                "Staff-association contact",
                "PSSP input",
                "Staff associations met before first input",
            ],
            (
                [row["name"]]
                + [answers[row[code]] for code, _ in MEASURES]
                + [answers[row["staff_associations_first"]]]
                for row in coverage["boroughs"]
            ),
        )
        return exports.dataset_download(
            request,
            dataset,
            export_format,
            what=f"Borough coverage {start} to {end}",
            filename=f"borough-coverage-{start}-{end}",
        )
    return render(
        request,
        "pssp/coverage.html",
        {
            "form": form,
            "coverage": coverage,
            "start": start,
            "end": end,
            "export_formats": exports.EXPORT_FORMATS,
            "breadcrumbs": [
                ("Engagement meetings", reverse("pssp:meeting-list")),
                ("Borough coverage", None),
            ],
        },
    )


# --- Outcomes -----------------------------------------------------------------------------------


class OutcomeListView(PsspListView):
    create_url_name = "pssp:outcome-create"
    create_label = "Record an outcome"
    related_links = ()
    permission_required = "pssp.view_outcome"
    table_class = OutcomeTable
    filterset_class = OutcomeFilterSet
    list_title = "Outcomes register"
    export_name = "pssp-outcomes"

    def get_queryset(self):
        return Outcome.objects.visible_to(self.request.user).select_related(
            "borough", "product", "theme"
        )


@require_permission("pssp.view_outcome")
def outcome_detail(request, pk):
    # An outcome of a restricted theme is a 404 for users not cleared: they must not learn of it.
    outcome = get_object_or_404(
        Outcome.objects.visible_to(request.user).select_related("borough", "product", "theme"),
        pk=pk,
    )
    breadcrumbs = [("Outcomes register", reverse("pssp:outcome-list")), (outcome.title, None)]
    return render(
        request,
        "pssp/outcome_detail.html",
        {"outcome": outcome, "history": history_for(outcome), "breadcrumbs": breadcrumbs},
    )


class OutcomeFormView(RecordFormMixin):
    model = Outcome
    form_class = pssp_forms.OutcomeForm
    list_label = "Outcomes register"
    list_url_name = "pssp:outcome-list"
    success_message = "Outcome saved."

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "user": self.request.user}


class OutcomeCreateView(OutcomeFormView, CreateView):
    permission_required = "pssp.add_outcome"

    def page_title(self):
        return "Record an outcome"


class OutcomeUpdateView(OutcomeFormView, UpdateView):
    permission_required = "pssp.change_outcome"


class OutcomeDeleteView(RecordDeleteView):
    model = Outcome
    permission_required = "pssp.delete_outcome"
    list_label = "Outcomes register"
    list_url_name = "pssp:outcome-list"


# --- Events -------------------------------------------------------------------------------------


class EventListView(PsspListView):
    create_url_name = "pssp:event-create"
    create_label = "Record a seminar or conference"
    related_links = ()
    permission_required = "pssp.view_event"
    table_class = EventTable
    filterset_class = EventFilterSet
    list_title = "Seminars and conferences"
    export_name = "pssp-events"

    def get_queryset(self):
        return (
            Event.objects.visible_to(self.request.user)
            .annotate(audience_total=Sum("audiences__number"))
            .order_by(F("starts_on").desc(nulls_first=True), "title", "pk")
        )


@require_permission("pssp.view_event")
def event_detail(request, pk):
    event = get_object_or_404(
        Event.objects.visible_to(request.user).select_related("product"), pk=pk
    )
    audiences = list(event.audiences.all())
    breadcrumbs = [("Seminars and conferences", reverse("pssp:event-list")), (event.title, None)]
    return render(
        request,
        "pssp/event_detail.html",
        {
            "event": event,
            "audiences": audiences,
            "audience_total": sum(audience.number for audience in audiences),
            "tag_colours": TAG_COLOURS,
            "history": history_for(event),
            "breadcrumbs": breadcrumbs,
        },
    )


class EventFormView(RecordFormMixin):
    model = Event
    form_class = pssp_forms.EventForm
    list_label = "Seminars and conferences"
    list_url_name = "pssp:event-list"

    def save_record(self, form):
        return services.event_save(
            event=self.object, audiences=form.audiences(), **model_values(form)
        )

    def get_success_message(self):
        return f"Event saved: {self.object}."


class EventCreateView(EventFormView, CreateView):
    permission_required = "pssp.add_event"

    def page_title(self):
        return "Record a seminar or conference"


class EventUpdateView(EventFormView, UpdateView):
    permission_required = "pssp.change_event"


class EventDeleteView(RecordDeleteView):
    model = Event
    permission_required = "pssp.delete_event"
    list_label = "Seminars and conferences"
    list_url_name = "pssp:event-list"
