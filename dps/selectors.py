"""Reads shared across apps."""

from importlib import import_module

from dps.navigation import NAV_APPS


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
