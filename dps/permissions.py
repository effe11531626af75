"""Permission helpers shared by every app's views.

Views check permissions on the server with these; navigation hides what a user may not open, but
that is a courtesy, not the control.
"""

from functools import wraps

from django.contrib.auth.mixins import PermissionRequiredMixin
from django.core.exceptions import PermissionDenied

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
