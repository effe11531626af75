"""The service's one way of writing dates, GOV.UK style, used by `{{ value }}`, the `date`
filter's named formats and django-tables2's date columns (which use SHORT_DATE_FORMAT).

Running text: "17 January 2008" (DATE_FORMAT). Tables, where space is short: "17 Jan 2008"
(SHORT_DATE_FORMAT). Django's own en-GB formats would give "17/01/2008" in tables.
"""

DATE_FORMAT = "j F Y"
SHORT_DATE_FORMAT = "j M Y"
DATETIME_FORMAT = "j F Y, H:i"
SHORT_DATETIME_FORMAT = "j M Y, H:i"
MONTH_DAY_FORMAT = "j F"
YEAR_MONTH_FORMAT = "F Y"
FIRST_DAY_OF_WEEK = 1  # Monday

# Dates typed into a field: day/month/year as GOV.UK asks for them ("17/1/2008", also
# "17/01/2008" and "17/1/08", and with the other separators the MOJ date picker reads:
# "17-1-2008", "17.1.2008", "17 1 2008"), and ISO (2008-01-17) for addresses written before
# the date picker and for the filters' own links. (%Y takes four digits, so ISO and
# day-month-year never read one another's dates.)
DATE_INPUT_FORMATS = [
    "%d/%m/%Y",
    "%Y-%m-%d",
    "%d/%m/%y",
    "%d-%m-%Y",
    "%d.%m.%Y",
    "%d %m %Y",
]
