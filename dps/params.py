"""Reading the query string: every value a view takes from request.GET goes through here.

A value a page cannot use (a page number past any database integer, a date in year 9999, a NUL
byte, a theme code of 100,000 characters) raises BadQueryParameter, which Django answers with the
400 page (dps.views.bad_request) naming the parameter: never a 500 from deeper down, and never a
silently different page. An absent or empty parameter gives the default.
"""

import datetime
import re

from django.conf import settings
from django.core.exceptions import BadRequest

from dps import dates

# Far beyond any real list (25 rows a page: 2.5 million rows), far below a database integer.
MAX_PAGE = 100_000
MAX_PAGE_SIZE = 100
MAX_TEXT_LENGTH = 200
# The largest value of a database integer column (PostgreSQL `integer`).
MAX_ID = 2_147_483_647

ASCII_DIGITS = re.compile(r"[0-9]+")
ISO_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


class BadQueryParameter(BadRequest):
    """A query-string value the page cannot use; the message says which and why."""

    def __init__(self, name, problem):
        self.name = name
        super().__init__(f"The ‘{name}’ value in the address {problem}.")


def text(query, name, *, default="", max_length=MAX_TEXT_LENGTH):
    """Free text: stripped; refused with a NUL or other control character, or when over-long."""
    value = query.get(name, "")
    if len(value) > max_length:
        raise BadQueryParameter(name, f"is longer than {max_length} characters")
    if any(ord(character) < 32 for character in value):
        raise BadQueryParameter(name, "contains a control character")
    return value.strip() or default


def whole_number(query, name, *, default=None, minimum=0, maximum=MAX_ID):
    """A whole number in plain ASCII digits (no sign, no '²', no '١'), within the bounds."""
    value = text(query, name)
    if not value:
        return default
    if not ASCII_DIGITS.fullmatch(value) or len(value) > len(str(maximum)):
        raise BadQueryParameter(name, f"must be a whole number from {minimum} to {maximum:,}")
    number = int(value)
    if not minimum <= number <= maximum:
        raise BadQueryParameter(name, f"must be a whole number from {minimum} to {maximum:,}")
    return number


def page_number(query, name="page"):
    return whole_number(query, name, default=1, minimum=1, maximum=MAX_PAGE)


def page_size(query, name="per_page"):
    return whole_number(query, name, default=None, minimum=1, maximum=MAX_PAGE_SIZE)


def record_id(query, name):
    return whole_number(query, name, default=None, minimum=1, maximum=MAX_ID)


def date(query, name, default):
    """A date written as the date fields take it (17/1/2008, or YYYY-MM-DD as links write it),
    within the service's date range (dps.dates)."""
    value = text(query, name)
    if not value:
        return default
    parsed = _typed_date(value)
    if parsed is None:
        raise BadQueryParameter(name, "must be a real date, for example 17/1/2008")
    if not dates.in_service_range(parsed):
        raise BadQueryParameter(
            name, f"must be a date from {dates.EARLIEST:%-d %B %Y} to {dates.latest():%-d %B %Y}"
        )
    return parsed


def _typed_date(value):
    if ISO_DATE.fullmatch(value):
        try:
            return datetime.date.fromisoformat(value)
        except ValueError:
            return None
    # The formats every date field accepts (dps/formats/en_GB): the date picker's 17/1/2008.
    for layout in settings.DATE_INPUT_FORMATS:
        try:
            return datetime.datetime.strptime(value, layout).date()
        except ValueError:
            continue
    return None


def choice(query, name, choices, *, default=None):
    """One of a fixed set of values (export formats, ranking orders, scopes)."""
    value = text(query, name)
    if not value:
        return default
    if value not in choices:
        raise BadQueryParameter(name, "is not one of the values this page offers")
    return value
