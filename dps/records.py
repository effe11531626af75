"""One set of record screens for every app: add, edit and delete one record.

Each screen reads its record through `Model.objects.visible_to(user)` and checks its declared
permission itself, so an app's view only declares: the model, the form, the permission, the
names on the page and, where the write is more than `form.save()`, the service that does it.

A subclass may narrow the visible records (`narrow`) but cannot replace how they are read:
defining `get_queryset` or `get_object` on a record screen is refused when the class is made.
"""

from dataclasses import dataclass

from django.contrib import messages
from django.core.exceptions import ImproperlyConfigured, ValidationError
from django.db import transaction
from django.shortcuts import redirect
from django.urls import reverse
from django.views.generic import CreateView, DeleteView, UpdateView
from django.views.generic.edit import ProcessFormView

from dps.audit import history_for
from dps.forms import add_service_errors
from dps.permissions import PermissionRequired


@dataclass
class FieldChange:
    field: str
    yours: object
    theirs: object


class EditConflict(Exception):
    """Someone saved the record after this user opened it; their save is refused."""

    def __init__(self, current, changes, changed_by):
        self.current = current
        self.changes = changes
        self.changed_by = changed_by
        super().__init__(f"{current} was changed by {changed_by} while you were editing it")


# Fields a conflict does not list: the lock itself and what is derived from the others.
UNLISTED_CHANGES = ("version", "rag", "slippage_days", "updated_at")


def edit_conflict(record, version):
    """An EditConflict if `record` (with a `version` field) was saved since `version`, else None.

    What changed is read from the audit trail, between the version opened and the latest.
    """
    if record.version == version:
        return None
    snapshots = record.history.order_by("-history_date", "-history_id")
    current = snapshots.first()
    opened = snapshots.filter(version=version).order_by("-history_date").first()
    changes = []
    if opened is not None and current is not None:
        for change in current.diff_against(opened, foreign_keys_are_objs=True).changes:
            if change.field in UNLISTED_CHANGES:
                continue
            verbose = record._meta.get_field(change.field).verbose_name
            changes.append(FieldChange(str(verbose).capitalize(), change.old, change.new))
    who = current.history_user if current is not None else None
    return EditConflict(record, changes, who)


def submitted_version(request):
    try:
        return int(request.POST.get("version") or 0)
    except ValueError:
        return 0


class RecordScreen(PermissionRequired):
    """What every record screen shares: the permission, the visible records, the page parts."""

    model = None
    permission_required = None
    # No DELETE or PUT: DeleteView would delete without the screen's own write (delete_record).
    http_method_names = ["get", "post"]
    list_label = ""
    list_url_name = ""

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        for name in ("get_queryset", "get_object"):
            if name in cls.__dict__:
                raise ImproperlyConfigured(
                    f"{cls.__name__} may not define {name}: record screens read through "
                    "visible_to(user); narrow the records with narrow(queryset) instead."
                )

    def narrow(self, queryset):
        """Hook: select_related, or a further filter. It receives only visible records."""
        return queryset

    def get_queryset(self):
        if self.model is None or not self.permission_required:
            raise ImproperlyConfigured(f"{type(self).__name__} needs a model and a permission.")
        return self.narrow(self.model.objects.visible_to(self.request.user))

    def get_object(self, queryset=None):
        # Always from the visible records, whatever queryset a caller passes.
        record = super().get_object(self.get_queryset())
        self.check_record(record)
        return record

    def check_record(self, record):
        """Hook: raise PermissionDenied when this user may see the record but not change it."""

    def has_object(self):
        return getattr(self, "object", None) is not None and self.object.pk is not None

    def list_url(self):
        return reverse(self.list_url_name) if self.list_url_name else None

    def breadcrumbs(self, title):
        crumbs = [(self.list_label, self.list_url())] if self.list_label else []
        return [*crumbs, (title, None)]


class RecordFormMixin(RecordScreen):
    """A create or edit page in the shared form template, with the record's audit history.

    The write is `save_record(form)`: by default `form.save()` in a transaction; a screen whose
    write is a service overrides it, and the service's ValidationError lands on the form. A
    record with a `version` field is locked optimistically: a save from an older version is
    refused with what changed (status 409), and the user's values stay in the form.
    """

    template_name = "records/form.html"
    success_message = "Saved."
    caption = ""
    multipart = False
    conflict = None

    def page_title(self):
        if self.has_object():
            return f"Edit {self.object}"
        return f"New {self.model._meta.verbose_name}"

    def cancel_url(self):
        if self.has_object():
            return self.object.get_absolute_url()
        return self.list_url()

    def get_success_message(self):
        return self.success_message

    def get_caption(self):
        return self.caption

    def save_record(self, form):
        with transaction.atomic():
            return form.save()

    def locks_versions(self):
        return self.has_object() and any(f.name == "version" for f in self.model._meta.fields)

    def form_valid(self, form):
        try:
            record = self.save_record(form)
        except EditConflict as conflict:  # someone saved between the check in post() and now
            return self.conflict_response(conflict)
        except ValidationError as error:
            add_service_errors(form, error)
            return self.form_invalid(form)
        self.object = record
        messages.success(self.request, self.get_success_message())
        return redirect(self.get_success_url())

    def conflict_response(self, conflict):
        # Keep what this user typed, but let a deliberate re-save apply over the new version.
        post = self.request.POST.copy()
        post["version"] = conflict.current.version
        self.object = conflict.current
        self.conflict = conflict
        form = self.get_form_class()(**{**self.get_form_kwargs(), "data": post})
        return self.render_to_response(self.get_context_data(form=form), status=409)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        title = self.page_title()
        context.update(
            title=title,
            caption=self.get_caption(),
            multipart=self.multipart,
            cancel_url=self.cancel_url(),
            conflict=self.conflict,
            record_noun=self.model._meta.verbose_name,
            breadcrumbs=self.breadcrumbs(title),
            history=history_for(self.object) if self.has_object() else None,
        )
        return context


class RecordCreateView(RecordFormMixin, CreateView):
    pass


class RecordUpdateView(RecordFormMixin, UpdateView):
    def post(self, request, *args, **kwargs):
        self.object = self.get_object()
        # Checked before the form: what the user typed is compared with what they opened.
        if self.locks_versions():
            conflict = edit_conflict(self.object, submitted_version(request))
            if conflict is not None:
                return self.conflict_response(conflict)
        return ProcessFormView.post(self, request, *args, **kwargs)


class RecordDeleteView(RecordScreen, DeleteView):
    """Delete a record entered by mistake, after a confirmation page. The audit trail keeps it."""

    template_name = "records/confirm_delete.html"
    explanation = "Delete only a record entered by mistake. The audit trail keeps what it said."
    button_label = "Delete"

    def page_title(self):
        return f"Delete {self.object}?"

    def head_title(self):
        return self.page_title()

    def cancel_url(self):
        return self.object.get_absolute_url()

    def get_success_url(self):
        return self.list_url()

    def success_message(self, name):
        return f"Deleted: {name}."

    def delete_record(self, record):
        record._history_user = self.request.user
        record.delete()

    def form_valid(self, form):
        name = str(self.object)
        success_url = self.get_success_url()
        with transaction.atomic():
            self.delete_record(self.object)
        messages.success(self.request, self.success_message(name))
        return redirect(success_url)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        title = self.page_title()
        context.update(
            title=title,
            head_title=self.head_title(),
            explanation=self.explanation,
            button_label=self.button_label,
            cancel_url=self.cancel_url(),
            breadcrumbs=self.delete_breadcrumbs(),
        )
        return context

    def delete_breadcrumbs(self):
        crumbs = [(self.list_label, self.list_url())] if self.list_label else []
        return [*crumbs, (str(self.object), self.cancel_url()), ("Delete", None)]
