from django.urls import reverse

from themes.selectors import current_programme, programme_summary_block


def section(user):
    """The planning manager's home panel: the programme at a glance, RAG counts linked."""
    if not user.has_perm("themes.view_theme"):
        return None
    programme = current_programme()
    return "themes/home_section.html", {
        "programme": programme,
        "block": programme_summary_block(user) if programme else None,
        "links": user.has_perm("themes.view_milestone"),
        "dashboard_url": reverse("themes:dashboard"),
    }
