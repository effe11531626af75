"""Links to the service's fixed pages (home, help, search, sign-out), drawn on every page.

`{% page_url 'help' %}` is `{% url 'help' %}` for a page whose address takes no arguments: it is
reversed once per process, script prefix and URLconf rather than on every page view (the
header and footer's five reversals were a few tenths of a millisecond of every page, issue 16).
"""

from functools import cache

from django import template
from django.urls import get_script_prefix, get_urlconf, reverse

register = template.Library()


@register.simple_tag
def page_url(name):
    return _reversed(name, get_script_prefix(), get_urlconf())


@cache
def _reversed(name, script_prefix, urlconf):
    # The script prefix and URLconf are part of the key: reverse() reads both.
    return reverse(name, urlconf=urlconf)
