"""Permission helpers shared by every app's views.

Views check permissions on the server with these; navigation hides what a user may not open, but
that is a courtesy, not the control.
"""

import functools
from functools import wraps

from django.contrib.auth.mixins import PermissionRequiredMixin
from django.core.exceptions import PermissionDenied
from django.db import connections, router
from django.db.models import Q

from dps.roles import RESTRICTED_THEME_PERMISSION


def can_see_restricted(user):
    return user.is_authenticated and user.has_perm(RESTRICTED_THEME_PERMISSION)


def role_names(user):
    if not user.is_authenticated:
        return set()
    return set(user.groups.values_list("name", flat=True))


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


# A user id no one has, compiled into the query in place of the user's (see _permissions_sql).
# Within a 32-bit integer: Django compiles a comparison with an id out of the column's range
# to nothing, and the roles' half of the query would silently go.
_ANY_USER = -2_147_483_647


def _permissions_query(user_id, superuser):
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Permission

    if superuser:
        permissions = Permission.objects.all()
    else:
        permissions = Permission.objects.filter(
            Q(
                pk__in=get_user_model()
                .user_permissions.through.objects.filter(user_id=user_id)
                .values("permission_id")
            )
            | Q(
                pk__in=Permission.group_set.through.objects.filter(group__user__id=user_id).values(
                    "permission_id"
                )
            )
        )
    return permissions.values_list("content_type__app_label", "codename").order_by()


@functools.cache
def _permissions_sql(alias, vendor, superuser):
    """The permissions query's SQL, compiled once per process and database (building and
    compiling its two subqueries took longer than running it, on every signed-in request), with
    _ANY_USER among its parameters where the user's id goes."""
    sql, params = _permissions_query(_ANY_USER, superuser).query.get_compiler(using=alias).as_sql()
    if params.count(_ANY_USER) != (0 if superuser else 2):  # the person's and their roles'
        raise RuntimeError(f"The permissions query lost a part: {sql}")
    return sql, params


class PermissionsInOneQuery:
    """Reads a user's permissions, their own and their roles', in one query, where Django's
    ModelBackend takes two (issue 16: every signed-in page checks permissions).

    Listed before ModelBackend in AUTHENTICATION_BACKENDS, it fills the per-request cache
    ModelBackend keeps on the user (`_perm_cache`), so ModelBackend answers from it and every
    later check reads memory. Nothing is kept beyond the user object of the request but the
    query's SQL, the same for everyone (_permissions_sql). It authenticates no one and restores
    no session (no `get_user`), so sign-in and the session's backend are ModelBackend's as before.
    """

    def authenticate(self, request, **credentials):
        return None

    def get_all_permissions(self, user_obj, obj=None):
        if not user_obj.is_active or user_obj.is_anonymous or obj is not None:
            return set()
        if not hasattr(user_obj, "_perm_cache"):
            from django.contrib.auth.models import Permission

            connection = connections[router.db_for_read(Permission)]
            sql, params = _permissions_sql(
                connection.alias, connection.vendor, user_obj.is_superuser
            )
            with connection.cursor() as cursor:
                cursor.execute(sql, [user_obj.pk if p == _ANY_USER else p for p in params])
                rows = cursor.fetchall()
            user_obj._perm_cache = {f"{app_label}.{codename}" for app_label, codename in rows}
        return user_obj._perm_cache

    def has_perm(self, user_obj, perm, obj=None):
        return user_obj.is_active and perm in self.get_all_permissions(user_obj, obj=obj)
