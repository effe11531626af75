from dps.navigation import items_for


def navigation(request):
    # Every template rendered with the request (the page, and a table inside it) asks for the
    # menu: it is built once per request (issue 16).
    items = getattr(request, "_dps_nav_items", None)
    if items is None:
        items = request._dps_nav_items = items_for(request)
    return {"nav_items": items}
