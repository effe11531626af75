from dps.navigation import current_section, sections_for


def navigation(request):
    sections = sections_for(request)
    return {"nav_sections": sections, "nav_section": current_section(sections)}
