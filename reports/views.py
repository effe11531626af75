from functools import partial
from itertools import groupby

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from dps.audit import history_for
from dps.exports import private_file_response
from dps.models import AccessRecord, record_access
from dps.permissions import can_see_restricted, require_permission
from dps.views import FilteredTableView
from reports import jobs, rendering, services
from reports.choices import JOB_TAG_COLOURS, STATUS_TAG_COLOURS, JobState, ReportStatus
from reports.filters import ReportFilterSet
from reports.forms import BlockForm, HighlightReportForm, PublishConfirmationForm, ReportForm
from reports.highlight import highlight_report_fields
from reports.models import Report, ReportBlock, ReportJob
from reports.revisions import figures_since_revised
from reports.selectors import publication_summary, published_for_reader
from reports.tables import ReportTable

READ = "reports.view_published_report"


def _visible_report(request, pk):
    """The one way views load a report: 404 unless this user may see it (drafts, restricted)."""
    return get_object_or_404(
        Report.objects.visible_to(request.user).select_related(
            "meeting__committee",
            "supersedes",
            "theme",
            "created_by",
            "approved_by",
            "marked_restricted_by",
        ),
        pk=pk,
    )


def _visible_job(request, pk):
    """The one way views load a job: 404 unless this user may read what it rendered."""
    return get_object_or_404(
        ReportJob.objects.visible_to(request.user).select_related("report", "requested_by"),
        pk=pk,
    )


@require_permission(READ)
def published_list(request):
    """Published reports by meeting, newest meeting first: what committee members read."""
    reports = published_for_reader(request.user)
    meetings = [
        (meeting, list(group)) for meeting, group in groupby(reports, key=lambda r: r.meeting)
    ]
    breadcrumbs = [("Committee papers", None)]
    return render(
        request, "reports/published_list.html", {"meetings": meetings, "breadcrumbs": breadcrumbs}
    )


class ReportListView(FilteredTableView):
    permission_required = "reports.view_report"
    table_class = ReportTable
    filterset_class = ReportFilterSet
    list_title = "Committee reports"
    export_name = "committee-reports"
    template_name = "reports/report_list.html"

    def get_queryset(self):
        return Report.objects.visible_to(self.request.user).select_related("meeting__committee")


def _save_meeting(form):
    return services.meeting_for(form.cleaned_data["committee"], form.cleaned_data["meeting_date"])


def _section_fields(form):
    return {
        name: value
        for name, value in form.cleaned_data.items()
        if name not in ("committee", "meeting_date")
    }


def _form_errors(form, error):
    if hasattr(error, "error_dict"):
        for field, field_errors in error.error_dict.items():
            target = field if field in form.fields else None
            for field_error in field_errors:
                form.add_error(target, field_error)
    else:
        form.add_error(None, error)


@require_permission("reports.add_report")
def report_create(request):
    form = ReportForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            report = services.report_create(
                user=request.user, meeting=_save_meeting(form), **_section_fields(form)
            )
        except ValidationError as error:
            _form_errors(form, error)
        else:
            messages.success(request, "Draft report created.")
            return redirect(report)
    breadcrumbs = [("Committee reports", reverse("reports:manage")), ("New report", None)]
    return render(
        request,
        "reports/report_form.html",
        {"form": form, "breadcrumbs": breadcrumbs, "heading": "New committee report"},
    )


@require_permission("reports.change_report")
def report_edit(request, pk):
    report = _visible_report(request, pk)
    if not report.is_editable:
        raise services.ReportLocked("A published report cannot be changed.")
    form = ReportForm(request.POST or None, instance=report)
    if request.method == "POST" and form.is_valid():
        try:
            services.report_update(
                report, user=request.user, meeting=_save_meeting(form), **_section_fields(form)
            )
        except ValidationError as error:
            _form_errors(form, error)
        else:
            messages.success(request, "Report saved.")
            return redirect(report)
    breadcrumbs = [
        ("Committee reports", reverse("reports:manage")),
        (f"Report {report.number}", report.get_absolute_url()),
        ("Edit", None),
    ]
    return render(
        request,
        "reports/report_form.html",
        {"form": form, "report": report, "breadcrumbs": breadcrumbs, "heading": "Edit report"},
    )


@require_permission("reports.add_report")
def highlight_create(request):
    form = HighlightReportForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        fields = highlight_report_fields(
            request.user,
            data["theme"],
            data["period_start"],
            data["period_end"],
            data["report_date"],
        )
        report = services.report_create(
            user=request.user,
            meeting=services.meeting_for(data["committee"], data["meeting_date"]),
            number=data["number"],
            report_date=data["report_date"],
            by=data["by"],
            kind="highlight",
            theme=data["theme"],
            period_start=data["period_start"],
            period_end=data["period_end"],
            **fields,
        )
        services.block_add(report, user=request.user, kind="theme-milestones", theme=report.theme)
        messages.success(request, "Highlight report drafted from the theme's data: edit it below.")
        return redirect("reports:report-edit", pk=report.pk)
    breadcrumbs = [("Committee reports", reverse("reports:manage")), ("Highlight report", None)]
    return render(
        request,
        "reports/report_form.html",
        {"form": form, "breadcrumbs": breadcrumbs, "heading": "New theme highlight report"},
    )


@require_permission(READ)
def report_detail(request, pk):
    report = _visible_report(request, pk)
    if report.is_published:
        # Who read a published paper, for its author and the administrators (access records).
        record_access(
            request,
            kind=AccessRecord.Kind.OPEN,
            what=str(report),
            owner=report.created_by,
            restricted=report.restricted,
        )
    context = rendering.document_context(report, user=request.user)
    may_manage = request.user.has_perm("reports.view_report")
    context.update(
        {
            "status_colour": STATUS_TAG_COLOURS[report.status],
            "may_manage": may_manage,
            "may_edit": may_manage
            and report.is_editable
            and request.user.has_perm("reports.change_report"),
            "may_publish": request.user.has_perm("reports.publish_report"),
            "may_restrict": can_see_restricted(request.user),
            # On the page only: the PDF and the print preview stay as published.
            "revisions": figures_since_revised(report),
            "drafted_by_me": services.four_eyes_required()
            and report.created_by_id == request.user.pk,
            "may_render": request.user.has_perm("reports.add_reportjob"),
            "blocks": report.blocks.select_related("theme") if may_manage else [],
            "block_form": BlockForm(user=request.user) if may_manage else None,
            "jobs": ReportJob.objects.visible_to(request.user)
            .filter(report=report)
            .select_related("requested_by")[:10]
            if may_manage
            else [],
            "job_colours": JOB_TAG_COLOURS,
            "history": history_for(report) if may_manage else [],
            "breadcrumbs": [
                (
                    "Committee reports",
                    reverse("reports:manage" if may_manage else "reports:index"),
                ),
                (f"Report {report.number}", None),
            ],
        }
    )
    return render(request, "reports/report_detail.html", context)


@require_permission(READ)
def report_preview(request, pk):
    """The print preview: the very document the PDF is made from, in the browser."""
    report = _visible_report(request, pk)
    return HttpResponse(rendering.report_document_html(report, user=request.user))


@require_permission(READ)
def report_pdf(request, pk):
    report = _visible_report(request, pk)
    if not report.is_published:
        raise Http404("Only published reports have a PDF; preview a draft instead.")
    if not report.pdf_sha256:
        latest = (
            ReportJob.objects.visible_to(request.user)
            .filter(report=report)
            .order_by("-created_at")
            .first()
        )
        return render(
            request, "reports/pdf_pending.html", {"report": report, "job": latest}, status=202
        )
    record_access(
        request,
        kind=AccessRecord.Kind.DOWNLOAD,
        what=f"{report} (PDF)",
        owner=report.created_by,
        restricted=report.restricted,
    )
    return private_file_response(
        report.pdf.open("rb"),
        filename=f"report-{report.number}-{report.meeting.date:%Y-%m-%d}-v{report.version}.pdf",
        content_type="application/pdf",
    )


@require_POST
@require_permission("reports.change_report")
def block_add(request, pk):
    report = _visible_report(request, pk)
    form = BlockForm(request.POST, user=request.user)
    if form.is_valid():
        try:
            block = services.block_add(report, user=request.user, **form.cleaned_data)
        except ValidationError as error:
            for field_errors in error.message_dict.values():
                for message in field_errors:
                    messages.error(request, message)
        else:
            messages.success(
                request,
                f"Block {block.position} added. Put [block {block.position}] in the "
                "supporting information where it belongs.",
            )
    else:
        for field, field_errors in form.errors.items():
            for message in field_errors:
                messages.error(request, f"{form.fields[field].label or field}: {message}")
    return redirect(report)


@require_POST
@require_permission("reports.change_report")
def block_remove(request, pk, block_pk):
    report = _visible_report(request, pk)
    block = get_object_or_404(ReportBlock, report=report, pk=block_pk)
    services.block_remove(block, user=request.user)
    messages.success(request, f"Block {block.position} removed.")
    return redirect(report)


def _transition(request, pk, action, done_message):
    report = _visible_report(request, pk)
    try:
        result = action(report, user=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect(report)
    messages.success(request, done_message)
    return result


@require_POST
@require_permission("reports.publish_report")
def report_approve(request, pk):
    for_cleared = request.POST.get("for_cleared_readers") == "yes"
    _transition(
        request,
        pk,
        partial(services.report_approve, for_cleared_readers=for_cleared),
        "Report approved for cleared readers only." if for_cleared else "Report approved.",
    )
    return redirect("reports:report-detail", pk=pk)


@require_POST
@require_permission("reports.publish_report")
def report_return_to_draft(request, pk):
    _transition(request, pk, services.report_return_to_draft, "Report returned to draft.")
    return redirect("reports:report-detail", pk=pk)


@require_permission("reports.publish_report")
def report_publish(request, pk):
    """GET: what publishing will freeze and who will read it; POST with the box ticked: publish."""
    report = _visible_report(request, pk)
    form = PublishConfirmationForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        result = _transition(
            request, pk, services.report_publish, "Report published: its figures are frozen."
        )
        return redirect(result) if isinstance(result, ReportJob) else result
    if report.status != ReportStatus.APPROVED:
        messages.error(request, "Only an approved report can be published.")
        return redirect(report)
    breadcrumbs = [
        ("Committee reports", reverse("reports:manage")),
        (f"Report {report.number}", report.get_absolute_url()),
        ("Publish", None),
    ]
    return render(
        request,
        "reports/publish_confirm.html",
        {
            "report": report,
            "form": form,
            "publication": publication_summary(report),
            "breadcrumbs": breadcrumbs,
        },
    )


@require_POST
@require_permission("reports.publish_report")
def report_supersede(request, pk):
    result = _transition(
        request, pk, services.report_supersede, "New draft version created from the published one."
    )
    return redirect(result) if isinstance(result, Report) else result


@require_POST
@require_permission("reports.add_reportjob")
def report_render(request, pk):
    report = _visible_report(request, pk)
    job = jobs.job_request(report, user=request.user)
    return redirect(job)


def job_status_payload(job):
    payload = {
        "id": job.pk,
        "state": job.state,
        "label": job.get_state_display(),
        "finished": job.is_finished,
        "delayed": job.is_delayed,
        "error": job.error if job.state == JobState.FAILED else "",
        "message": _job_message(job),
        "download_url": reverse("reports:job-pdf", args=[job.pk])
        if job.state == JobState.DONE
        else "",
    }
    return payload


def _job_message(job):
    if job.state == JobState.DONE:
        return "The PDF is ready."
    if job.state == JobState.FAILED:
        return "Rendering failed. The reason is below; fix the report and try again."
    if job.is_delayed:
        return (
            "Rendering is delayed: the job queue cannot be reached. The job is saved and will "
            "start automatically when the queue is back. You can leave this page."
        )
    if job.state == JobState.RENDERING:
        return "The PDF is being rendered."
    return "Waiting for a worker to pick the job up."


@require_permission("reports.view_reportjob")
def job_detail(request, pk):
    job = _visible_job(request, pk)
    breadcrumbs = [
        ("Committee reports", reverse("reports:manage")),
        (f"Report {job.report.number}", job.report.get_absolute_url()),
        (f"PDF job {job.pk}", None),
    ]
    return render(
        request,
        "reports/job_detail.html",
        {
            "job": job,
            "status": job_status_payload(job),
            "colour": JOB_TAG_COLOURS[job.state],
            "breadcrumbs": breadcrumbs,
        },
    )


@require_permission("reports.view_reportjob")
def job_status(request, pk):
    job = _visible_job(request, pk)
    response = JsonResponse(job_status_payload(job))
    response["Cache-Control"] = "no-store"
    return response


@require_permission("reports.view_reportjob")
def job_pdf(request, pk):
    job = _visible_job(request, pk)
    if job.state != JobState.DONE or not job.pdf:
        raise Http404("This job has no PDF.")
    record_access(
        request,
        kind=AccessRecord.Kind.DOWNLOAD,
        what=f"{job} (PDF)",
        owner=job.report.created_by,
        restricted=job.report.restricted or job.restricted,
    )
    return private_file_response(
        job.pdf.open("rb"),
        filename=f"report-{job.report.number}-job-{job.pk}.pdf",
        content_type="application/pdf",
    )
