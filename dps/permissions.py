"""Permission helpers shared by every app's views.

Views check permissions on the server with these; navigation hides what a user may not open, but
that is a courtesy, not the control.
"""

from functools import wraps

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.mixins import PermissionRequiredMixin
from django.contrib.auth.models import Group, Permission
from django.core.exceptions import PermissionDenied
from django.db.models import Q

from dps.compiled import CompiledQuery
from dps.roles import RESTRICTED_THEME_PERMISSION


def can_see_restricted(user):
    return user.is_authenticated and user.has_perm(RESTRICTED_THEME_PERMISSION)


def role_names(user):
    if not user.is_authenticated:
        return set()
    return {name for (name,) in _ROLE_NAMES.rows(user_id=user.pk)}


class PermissionRequired(PermissionRequiredMixin):
    """Signed-in users without the permission get 403, never a redirect loop to sign-in."""

    raise_exception = True


def require_permission(permission):
    """Function-view decorator: 403 for a signed-in user without the permission.

    (Anonymous users never get here: LoginRequiredMiddleware sends them to sign in.)
    """

    def decorator(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            if not request.user.has_perm(permission):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        # Read by the permission-matrix test, which checks every URL against its declared rule.
        wrapped.permission_required = permission
        return wrapped

    return decorator


# A user id no one has, compiled into the queries below in place of the user's. Within a 32-bit
# integer: Django compiles a comparison with an id out of the column's range to nothing.
_ANY_USER = -2_147_483_647


def _user_by_id(pk):
    return get_user_model()._default_manager.filter(pk=pk)


def _permissions_of(user_id):
    """A user's permissions, their own and their roles', as (app label, codename)."""
    own = get_user_model().user_permissions.through.objects.filter(user_id=user_id)
    roles = Permission.group_set.through.objects.filter(group__user__id=user_id)
    return (
        Permission.objects.filter(
            Q(pk__in=own.values("permission_id")) | Q(pk__in=roles.values("permission_id"))
        )
        .values_list("content_type__app_label", "codename")
        .order_by()
    )


def _every_permission():
    return Permission.objects.values_list("content_type__app_label", "codename").order_by()


def _role_names_of(user_id):
    return Group.objects.filter(user__id=user_id).values_list("name").order_by()


# Compiled once per process (dps.compiled): every signed-in request reads its user and their
# permissions, and building these with the ORM took longer than running them.
_USER = CompiledQuery(_user_by_id, pk=_ANY_USER)
_PERMISSIONS = CompiledQuery(_permissions_of, user_id=_ANY_USER)
_EVERY_PERMISSION = CompiledQuery(_every_permission)
_ROLE_NAMES = CompiledQuery(_role_names_of, user_id=_ANY_USER)


class AccountsBackend(ModelBackend):
    """Django's ModelBackend (local accounts' password sign-in, the session's user, permissions)
    with the two reads every signed-in request makes compiled once: the user, and their
    permissions, their own and their roles', in one query where ModelBackend takes two (issue 16).

    Nothing is kept between requests but the SQL. The user is read afresh on every request and
    refused if inactive, as ModelBackend does, so a deactivated account is signed out at once;
    the permissions are read once per request, into ModelBackend's own cache on the request's user
    object (`_perm_cache`), so a revoked permission counts from the next request. People signed
    in through the identity provider have their session read by dps.oidc.ProviderBackend; their
    permissions are read here, this backend being listed first.
    """

    def get_user(self, user_id):
        pk = get_user_model()._meta.pk.get_prep_value(user_id)  # as `.get(pk=user_id)` takes it
        users = _USER.instances(pk=pk)
        if users and self.user_can_authenticate(users[0]):
            return users[0]
        return None

    def get_all_permissions(self, user_obj, obj=None):
        if not user_obj.is_active or user_obj.is_anonymous or obj is not None:
            return set()
        if not hasattr(user_obj, "_perm_cache"):
            if user_obj.is_superuser:
                rows = _EVERY_PERMISSION.rows()
            else:
                rows = _PERMISSIONS.rows(user_id=user_obj.pk)
            user_obj._perm_cache = {f"{app_label}.{codename}" for app_label, codename in rows}
        return user_obj._perm_cache
