"""Reads shared across apps."""

from importlib import import_module

from django.db.models import Case, F, Value, When

from dps.audit import RECORD_RESTRICTED
from dps.models import AccessRecord
from dps.navigation import NAV_APPS
from dps.permissions import can_see_restricted


def home_sections(user):
    """Each app may offer a panel for the home page in `<app>/home.py` as `section(user)`.

    It returns None when the panel is not for this user, else (template_name, context).
    """
    sections = []
    for app in NAV_APPS:
        try:
            module = import_module(f"{app}.home")
        except ModuleNotFoundError as error:
            if error.name != f"{app}.home":
                raise
            continue
        section = module.section(user)
        if section is not None:
            sections.append({"template": section[0], **section[1]})
    return sections


def capped_count(queryset, cap):
    """How many rows `queryset` holds, counting no further than `cap` + 1: (count, more).

    `more` is True when there are more than `cap`. The database stops after cap + 1 rows
    (COUNT over a LIMITed subquery), so a page on a million-row table never counts them all.
    """
    counted = queryset.order_by().values("pk")[: cap + 1].count()
    return min(counted, cap), counted > cap


def counted_by_page(page):
    """How many rows match, when a table's page already shows how many: the last page (or
    an empty first page) of a lazily paginated list. None when there are more pages to come.

    The earlier pages each held `per_page` rows, so the count is exact, read from the rows the
    page fetched anyway: a short list needs no COUNT query of its own (issue 16)."""
    if page is None or page.has_next():
        return None
    shown = len(page.object_list)
    if not shown and page.number != 1:
        return None  # past the end: nothing shown says nothing about the earlier pages
    return (page.number - 1) * page.paginator.per_page + shown


# Who may read access records: administrators every one, a planning manager those of the
# reports they wrote (AccessRecord.owner).
ALL_ACCESS_RECORDS = "dps.view_accessrecord"
OWN_REPORTS_ACCESS_RECORDS = "reports.view_report"


def may_read_access_records(user):
    return user.has_perm(ALL_ACCESS_RECORDS) or user.has_perm(OWN_REPORTS_ACCESS_RECORDS)


def access_records_for(user):
    """The access records `user` may read, newest first, each with `shown_what`: the thing
    taken, or "a restricted record" when it was restricted content and `user` is not cleared."""
    records = AccessRecord.objects.select_related("user").order_by("-at", "-pk")
    if not user.has_perm(ALL_ACCESS_RECORDS):
        if not user.has_perm(OWN_REPORTS_ACCESS_RECORDS):
            return records.none()
        records = records.filter(owner=user)
    if can_see_restricted(user):
        return records.annotate(shown_what=F("what"))
    return records.annotate(
        shown_what=Case(When(restricted=True, then=Value(RECORD_RESTRICTED)), default=F("what"))
    )
