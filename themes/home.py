from themes.selectors import programme_overview


def section(user):
    if not user.has_perm("themes.view_theme"):
        return None
    programme, themes = programme_overview(user)
    return "themes/home_section.html", {"programme": programme, "themes": themes}
