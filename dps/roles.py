"""The four roles, as groups, and the permissions each carries.

Permissions are named `app_label.codename`; a pattern may use `*` (fnmatch). A leading `-` removes
what an earlier pattern granted. Seeing restricted (covert) themes is never part of a role: it is
granted to cleared individuals (`themes.view_restricted_theme`).
"""

from fnmatch import fnmatch

from django.db.models import Q

DPS_STAFF = "DPS staff"
PLANNING_MANAGER = "Planning manager"
COMMITTEE_MEMBER = "Committee member"
ADMINISTRATOR = "Administrator"

ROLES = (DPS_STAFF, PLANNING_MANAGER, COMMITTEE_MEMBER, ADMINISTRATOR)

RESTRICTED_THEME_PERMISSION = "themes.view_restricted_theme"

# Who may own or lead programme and PSSP records (milestones, risks, actions, a theme): the people
# doing the work. Committee members read papers and administrators run the system; neither is
# offered in an owner picker.
OWNER_ROLES = (DPS_STAFF, PLANNING_MANAGER)


def possible_owners(users, *, keep=None):
    """`users` narrowed to active people whose role can own a record; `keep` (a user id, the
    record's present owner) stays listed so an edit never silently changes it."""
    eligible = Q(is_active=True, groups__name__in=OWNER_ROLES)
    if keep is not None:
        eligible |= Q(pk=keep)
    return users.filter(eligible).distinct().order_by("first_name", "last_name", "username")


ROLE_PERMISSIONS = {
    DPS_STAFF: [
        "pssp.view_*",
        "dps.view_borough",
        "dps.view_product",
        "presentations.view_*",
        "presentations.add_delivery",
        "presentations.change_delivery",
        "presentations.delete_delivery",
    ],
    PLANNING_MANAGER: [
        "themes.*",
        "pssp.*",
        "dps.*_borough",
        "dps.*_product",
        "presentations.*",
        "reports.*",
        "-themes.view_restricted_theme",
    ],
    COMMITTEE_MEMBER: [
        "reports.view_published_report",
    ],
    ADMINISTRATOR: [
        "auth.*",
        "axes.*",
        "dps.*_borough",
        "dps.*_product",
        "pssp.*_source",
        "themes.view_programme",
        "themes.change_programme",
        "themes.view_supportingarea",
        "themes.change_supportingarea",
        "reports.*_committee",
        "dps.view_*",
    ],
}


def permissions_for(patterns, available):
    """Resolve a role's patterns against the available `app_label.codename` names."""
    granted = set()
    for pattern in patterns:
        if pattern.startswith("-"):
            granted -= {name for name in available if fnmatch(name, pattern[1:])}
        else:
            granted |= {name for name in available if fnmatch(name, pattern)}
    return granted


def sync_roles(**kwargs):
    from django.contrib.auth.models import Group, Permission

    by_name = {
        f"{perm.content_type.app_label}.{perm.codename}": perm
        for perm in Permission.objects.select_related("content_type")
    }
    for role in ROLES:
        group, _ = Group.objects.get_or_create(name=role)
        wanted = permissions_for(ROLE_PERMISSIONS[role], by_name)
        group.permissions.set([by_name[name] for name in sorted(wanted)])
