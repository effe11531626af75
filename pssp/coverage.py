"""Borough coverage for a period: which of the London boroughs had a command-team meeting,
staff-association contact and PSSP input, and whether the staff associations were met before
the first input, counted from the records (never typed in).

`borough_coverage()` returns plain JSON-serialisable data so a committee report can freeze it.
"""

from datetime import date

from django.db.models import Exists, OuterRef, Subquery

from dps.choices import UnitKind
from dps.models import Borough
from presentations.choices import Stream
from presentations.models import Delivery
from pssp.choices import STAFF_ASSOCIATION_KINDS, MeetingKind
from pssp.models import EngagementMeeting

# Input from the programme: every stream on the PSSP menu. Non-PSSP sessions are DPS talks outside
# the programme, so they do not count as the borough having received PSSP.
PSSP_INPUT_STREAMS = (Stream.PSSP, Stream.CIVIL_ACTIONS, Stream.ACCIDENT_CLAIMS)

MEASURES = (
    ("command_team", "command teams met"),
    ("staff_associations", "had staff-association contact"),
    ("pssp_input", "received PSSP input"),
)


def borough_coverage(start: date, end: date, *, user=None) -> dict:
    """Coverage of the active London boroughs between `start` and `end` inclusive.

    With `user`, records are read through each model's `visible_to(user)`; without, the caller
    (for instance a committee report being frozen) has already checked permission.
    One query: each borough with an EXISTS per measure, which PostgreSQL answers from the
    (borough, date) indexes without scanning the whole period of the delivery log.
    """
    meetings = EngagementMeeting.objects.all()
    deliveries = Delivery.objects.all()
    if user is not None:
        meetings = EngagementMeeting.objects.visible_to(user)
        deliveries = Delivery.objects.visible_to(user)
    in_period = meetings.filter(borough=OuterRef("pk"), met_on__gte=start, met_on__lte=end)
    inputs = deliveries.filter(
        borough=OuterRef("pk"),
        delivered_on__gte=start,
        delivered_on__lte=end,
        stream__in=PSSP_INPUT_STREAMS,
    )
    boroughs = list(
        Borough.objects.filter(kind=UnitKind.BOROUGH, active=True)
        .annotate(
            command_team=Exists(in_period.filter(kind=MeetingKind.COMMAND_TEAM)),
            staff_associations=Exists(in_period.filter(kind__in=STAFF_ASSOCIATION_KINDS)),
            pssp_input=Exists(inputs),
            first_input=Subquery(inputs.order_by("delivered_on").values("delivered_on")[:1]),
            # Staff associations are to be met before presentations: any meeting on or before
            # the borough's first input in the period counts, even one before the period began.
            staff_associations_first=Exists(
                meetings.filter(
                    borough=OuterRef("pk"),
                    kind__in=STAFF_ASSOCIATION_KINDS,
                    met_on__lte=OuterRef("first_input"),
                )
            ),
        )
        .order_by("name")
        .values("name", "staff_associations_first", *(code for code, _ in MEASURES))
    )
    total = len(boroughs)
    measures = []
    for code, wording in MEASURES:
        covered = [row["name"] for row in boroughs if row[code]]
        missing = [row["name"] for row in boroughs if not row[code]]
        noun = "" if code == "command_team" else "boroughs "
        measures.append(
            {
                "code": code,
                "count": len(covered),
                "total": total,
                "summary": f"{len(covered)} of {total} {noun}{wording}",
                "missing": missing,
            }
        )
    with_input = [row for row in boroughs if row["pssp_input"]]
    first = [row["name"] for row in with_input if row["staff_associations_first"]]
    measures.append(
        {
            "code": "staff_associations_first",
            "count": len(first),
            "total": len(with_input),
            "summary": f"{len(first)} of {len(with_input)} boroughs given PSSP input had met "
            "the staff associations beforehand",
            "missing": [row["name"] for row in with_input if not row["staff_associations_first"]],
        }
    )
    return {
        "period": {"start": start.isoformat(), "end": end.isoformat()},
        "total": total,
        "measures": measures,
        "boroughs": [
            {
                "name": row["name"],
                **{code: bool(row[code]) for code, _ in MEASURES},
                # None: no input in the period, so the question does not arise.
                "staff_associations_first": bool(row["staff_associations_first"])
                if row["pssp_input"]
                else None,
            }
            for row in boroughs
        ],
    }


def measure(coverage, code):
    """One measure of a coverage result by its code ('command_team', ...)."""
    return next(entry for entry in coverage["measures"] if entry["code"] == code)
