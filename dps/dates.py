"""The one range of dates the service accepts: forms, list filters, query strings and imports.

Nothing the programme records happened before 1990 or is planned more than ten years ahead.
Outside that range a date is a typing slip (0001 for 2001) or a probe, and at the very edges
(0001-01-01, 9999-12-31) adding or subtracting a day overflows Python's date type, so one
accepted value would crash every page and feed that does arithmetic with it.
"""

import datetime

from django.core.exceptions import ValidationError
from django.utils import timezone

EARLIEST = datetime.date(1990, 1, 1)
YEARS_AHEAD = 10


def latest(today=None):
    """The last date accepted: ten years from today (28 February when today is 29 February)."""
    today = today or timezone.localdate()
    try:
        return today.replace(year=today.year + YEARS_AHEAD)
    except ValueError:
        return today.replace(year=today.year + YEARS_AHEAD, day=28)


def in_service_range(value):
    return EARLIEST <= value <= latest()


def range_message():
    return f"Enter a date between {EARLIEST:%-d %B %Y} and {latest():%-d %B %Y}."


def validate_service_date(value):
    """Form and filter validator: a date outside the service's range is a field error."""
    if isinstance(value, datetime.datetime):
        value = value.date()
    if not in_service_range(value):
        raise ValidationError(range_message(), code="date_out_of_range")


def in_words_with_time(moment):
    """A moment as GOV.UK writes it in running text: "17 January 2008 at 2:05pm", "at 3pm",
    "at midday", "at midnight" (never "12pm", which readers take either way). Shown in the
    service's time zone."""
    if timezone.is_aware(moment):
        moment = timezone.localtime(moment)
    if (moment.hour, moment.minute) == (12, 0):
        time = "midday"
    elif (moment.hour, moment.minute) == (0, 0):
        time = "midnight"
    else:
        hour = moment.hour % 12 or 12
        minutes = f":{moment.minute:02d}" if moment.minute else ""
        time = f"{hour}{minutes}{'am' if moment.hour < 12 else 'pm'}"
    return f"{moment.day} {moment:%B %Y} at {time}"
