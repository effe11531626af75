from dps.navigation import current_section, sections_for


def navigation(request):
    # Every template rendered with the request (the page, and a table inside it) asks for the
    # menu: it is built once per request (issue 16).
    menu = getattr(request, "_dps_navigation", None)
    if menu is None:
        sections = sections_for(request)
        menu = request._dps_navigation = {
            "nav_sections": sections,
            "nav_section": current_section(sections),
        }
    return menu
