"""Who may grant roles, clearance and superuser status, and the record kept of every grant.

- Nobody changes their own superuser or staff status, roles or permissions: another
  administrator must do it, so no one raises themselves.
- Clearance for restricted (covert) themes is granted only by someone who holds it. Django gives a
  superuser every permission, so superuser status is clearance too: an uncleared administrator
  can make no one a superuser, and cannot edit an account that holds clearance (its password
  included), since taking it over would be a grant to themselves.
- Every grant or removal of a role, permission, clearance or superuser status is written to the
  admin log (django.contrib.admin's LogEntry), shown on the account's or role's History page.
"""

from dataclasses import dataclass

from django.contrib.admin.models import CHANGE, LogEntry
from django.contrib.auth.models import Permission
from django.contrib.contenttypes.models import ContentType

from dps.permissions import can_see_restricted
from dps.roles import RESTRICTED_THEME_PERMISSION

CLEARANCE = "clearance for restricted themes"


def permission_names(permissions):
    return frozenset(
        f"{perm.content_type.app_label}.{perm.codename}"
        for perm in permissions.select_related("content_type")
    )


@dataclass(frozen=True)
class Access:
    """What an account may do, as the admin grants it."""

    superuser: bool = False
    staff: bool = False
    roles: frozenset = frozenset()
    permissions: frozenset = frozenset()
    # Held through superuser status, a direct permission or a role; worked out from the grants,
    # not `has_perm`, so an inactive account's clearance still counts.
    cleared: bool = False

    @classmethod
    def of(cls, *, superuser, staff, groups, permissions):
        """`groups` and `permissions` are querysets of Group and Permission."""
        direct = permission_names(permissions)
        through_roles = permission_names(Permission.objects.filter(group__in=groups))
        return cls(
            superuser=superuser,
            staff=staff,
            roles=frozenset(group.name for group in groups),
            permissions=direct,
            cleared=superuser or RESTRICTED_THEME_PERMISSION in direct | through_roles,
        )

    @classmethod
    def of_user(cls, user):
        if user.pk is None:
            return cls()
        return cls.of(
            superuser=user.is_superuser,
            staff=user.is_staff,
            groups=user.groups.all(),
            permissions=user.user_permissions.all(),
        )


def user_grant_refusals(*, actor, user, before, after):
    """Why `actor` may not change `user`'s access from `before` to `after` (empty: they may)."""
    refusals = []
    if actor.pk == user.pk and before != after:
        refusals.append(
            "You cannot change your own superuser or staff status, roles or permissions: "
            "ask another administrator."
        )
    if not can_see_restricted(actor):
        if after.superuser and not before.superuser:
            refusals.append(f"Only someone with {CLEARANCE} may make a user a superuser.")
        if after.cleared and not before.cleared:
            refusals.append(
                f"Only someone with {CLEARANCE} may grant it, through a permission or a role."
            )
    return refusals


def group_grant_refusals(*, actor, group, before, after):
    """Why `actor` may not change a role's permissions from `before` to `after` (sets of names)."""
    refusals = []
    if group.pk is not None and before != after and actor.groups.filter(pk=group.pk).exists():
        refusals.append("You cannot change the permissions of a role you hold.")
    if (
        not can_see_restricted(actor)
        and RESTRICTED_THEME_PERMISSION in after
        and RESTRICTED_THEME_PERMISSION not in before
    ):
        refusals.append(f"Only someone with {CLEARANCE} may grant it to a role.")
    return refusals


def access_differences(before, after):
    """Each grant and removal between two `Access` states, as a sentence for the log."""
    lines = []
    for name, held, holds in (
        ("superuser status", before.superuser, after.superuser),
        ("staff status", before.staff, after.staff),
    ):
        if held != holds:
            lines.append(f"{'Granted' if holds else 'Removed'} {name}")
    lines += [f"Granted role {role}" for role in sorted(after.roles - before.roles)]
    lines += [f"Removed role {role}" for role in sorted(before.roles - after.roles)]
    lines += permission_differences(before.permissions, after.permissions)
    if before.cleared != after.cleared:
        lines.append(f"{'Granted' if after.cleared else 'Removed'} {CLEARANCE}")
    return lines


def permission_differences(before, after):
    return [f"Granted permission {name}" for name in sorted(after - before)] + [
        f"Removed permission {name}" for name in sorted(before - after)
    ]


def role_permission_differences(role, before, after):
    return [f"Granted permission {name} to role {role}" for name in sorted(after - before)] + [
        f"Removed permission {name} from role {role}" for name in sorted(before - after)
    ]


def grants_record(*, actor, record, changes):
    """One admin log entry per grant or removal, on the account or role that changed."""
    content_type = ContentType.objects.get_for_model(record)
    return [
        LogEntry.objects.create(
            user=actor,
            content_type=content_type,
            object_id=str(record.pk),
            object_repr=str(record)[:200],
            action_flag=CHANGE,
            change_message=f"{change} (by {actor}).",
        )
        for change in changes
    ]
