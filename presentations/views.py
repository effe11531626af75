from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Max
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods

from dps import exports, params
from dps.audit import history_for
from dps.permissions import require_permission
from dps.records import RecordDeleteView
from dps.selectors import capped_count, counted_by_page
from dps.views import FilteredTableView
from presentations import asknown, imports, services, stats
from presentations.charts import monthly_chart_svg
from presentations.choices import Occasion, Stream
from presentations.filters import DeliveryFilterSet
from presentations.forms import DeliveryForm, ImportUploadForm, StatisticsPeriodForm
from presentations.models import Delivery
from presentations.selectors import log_rows
from presentations.tables import DeliveryTable

LOG_TITLE = "PSSP delivery log"
MAX_EXPORT_ROWS = 100_000
# The log says how many sessions match its filters exactly up to this many, then "more than".
MATCH_COUNT_CAP = 10_000


class DeliveryListView(FilteredTableView):
    permission_required = "presentations.view_delivery"
    export_permission = "presentations.export_delivery"
    table_class = DeliveryTable
    filterset_class = DeliveryFilterSet
    list_title = LOG_TITLE
    export_name = "pssp-delivery-log"
    template_name = "presentations/delivery_list.html"

    def get_queryset(self):
        return log_rows(self.request.user)

    def export(self, export_format):
        # A spreadsheet of the whole million-row log helps nobody and ties up a worker for
        # minutes: past the cap, ask for narrower filters instead (one COUNT, on export only).
        if self.may_export():
            filterset = self.get_filterset(self.get_filterset_class())
            if filterset.is_valid() and filterset.qs.order_by().count() > MAX_EXPORT_ROWS:
                messages.error(
                    self.request,
                    f"That is more than {MAX_EXPORT_ROWS:,} sessions. Narrow the filters (for "
                    "example, a date range) and download again.",
                )
                query = self.request.GET.copy()
                query.pop("_export", None)
                return redirect(f"{self.request.path}?{query.urlencode()}")
        return super().export(export_format)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["breadcrumbs"] = [(LOG_TITLE, None)]
        filterset = context["filter"]
        if not filterset.is_bound or filterset.is_valid():  # a wrong filter says so on the form
            shown = counted_by_page(context["table"].page)
            if shown is None:
                context["match_count"], context["more_than"] = capped_count(
                    self.object_list, MATCH_COUNT_CAP
                )
            else:
                context["match_count"] = min(shown, MATCH_COUNT_CAP)
                context["more_than"] = shown > MATCH_COUNT_CAP
            context["match_cap"] = MATCH_COUNT_CAP
        return context


# Why a member of staff may not change a colleague's entry, and what to do instead.
NOT_YOUR_SESSION = (
    "You can only change or delete sessions you logged yourself. This one was logged by a "
    "colleague: ask them, or the planning manager, to correct it."
)


def _breadcrumbs(*trail):
    return [(LOG_TITLE, reverse("presentations:delivery-list")), *trail]


def _delivery_for_change(request, pk, permission):
    """The session, if this user may change it: 404 if they cannot see it, 403 if not theirs."""
    delivery = get_object_or_404(Delivery.objects.visible_to(request.user), pk=pk)
    if not request.user.has_perm(permission) or not delivery.may_be_changed_by(request.user):
        raise PermissionDenied(NOT_YOUR_SESSION)
    return delivery


@require_permission("presentations.view_delivery")
def delivery_detail(request, pk):
    delivery = get_object_or_404(
        Delivery.objects.visible_to(request.user).select_related("borough", "entered_by"), pk=pk
    )
    may_change = delivery.may_be_changed_by(request.user)
    return render(
        request,
        "presentations/delivery_detail.html",
        {
            "delivery": delivery,
            "products": list(delivery.products.all()),
            "history": history_for(delivery),
            "may_change": may_change and request.user.has_perm("presentations.change_delivery"),
            "may_delete": may_change and request.user.has_perm("presentations.delete_delivery"),
            "breadcrumbs": _breadcrumbs((str(delivery), None)),
        },
    )


def _initial_for_new(request):
    initial = {
        "delivered_on": timezone.localdate(),
        "stream": Stream.PSSP,
        "occasion": Occasion.MANDATORY_TRAINING,
    }
    # Kept when a presenter chooses "Save and log another": the next session is usually theirs.
    carried = {
        "delivered_on": params.date(request.GET, "delivered_on", None),
        "borough": params.record_id(request.GET, "borough"),
        "presenters": params.text(request.GET, "presenters"),
    }
    initial.update({name: value for name, value in carried.items() if value})
    return initial


def _after_save(request, form, delivery, verb):
    messages.success(request, f"Session {verb}: {delivery}.")
    for warning in form.warnings():
        messages.warning(request, warning)
    if request.POST.get("next") == "another":
        carried = {
            "delivered_on": delivery.delivered_on.isoformat(),
            "borough": delivery.borough_id,
            "presenters": delivery.presenters,
        }
        return redirect(f"{reverse('presentations:delivery-create')}?{urlencode(carried)}")
    return redirect("presentations:delivery-detail", pk=delivery.pk)


@require_permission("presentations.add_delivery")
@require_http_methods(["GET", "POST"])
def delivery_create(request):
    if request.method == "POST":
        form = DeliveryForm(request.POST)
        if form.is_valid():
            delivery = services.delivery_create(user=request.user, **form.cleaned_data)
            return _after_save(request, form, delivery, "logged")
    else:
        form = DeliveryForm(initial=_initial_for_new(request))
    return render(
        request,
        "presentations/delivery_form.html",
        {
            "form": form,
            "title": "Log a presentation",
            "offer_another": True,
            "breadcrumbs": _breadcrumbs(("Log a presentation", None)),
        },
    )


@require_permission("presentations.change_delivery")
@require_http_methods(["GET", "POST"])
def delivery_edit(request, pk):
    delivery = _delivery_for_change(request, pk, "presentations.change_delivery")
    form = DeliveryForm(request.POST or None, instance=delivery)
    if request.method == "POST" and form.is_valid():
        delivery = services.delivery_update(
            delivery=delivery, user=request.user, **form.cleaned_data
        )
        return _after_save(request, form, delivery, "updated")
    return render(
        request,
        "presentations/delivery_form.html",
        {
            "form": form,
            "title": "Correct a session",
            "delivery": delivery,
            "offer_another": False,
            "breadcrumbs": _breadcrumbs(
                (str(delivery), reverse("presentations:delivery-detail", args=[delivery.pk])),
                ("Correct", None),
            ),
        },
    )


class DeliveryDeleteView(RecordDeleteView):
    model = Delivery
    permission_required = "presentations.delete_delivery"
    list_url_name = "presentations:delivery-list"
    button_label = "Delete session"

    def check_record(self, record):
        if not record.may_be_changed_by(self.request.user):
            raise PermissionDenied(NOT_YOUR_SESSION)

    def cancel_url(self):
        return reverse("presentations:delivery-detail", args=[self.object.pk])

    def page_title(self):
        return "Delete this session?"

    def head_title(self):
        return "Delete a session"

    @property
    def explanation(self):
        return (
            f"{self.object}: {self.object.attendees} attendees. It will no longer count in any "
            "figure. The audit trail keeps a record of the deletion."
        )

    def delete_breadcrumbs(self):
        return _breadcrumbs((str(self.object), self.cancel_url()), ("Delete", None))

    def success_message(self, name):
        return f"Session deleted: {name}."

    def delete_record(self, record):
        services.delivery_delete(delivery=record, user=self.request.user)


delivery_delete = DeliveryDeleteView.as_view()


def _default_year(deliveries):
    latest = deliveries.order_by().aggregate(latest=Max("delivered_on"))["latest"]
    return (latest or timezone.localdate()).year


STATISTICS_EXPORTS = (*stats.TABLE_KEYS, "boroughs")


def _statistics_dataset(key, tables, coverage):
    if key == "boroughs":
        return exports.rows_dataset(
            ["family_group", "borough_or_unit", "received_input", "sessions", "attendees"],
            (
                [
                    group["name"],
                    borough["name"],
                    "yes" if borough["reached"] else "no",
                    borough["sessions"],
                    borough["attendees"],
                ]
                for group in coverage["groups"]
                for borough in group["boroughs"]
            ),
        )
    columns = ("month", *stats.TABLE_COLUMNS[key])
    rows = ([row[c] for c in columns] for row in tables[key])
    known_on = tables.get("known_on")
    if known_on:
        # Said on every row, from the first: a row copied elsewhere still says when it was known.
        return exports.rows_dataset(
            ("figures_as_known_on", *columns), ([known_on, *row] for row in rows)
        )
    return exports.rows_dataset(columns, rows)


def _statistics_export(query):
    """The table to download, if any: `_export=<table>` as the page's links write it, or
    `_export=csv&table=<table>` as other lists name the format. Anything else is a 400 saying
    what the address lacks (it once answered 403, as though the table were forbidden)."""
    export = params.choice(query, "_export", (*STATISTICS_EXPORTS, "csv"))
    if export != "csv":
        return export
    table = params.choice(query, "table", STATISTICS_EXPORTS)
    if table is None:
        raise params.BadQueryParameter(
            "table", f"must name the table to download: {', '.join(STATISTICS_EXPORTS)}"
        )
    return table


@require_permission("presentations.view_delivery")
def statistics(request):
    deliveries = Delivery.objects.visible_to(request.user)
    form = StatisticsPeriodForm(
        request.GET if request.GET.keys() - {"_export"} else None,
        default_year=_default_year(deliveries),
    )
    start, end = form.period()
    figures = stats.period_statistics(request.user, start, end)
    tables, coverage = figures["tables"], figures["coverage"]
    known_on = form.as_known_on()
    known_tables = revised = None
    if known_on:
        known_tables = asknown.monthly_tables_as_known(request.user, start, end, known_on)
        revised = stats.revised_cells(known_tables, tables)
    export = _statistics_export(request.GET)
    if export:
        # The monthly tables as known on the date when one is given, as the page shows them
        # below today's; borough coverage is only counted from the log as it stands now.
        known = known_tables is not None and export != "boroughs"
        what = f"PSSP statistics: {export} {tables['period']['label']}"
        filename = f"pssp-{export.replace('_', '-')}-{start}-to-{end}"
        if known:
            what += f", as known on {known_on.isoformat()}"
            filename += f"-as-known-on-{known_on.isoformat()}"
        return exports.dataset_download(
            request,
            _statistics_dataset(export, known_tables if known else tables, coverage),
            "csv",
            what=what,
            filename=filename,
        )
    chart_title = f"People reached each month, {tables['period']['label']}"
    chart = monthly_chart_svg(tables, title=chart_title, same_scale_as=known_tables)
    known_chart = None
    if known_tables:
        known_chart = monthly_chart_svg(
            known_tables,
            title=f"{chart_title}, as known on {date_format(known_on, 'j F Y')}",
            same_scale_as=tables,
        )
    query = request.GET.copy()
    query.pop("_export", None)
    export_links = [
        (label, f"?{urlencode({**query.dict(), '_export': key})}")
        for key, label in (
            ("presentations", "Presentations"),
            ("civil_actions", "Civil actions"),
            ("accident_claims", "Accident claims"),
            ("boroughs", "Boroughs"),
        )
    ]
    return render(
        request,
        "presentations/statistics.html",
        {
            "form": form,
            "tables": tables,
            "known_on": known_on,
            "known_tables": known_tables,
            "revised": revised,
            "coverage": coverage,
            "satisfaction": figures["satisfaction"],
            "chart": chart,
            "known_chart": known_chart,
            "export_links": export_links,
            "breadcrumbs": _breadcrumbs(("Statistics", None)),
        },
    )


@require_permission("presentations.import_delivery")
@require_http_methods(["GET", "POST"])
def delivery_import(request):
    """Upload, preview, then confirm: nothing is saved until the planner confirms."""
    context = {"breadcrumbs": _breadcrumbs(("Import sessions", None))}
    if request.method == "POST" and request.POST.get("confirm"):
        token = request.POST.get("token", "")
        stored = imports.take_pending_upload(request, token)
        if stored is None:
            messages.error(request, "That preview has expired. Upload the file again.")
            return redirect("presentations:delivery-import")
        # Checked again on confirm: the log may have changed since the preview.
        try:
            result = imports.import_file(
                stored["name"], stored["content"], dry_run=False, entered_by=request.user
            )
        except imports.ImportRejected as rejected:
            result = imports.ImportResult(errors=[str(rejected)])
        if result.errors:
            context.update(form=ImportUploadForm(), result=result)
            return render(request, "presentations/delivery_import.html", context, status=400)
        messages.success(
            request,
            f"Imported {stored['name']}: "
            + ngettext("%(count)d new session", "%(count)d new sessions", result.created)
            % {"count": result.created}
            + f", {result.updated} updated, {result.unchanged} unchanged.",
        )
        return redirect("presentations:delivery-list")
    form = ImportUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            content = imports.read_upload(upload)
            result = imports.import_file(upload.name, content, dry_run=True)
        except imports.ImportRejected as rejected:
            form.add_error("file", str(rejected))
        else:
            context["result"] = result
            if not result.errors:
                context["token"] = imports.keep_pending_upload(request, upload.name, content)
                context["preview"] = result.preview_rows()
            status = 400 if result.errors else 200
            context["form"] = form
            return render(request, "presentations/delivery_import.html", context, status=status)
    context["form"] = form
    context["columns"] = imports.REQUIRED_COLUMNS + imports.OPTIONAL_COLUMNS
    return render(request, "presentations/delivery_import.html", context)
