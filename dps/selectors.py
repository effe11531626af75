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
