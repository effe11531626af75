from reports.selectors import latest_published


def section(user):
    """Committee members (and planners) see the latest published reports on their home page."""
    if not user.has_perm("reports.view_published_report"):
        return None
    return "reports/home_section.html", {"reports": latest_published(user)}
