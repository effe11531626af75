"""Main navigation: each app lists its destinations in `<app>/navigation.py` as NAV_ITEMS.

Destinations are grouped into sections by the work they serve (the programme, PSSP delivery,
tasking and engagement, committee papers, administration). The header shows the sections
(MOJ primary navigation); a section's own destinations show as a second level on its pages
(MOJ sub navigation). An item shows only to users who hold its permission, and a section only
when it has an item for the user, so nobody sees a link they cannot open. The view behind each
item checks the same permission on the server.
"""

from dataclasses import dataclass, field
from functools import cache
from importlib import import_module

from django.core.exceptions import ImproperlyConfigured
from django.urls import get_script_prefix, reverse

NAV_APPS = ("pssp", "presentations", "themes", "reports", "dps")

PROGRAMME = "Programme"
PSSP_DELIVERY = "PSSP delivery"
TASKING_AND_ENGAGEMENT = "Tasking and engagement"
COMMITTEE_PAPERS = "Committee papers"
ADMINISTRATION = "Administration"
# The order the sections appear in the header.
SECTIONS = (PROGRAMME, PSSP_DELIVERY, TASKING_AND_ENGAGEMENT, COMMITTEE_PAPERS, ADMINISTRATION)


@dataclass(frozen=True)
class NavItem:
    label: str
    url_name: str
    permission: str
    section: str
    order: int = 50


@dataclass
class Destination:
    """One item as a user sees it: where it goes and whether the current page is in it."""

    label: str
    url: str
    section: str
    active: bool = False


@dataclass
class Section:
    """One section as a user sees it: its link opens its first destination the user may open."""

    label: str
    items: list = field(default_factory=list)

    @property
    def url(self):
        return self.items[0].url

    @property
    def active(self):
        return any(item.active for item in self.items)

    @property
    def has_second_level(self):
        return len(self.items) > 1


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
    for item in items:
        if item.section not in SECTIONS:
            raise ImproperlyConfigured(
                f"Navigation item {item.label!r} names section {item.section!r}, "
                f"which is not one of {SECTIONS}"
            )
    return sorted(items, key=lambda item: (SECTIONS.index(item.section), item.order))


@cache
def _addressed_items(script_prefix):
    """Every item with its URL, in header order: what is the same on every request (the items are
    code, the URLs depend only on where the service is mounted), worked out once per process
    rather than importing five modules and reversing some twenty URLs on every page (issue 16).
    Who may see which item is still decided per request, in items_for."""
    return tuple((item, reverse(item.url_name)) for item in all_items())


def items_for(request):
    """Every destination the user may open, in header order, the current one marked."""
    # A request refused before AuthenticationMiddleware ran (a Host not in ALLOWED_HOSTS is
    # refused by CommonMiddleware) has no user at all; its 400 page is drawn with no menu.
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return []
    # The user's permissions, read once for the request, rather than `user.has_perm` per item,
    # which asks every authentication backend afresh each time (about a tenth of a page's fixed
    # cost, issue 16). The same answer: an active superuser holds every permission there is, an
    # inactive user none.
    held = user.get_all_permissions()
    entries = [
        Destination(label=item.label, url=url, section=item.section)
        for item, url in _addressed_items(get_script_prefix())
        if item.permission in held
    ]
    # Only the closest destination is current: /pssp/reports/ must not also light up /pssp/.
    matching = [entry for entry in entries if request.path.startswith(entry.url)]
    if matching:
        max(matching, key=lambda entry: len(entry.url)).active = True
    return entries


def sections_for(request):
    """The sections with at least one destination the user may open, in header order."""
    sections = {}
    for entry in items_for(request):
        sections.setdefault(entry.section, Section(label=entry.section)).items.append(entry)
    return list(sections.values())


def current_section(sections):
    """The section the current page belongs to, if any (the home page belongs to none)."""
    return next((section for section in sections if section.active), None)


NAV_ITEMS = [
    # Everyone reaches their own notices from the header; this is everyone's (within clearance).
    NavItem("Notices sent", "notices-sent", "dps.view_notice", section=ADMINISTRATION, order=85),
    NavItem("Administration", "admin:index", "auth.view_user", section=ADMINISTRATION, order=90),
]
