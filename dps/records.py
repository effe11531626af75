"""One set of record screens for every app: add, edit and delete one record.

Each screen reads its record through `Model.objects.visible_to(user)` and checks its declared
permission itself, so an app's view only declares: the model, the form, the permission, the
names on the page and, where the write is more than `form.save()`, the service that does it.

A subclass may narrow the visible records (`narrow`) but cannot replace how they are read:
defining `get_queryset` or `get_object` on a record screen is refused when the class is made.
"""

from dataclasses import dataclass

from django import forms
from django.contrib import messages
from django.core.exceptions import ImproperlyConfigured, ValidationError
from django.db import transaction
from django.shortcuts import redirect
from django.urls import reverse
from django.views.generic import CreateView, DeleteView, UpdateView
from django.views.generic.edit import ProcessFormView

from dps import merge
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
        # Filled in by the record screen: the fields both people changed, and what is missing.
        self.to_choose = []
        self.errors = []
        self.unverified = False  # the form's signed state was missing or did not verify
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


def _shown(field, value):
    """A canonical value as the user knows it: the choice's label, else the value itself."""
    choices = getattr(field, "choices", None)
    labels = {str(key): str(label) for key, label in choices} if choices is not None else {}
    values = value if isinstance(value, list) else [value]
    shown = [labels.get(str(item), str(item)) for item in values if item != ""]
    return ", ".join(shown) or "—"


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

    def get_form(self, form_class=None):
        return self._with_opened(super().get_form(form_class))

    def _with_opened(self, form):
        if self.locks_versions():
            # The version and the values the form was opened with, signed: the merge after a
            # refused save starts from them, and nobody can forge them.
            form.fields["opened"] = forms.CharField(widget=forms.HiddenInput, required=False)
            if not form.is_bound:
                form.initial["opened"] = merge.sign_opened(
                    self.object, self.object.version, merge.record_values(form)
                )
        return form

    def _unbound_form(self):
        kwargs = {k: v for k, v in self.get_form_kwargs().items() if k not in ("data", "files")}
        return self.get_form_class()(**kwargs)

    def _bound_form(self, data):
        return self._with_opened(self.get_form_class()(**{**self.get_form_kwargs(), "data": data}))

    def conflict_response(self, conflict, opened=None):
        """Someone saved first. The form comes back holding their saved values plus this
        user's changes to the fields they did not touch; a field both changed is shown side by
        side to choose. Its signed state now starts from their version."""
        opened = opened or getattr(self, "opened", None)
        self.object = conflict.current
        theirs = merge.record_values(self._unbound_form())
        yours = merge.submitted_values(self._bound_form(self.request.POST))
        merges = merge.three_way(opened.values if opened else None, theirs, yours)
        data = self.request.POST.copy()
        fields = self._unbound_form().fields
        for field_merge in merges:
            if field_merge.outcome == merge.THEIRS:
                merge.put(data, fields[field_merge.name], field_merge.name, field_merge.theirs)
        to_choose = [m for m in merges if m.conflicting]
        return self._merge_page(conflict, data, theirs, to_choose)

    def _merge_page(self, conflict, data, theirs, to_choose, errors=()):
        current = conflict.current
        data["version"] = current.version
        data["opened"] = merge.sign_opened(
            current, current.version, theirs, [m.name for m in to_choose]
        )
        self.conflict = conflict
        self.conflict.to_choose = self._choice_rows(to_choose, data)
        self.conflict.errors = list(errors)
        form = self._bound_form(data)
        return self.render_to_response(self.get_context_data(form=form), status=409)

    def _choice_rows(self, to_choose, data):
        fields = self._unbound_form().fields
        return [
            {
                "name": m.name,
                "label": fields[m.name].label or m.name.replace("_", " ").capitalize(),
                "theirs": _shown(fields[m.name], m.theirs),
                "yours": _shown(fields[m.name], m.yours),
                "chosen": data.get(f"choose-{m.name}", ""),
            }
            for m in to_choose
        ]

    def resolve_choices(self, opened):
        """`(data, None)`: the POST with each field chosen on the conflict page set to the
        chosen value, theirs from the record as saved now (never from the page), yours as sent.
        `(None, page)` when a choice is missing: the conflict page again, saying which."""
        data = self.request.POST.copy()
        unbound = self._unbound_form()
        theirs = merge.record_values(unbound)
        missing = []
        for name in opened.to_choose:
            if name not in unbound.fields:
                continue
            choice = data.get(f"choose-{name}")
            if choice == merge.THEIRS:
                merge.put(data, unbound.fields[name], name, theirs[name])
            elif choice != merge.YOURS:
                missing.append(name)
        if missing:
            yours = merge.submitted_values(self._bound_form(self.request.POST))
            to_choose = [merge.FieldMerge(n, None, theirs[n], yours[n]) for n in missing]
            errors = [
                (row["name"], f"Choose whose {row['label'].lower()} to keep")
                for row in self._choice_rows(to_choose, data)
            ]
            conflict = EditConflict(self.object, [], None)
            return None, self._merge_page(conflict, data, theirs, to_choose, errors)
        return data, None

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
            opened = self.opened = merge.read_opened(request.POST.get("opened"), self.object)
            if opened is None:
                # No signed state (missing or forged): what the form was opened from is unknown,
                # so nothing is assumed. Every value that differs from the saved one is a choice.
                conflict = edit_conflict(self.object, submitted_version(request))
                conflict = conflict or EditConflict(self.object, [], None)
                conflict.unverified = True
                return self.conflict_response(conflict, None)
            # The signed version, not the plain field, is the one the form was opened at.
            data = request.POST.copy()
            data["version"] = opened.version
            request.POST = data
            conflict = edit_conflict(self.object, submitted_version(request))
            if conflict is not None:
                return self.conflict_response(conflict, opened)
            if opened.to_choose:
                data, page = self.resolve_choices(opened)
                if page is not None:
                    return page
                request.POST = data
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
