"""Demo users for the embedded demo. Never created by a migration."""

from django.contrib.auth.models import Group, Permission

from dps.roles import ADMINISTRATOR, COMMITTEE_MEMBER, DPS_STAFF, PLANNING_MANAGER

DEMO_PASSWORD = "demo-password-2007"  # noqa: S105 - the embedded demo only

# (username, first name, last name, role, cleared for restricted themes)
DEMO_USERS = [
    ("staff", "Sam", "Okafor", DPS_STAFF, False),
    ("staff2", "Jo", "Whitfield", DPS_STAFF, False),
    ("planner", "Sharon", "Hicks", PLANNING_MANAGER, True),
    ("planner2", "Dev", "Patel", PLANNING_MANAGER, False),
    ("committee", "Morgan", "Reid", COMMITTEE_MEMBER, False),
    ("admin", "Alex", "Mensah", ADMINISTRATOR, False),
]


def load(user_model):
    restricted = Permission.objects.get(
        content_type__app_label="themes", codename="view_restricted_theme"
    )
    users = {}
    for username, first, last, role, cleared in DEMO_USERS:
        user, created = user_model.objects.get_or_create(
            username=username,
            defaults={
                "first_name": first,
                "last_name": last,
                "email": f"{username}@dps.example",
                "is_staff": role == ADMINISTRATOR,
                "is_superuser": False,
            },
        )
        if created:
            user.set_password(DEMO_PASSWORD)
            user.save()
        user.groups.set([Group.objects.get(name=role)])
        if cleared:
            user.user_permissions.add(restricted)
        users[username] = user
    return users


def logins_text():
    lines = [f"Demo log-ins (password for all: {DEMO_PASSWORD}):"]
    for username, first, last, role, cleared in DEMO_USERS:
        extra = ", cleared for restricted themes" if cleared else ""
        lines.append(f"  {username:<10} {first} {last} – {role}{extra}")
    return "\n".join(lines)
