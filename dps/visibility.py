"""The one visibility layer: who may read which rows.

A model opts in by using `VisibleQuerySet` (or its manager) and declaring, as class attributes:

- `read_permission`: the permission that reads it (default `<app>.view_<model>`);
- `restricted_path`: the lookup to the boolean that restricts a row to cleared users, e.g.
  `"deliverable__theme__restricted"`, or None when no row is ever restricted.

Everything else is here, once. Pages, exports, feeds, filters, form choices and report blocks read
through `Model.objects.visible_to(user)`. Code that truly needs every row (a system job, a
uniqueness check, a report frozen for its audience) says so with `every_row("why")`.

While a request is being served (VisibilityMiddleware), evaluating one of these querysets without
either raises `VisibilityNotApplied`: a page that forgets the layer fails closed, and the
permission matrix, which opens every page as every persona, fails CI. (NetBox's RestrictedQuerySet
kept the same flag and only logged.)
"""

import contextvars
from functools import cache

from django.db import models

from dps.permissions import can_see_restricted

_enforcing = contextvars.ContextVar("dps_visibility_enforcing", default=False)


class VisibilityNotApplied(RuntimeError):
    """A read of a scoped model that went round the visibility layer."""


class enforce_visibility:  # noqa: N801 - used as a context manager, like a function
    """Within this block, unscoped reads of scoped models raise (requests, report jobs)."""

    def __enter__(self):
        self._token = _enforcing.set(True)

    def __exit__(self, *exc):
        _enforcing.reset(self._token)


class VisibilityMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        with enforce_visibility():
            return self.get_response(request)


def read_permission(model):
    declared = getattr(model, "read_permission", None)
    return declared or f"{model._meta.app_label}.view_{model._meta.model_name}"


@cache
def _restriction_is_nullable(model):
    """True when the path to the restricted flag crosses a nullable foreign key (Outcome.theme)."""
    current = model
    for name in model.restricted_path.split("__")[:-1]:
        field = current._meta.get_field(name)
        if field.null:
            return True
        current = field.related_model
    return False


def clearance_filter(queryset, user, path, *, nullable=False):
    """The restriction rule itself, for any queryset and path to a `restricted` flag; used
    directly only where a query joins through a table of its own (milestone dependencies)."""
    if can_see_restricted(user):
        return queryset
    if nullable:
        return queryset.exclude(**{path: True})
    return queryset.filter(**{path: False})


class VisibleQuerySet(models.QuerySet):
    _visibility = None  # why this queryset may be read: "scoped", "every row", "via parent"

    def _clone(self):
        clone = super()._clone()
        clone._visibility = self._visibility
        return clone

    def _marked(self, why):
        clone = self._chain()
        clone._visibility = why
        return clone

    # --- the two ways in ---------------------------------------------------------------------

    def visible_to(self, user):
        """Rows this user may read: none without the model's read permission; rows restricted to
        cleared users only for the cleared."""
        if not user.is_authenticated:
            return self._marked("scoped").none()
        return self._marked("scoped").readable_by(user)

    def every_row(self, reason):
        """All rows, on purpose. `reason` says why in the code that asks (a system job, a frozen
        report assembled for its audience); it is not used otherwise."""
        assert reason, "say why every row is needed"
        return self._marked("every row")

    # --- rules a model's queryset may refine -------------------------------------------------

    def readable_by(self, user):
        if not user.has_perm(read_permission(self.model)):
            return self.none()
        return self.within_clearance(user)

    def within_clearance(self, user):
        """Only the restriction (the admin checks model permissions itself)."""
        path = getattr(self.model, "restricted_path", None)
        scoped = self._marked(self._visibility or "scoped")
        if path is None:
            return scoped
        return clearance_filter(scoped, user, path, nullable=_restriction_is_nullable(self.model))

    # --- the checks --------------------------------------------------------------------------

    def _check_scoped(self):
        # Only models whose rows can be restricted are enforced: the others are guarded by the
        # role permission every view declares, and carry nothing covert.
        if (
            self._visibility is None
            and getattr(self.model, "restricted_path", None)
            and _enforcing.get()
        ):
            raise VisibilityNotApplied(
                f"{self.model.__name__} read without visible_to(user) or every_row(reason)"
            )

    def _fetch_all(self):
        if self._result_cache is None:
            self._check_scoped()
        super()._fetch_all()

    def count(self):
        if self._result_cache is None:
            self._check_scoped()
        return super().count()

    def aggregate(self, *args, **kwargs):
        self._check_scoped()
        return super().aggregate(*args, **kwargs)

    def iterator(self, *args, **kwargs):
        self._check_scoped()
        return super().iterator(*args, **kwargs)


class VisibleManager(models.Manager.from_queryset(VisibleQuerySet)):
    """Also the base of related managers: `theme.deliverables.all()` or `decision.actions.all()`
    walk down the record's own path to its theme, so they are as visible as the record they
    start from. Cross-links (`milestone.depends_on`, `supporting_area.milestones`,
    `borough.outcomes`) may reach other themes and must be scoped like any other read."""

    def get_queryset(self):
        queryset = super().get_queryset()
        field = getattr(self, "field", None)  # set on reverse foreign-key managers only
        path = getattr(self.model, "restricted_path", None)
        on_own_path = field is not None and path and path.split("__")[0] == field.name
        if hasattr(self, "instance") and on_own_path:
            return queryset._marked("via parent")
        return queryset


def visible_manager(queryset_class=VisibleQuerySet):
    """The manager for a model with its own VisibleQuerySet subclass."""
    return VisibleManager.from_queryset(queryset_class)()
