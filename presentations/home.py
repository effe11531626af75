from presentations.models import Delivery

RECENT = 5


def section(user):
    """For whoever logs sessions: the button to log one, and their own latest entries."""
    if not user.has_perm("presentations.add_delivery"):
        return None
    recent = list(
        Delivery.objects.visible_to(user)
        .filter(entered_by=user)
        .select_related("borough")
        .order_by("-created_at", "-id")[:RECENT]
    )
    return "presentations/home_section.html", {"recent": recent}
