"""Main navigation: each app lists its sections in `<app>/navigation.py` as NAV_ITEMS.

An item shows only to users who hold its permission, so nobody sees a link they cannot open.
The view behind it checks the same permission on the server.
"""

from dataclasses import dataclass
from importlib import import_module

from django.urls import reverse

NAV_APPS = ("pssp", "presentations", "themes", "reports", "dps")


@dataclass(frozen=True)
class NavItem:
    label: str
    url_name: str
    permission: str
    order: int = 50

    def visible_to(self, user):
        return user.is_authenticated and user.has_perm(self.permission)


def all_items():
    items = []
    for app in NAV_APPS:
        try:
            module = import_module(f"{app}.navigation")
        except ModuleNotFoundError as error:
            if error.name != f"{app}.navigation":
                raise
            continue
        items.extend(module.NAV_ITEMS)
    return sorted(items, key=lambda item: item.order)


def items_for(request):
    if not request.user.is_authenticated:
        return []
    entries = [
        {"label": item.label, "url": reverse(item.url_name), "active": False}
        for item in all_items()
        if item.visible_to(request.user)
    ]
    # Only the closest section is current: /pssp/reports/ must not also light up /pssp/.
    matching = [entry for entry in entries if request.path.startswith(entry["url"])]
    if matching:
        max(matching, key=lambda entry: len(entry["url"]))["active"] = True
    return entries


NAV_ITEMS = [
    # Everyone reaches their own notices from the header; this is everyone's (within clearance).
    NavItem("Notices sent", "notices-sent", "dps.view_notice", order=85),
    NavItem("Administration", "admin:index", "auth.view_user", order=90),
]
