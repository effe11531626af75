"""Record-level 2007 sessions whose monthly tables equal the published figures exactly.

The published tables (data/pssp_2007_*.csv, from the January 2008 report to the committee) give
only monthly totals, so the sessions are derived from them by arithmetic, never at random:

- presentations: lay the month's people on a line, PSSP people first, then non-PSSP. People
  [0, computer misuse) heard the computer-misuse presentation and the last `deaths in custody`
  people heard the deaths-in-custody one. Cutting the line at every boundary (and then into
  sessions of about 30) gives sessions that each lie wholly inside or outside every group, so
  the five columns add up exactly;
- civil actions: the month's attendees shared as evenly as possible over its sessions;
- accident claims: the month's participants in sessions of about 25.

Sessions are spread over the 32 boroughs in turn, so every borough receives input during the year.
Each session has a stable `reference` ("demo-2007-…"), so loading twice changes nothing.
"""

import calendar
import csv
import datetime
from pathlib import Path

from django.conf import settings
from django.db import transaction

from dps.models import Borough
from presentations.choices import Occasion, Stream
from presentations.models import Delivery
from presentations.services import DeliveryRow, save_delivery_rows

DATA_DIR = Path(settings.BASE_DIR) / "data"
PRESENTATIONS_CSV = DATA_DIR / "pssp_2007_presentations.csv"
CIVIL_ACTIONS_CSV = DATA_DIR / "pssp_2007_civil_actions.csv"
ACCIDENT_CLAIMS_CSV = DATA_DIR / "pssp_2007_accident_claims.csv"

PRESENTATION_SESSION_SIZE = 30
ACCIDENT_SESSION_SIZE = 25

PRESENTERS = ("PS Karen Doyle", "DS Martin Achebe", "Insp Ruth Kellner", "PC Imran Shah")
CIVIL_PRESENTERS = ("Civil Actions Team: Helen Marsh", "Civil Actions Team: Tom Bright")
ACCIDENT_PRESENTERS = ("Accident Claims Team: Lucy Ford",)
OCCASIONS = (
    Occasion.MANDATORY_TRAINING,
    Occasion.SUPERVISORS_MEETING,
    Occasion.MANDATORY_TRAINING,
    Occasion.MANAGEMENT_MEETING,
    Occasion.SEMINAR,
)
# Other menu items a session may also cover; never the two the presentations table counts.
OTHER_PRODUCTS = ("complaints-misconduct", "off-duty-behaviour", "taylor-reforms", "")


def _read(path):
    with path.open(newline="", encoding="utf-8") as source:
        return [
            {key: value if key == "month" else int(value) for key, value in row.items()}
            for row in csv.DictReader(source)
        ]


def _split(total, size):
    """`total` in near-equal whole parts of about `size` (none when total is 0)."""
    if total <= 0:
        return []
    parts = -(-total // size)
    return _share(total, parts)


def _share(total, parts):
    base, extra = divmod(total, parts)
    return [base + (1 if index < extra else 0) for index in range(parts)]


def presentation_segments(pssp, non_pssp, deaths_in_custody, computer_misuse):
    """(stream, attendees, product codes) per session for one month of the presentations table."""
    people = pssp + non_pssp
    cuts = sorted({0, pssp, computer_misuse, people - deaths_in_custody, people})
    sessions = []
    for start, end in zip(cuts, cuts[1:], strict=False):
        stream = Stream.PSSP if end <= pssp else Stream.NON_PSSP
        products = []
        if end <= computer_misuse:
            products.append("computer-misuse")
        if start >= people - deaths_in_custody:
            products.append("deaths-in-custody")
        for attendees in _split(end - start, PRESENTATION_SESSION_SIZE):
            sessions.append((stream, attendees, products))
    return sessions


def _weekdays(month):
    year, number = (int(part) for part in month.split("-"))
    days = calendar.monthrange(year, number)[1]
    return [
        datetime.date(year, number, day)
        for day in range(1, days + 1)
        if datetime.date(year, number, day).weekday() < 5
    ]


def demo_rows():
    """Every 2007 demo session as DeliveryRow values, in a fixed order."""
    presentations = {row["month"]: row for row in _read(PRESENTATIONS_CSV)}
    civil_actions = {row["month"]: row for row in _read(CIVIL_ACTIONS_CSV)}
    accident_claims = {row["month"]: row for row in _read(ACCIDENT_CLAIMS_CSV)}
    boroughs = list(Borough.objects.boroughs().order_by("name").values_list("id", flat=True))
    rows = []
    counter = 0
    for month in sorted(set(presentations) | set(civil_actions) | set(accident_claims)):
        sessions = []
        if month in presentations:
            figures = presentations[month]
            sessions += presentation_segments(
                figures["pssp_attendees"],
                figures["non_pssp_attendees"],
                figures["attending_preventing_deaths_in_custody"],
                figures["attending_computer_misuse"],
            )
        if month in civil_actions:
            figures = civil_actions[month]
            if figures["sessions"]:
                sessions += [
                    (Stream.CIVIL_ACTIONS, attendees, [])
                    for attendees in _share(figures["attendees"], figures["sessions"])
                ]
        if month in accident_claims:
            sessions += [
                (Stream.ACCIDENT_CLAIMS, attendees, [])
                for attendees in _split(
                    accident_claims[month]["participants"], ACCIDENT_SESSION_SIZE
                )
            ]
        days = _weekdays(month)
        for index, (stream, attendees, products) in enumerate(sessions):
            counter += 1
            extra = OTHER_PRODUCTS[counter % len(OTHER_PRODUCTS)]
            if stream in (Stream.PSSP, Stream.NON_PSSP):
                presenters = PRESENTERS[counter % len(PRESENTERS)]
                codes = [*products, extra] if extra else list(products)
            elif stream == Stream.CIVIL_ACTIONS:
                presenters = CIVIL_PRESENTERS[counter % len(CIVIL_PRESENTERS)]
                codes = []
            else:
                presenters = ACCIDENT_PRESENTERS[0]
                codes = []
            # Around three in five attendees return written feedback, almost all satisfied.
            returns = attendees * 3 // 5
            very_satisfied = returns * 11 // 20
            neutral = returns // 20
            satisfied = returns - very_satisfied - neutral
            rows.append(
                DeliveryRow(
                    delivered_on=days[(index * 7) % len(days)],
                    borough_id=boroughs[(counter * 5) % len(boroughs)],
                    stream=stream,
                    attendees=attendees,
                    products=codes,
                    occasion=OCCASIONS[counter % len(OCCASIONS)],
                    presenters=presenters,
                    reference=f"demo-{month}-{index + 1:03d}",
                    staff_associations_briefed=counter % 9 != 0,
                    feedback={
                        "feedback_very_satisfied": very_satisfied,
                        "feedback_satisfied": satisfied,
                        "feedback_neutral": neutral,
                    },
                )
            )
    return rows


@transaction.atomic
def load(users):
    rows = demo_rows()
    existing = set(
        Delivery.objects.filter(reference__startswith="demo-2007-").values_list(
            "reference", flat=True
        )
    )
    missing = [row for row in rows if row.reference not in existing]
    staff = [users["staff"], users["staff2"]]
    for index, row in enumerate(missing):
        row.entered_by = staff[index % len(staff)]
    save_delivery_rows(missing, reason="Demo data")
