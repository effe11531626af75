from django.conf import settings
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import render
from django.utils.decorators import method_decorator
from django.views.decorators.csrf import requires_csrf_token
from django_filters.views import FilterView
from django_tables2 import LazyPaginator, RequestConfig, SingleTableMixin

from dps import exports, params, search
from dps.filters import AccessRecordFilterSet
from dps.forms import SignInForm, bound_fields, word_errors
from dps.permissions import PermissionRequired, role_names
from dps.roles import ROLES
from dps.selectors import access_records_for, home_sections, may_read_access_records
from dps.tables import AccessRecordTable


def home(request):
    return render(request, "home/home.html", {"sections": home_sections(request.user)})


@login_not_required
def help_page(request):
    """A short guide per role: the reader's own role first, the others after it."""
    held = role_names(request.user) if request.user.is_authenticated else set()
    roles = [role for role in ROLES if role in held]
    return render(request, "help/help.html", {"own_roles": roles, "roles": ROLES})


def search_page(request):
    """/search/?q=WORDS[&kind=KIND][&theme=CODE][&KIND-page=N]: what the words find, by kind,
    among the records this person may read (dps.search)."""
    text = params.text(request.GET, "q")
    kinds = search.kind_choices()
    kind = params.choice(request.GET, "kind", [key for key, _ in kinds])
    themes = search.theme_choices(request.user)
    theme = params.choice(request.GET, "theme", [code for code, _ in themes])
    groups = search.results(
        request.user,
        text,
        kind=kind,
        theme=theme,
        page_of=lambda each: params.page_number(request.GET, search.page_parameter(each)),
    )
    for group in groups:
        group.previous_url = _page_url(request, group, -1) if group.page.has_previous() else ""
        group.next_url = _page_url(request, group, 1) if group.page.has_next() else ""
    context = {
        "q": text,
        "kind": kind or "",
        "theme": theme or "",
        "kinds": kinds,
        "themes": themes,
        "groups": groups,
        "total": sum(group.count for group in groups),
        "more": any(group.more for group in groups),
        "crumbs": [("Search", "")],
    }
    return render(request, "search/results.html", context)


def _page_url(request, group, step):
    query = request.GET.copy()
    query[group.page_parameter] = group.page.number + step
    return f"?{query.urlencode()}"


@method_decorator(login_not_required, name="dispatch")
class SignInView(auth_views.LoginView):
    template_name = "registration/sign_in.html"
    redirect_authenticated_user = True
    authentication_form = SignInForm

    def get_context_data(self, **kwargs):
        # Offers the force's identity provider first when one is configured (dps/oidc.py).
        return super().get_context_data(**kwargs) | {"oidc_enabled": bool(settings.OIDC_ISSUER)}


class SignOutView(auth_views.LogoutView):
    http_method_names = ["post", "options"]


@requires_csrf_token
def bad_request(request, exception):
    """The 400 page in the service's layout, saying which value was wrong (dps.params).

    Django's own handler renders without the request, so the page would lose its menu.
    """
    problem = str(exception) if isinstance(exception, params.BadQueryParameter) else ""
    return render(request, "400.html", {"problem": problem}, status=400)


class FilteredTableView(PermissionRequired, SingleTableMixin, FilterView):
    """A list screen: permission check, FilterSet, Table, lazy pagination, CSV/XLSX export.

    Subclasses set model-specific `table_class`, `filterset_class`, `permission_required`,
    `list_title` and `get_queryset()` (which must start from the model's `visible_to(user)`).
    Exports use the same table and the same filtered queryset as the page, so they never drift.
    """

    template_name = "includes/filtered_list.html"
    paginate_by = 25
    table_pagination = {"paginator_class": LazyPaginator}
    list_title = ""
    export_name = ""
    # Permission needed to download; None means whoever may see the page may export it.
    export_permission = None
    export_exclude = ()

    def paginate_queryset(self, queryset, page_size):
        # The table paginates lazily. Left alone, ListView would also build a Django Paginator
        # over the same rows, and that runs COUNT(*) over the whole (filtered) table.
        return None, None, queryset, False

    def get_filterset(self, filterset_class):
        filterset = super().get_filterset(filterset_class)
        # Filters follow the same limits as forms: a 9999-12-31 bound is a field error.
        bound_fields(filterset.form.fields, max_text_length=params.MAX_TEXT_LENGTH)
        word_errors(filterset.form.fields)
        return filterset

    def may_export(self):
        return self.export_permission is None or self.request.user.has_perm(self.export_permission)

    def get(self, request, *args, **kwargs):
        # django-tables2 turns these straight into OFFSET and LIMIT: page 10^20 overflows the
        # database's integer and per_page 10^6 reads a million rows, so both are checked first.
        params.page_number(request.GET)
        params.page_size(request.GET)
        export_format = params.text(request.GET, "_export")
        if export_format:
            return self.export(export_format)
        return super().get(request, *args, **kwargs)

    def export(self, export_format):
        if export_format not in exports.EXPORT_FORMATS:
            raise PermissionDenied(exports.UNKNOWN_FORMAT)
        if not self.may_export():
            raise PermissionDenied(
                "Downloading this list is for the planning manager: your role can read it on "
                "screen. Ask the planning manager if you need a copy."
            )
        filterset = self.get_filterset(self.get_filterset_class())
        rows = filterset.qs if filterset.is_valid() else filterset.queryset.none()
        table = self.get_table_class()(rows)
        RequestConfig(self.request, paginate=False).configure(table)
        dataset = exports.table_dataset(table, exclude_columns=self.export_exclude)
        return exports.dataset_download(
            self.request,
            dataset,
            export_format,
            what=self.list_title,
            filename=self.export_name or "export",
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["list_title"] = self.list_title
        context["export_formats"] = exports.EXPORT_FORMATS if self.may_export() else ()
        return context


class AccessRecordListView(FilteredTableView):
    """Who opened, downloaded or exported which report, PDF, document or list, and when."""

    table_class = AccessRecordTable
    filterset_class = AccessRecordFilterSet
    list_title = "Access records"
    export_name = "access-records"
    template_name = "access_records.html"
    # Either of two permissions (dps.selectors): the rows shown depend on which.
    permission_required = ()

    def has_permission(self):
        return may_read_access_records(self.request.user)

    def get_queryset(self):
        return access_records_for(self.request.user)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["all_records"] = self.request.user.has_perm("dps.view_accessrecord")
        return context
