from django.contrib.admin.models import LogEntry
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType

# How many of the latest changes to people's accounts (roles, clearance) the home page lists.
RECENT_GRANTS = 5


def section(user):
    """The administrator's home panel: the administration pages, the access records and the
    latest changes to people's accounts (roles and clearance are granted in the admin)."""
    if not user.has_perm("auth.view_user"):
        return None
    accounts = ContentType.objects.get_for_model(get_user_model())
    grants = (
        LogEntry.objects.filter(content_type=accounts)
        .select_related("user")
        .order_by("-action_time")[:RECENT_GRANTS]
    )
    return "home/administrator_section.html", {
        "grants": list(grants),
        "access_records": user.has_perm("dps.view_accessrecord"),
    }
