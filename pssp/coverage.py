"""Engagement coverage for a period: which London boroughs had a command-team meeting,
staff-association contact and PSSP input, and whether the staff associations were met before the
first input, counted from the records (never typed in).

Which boroughs received PSSP input, and which boroughs are counted at all, is not decided here:
it comes from `presentations.stats.borough_coverage`, the one answer every page and report gives.
The command teams met ("30 of 32 command teams met") are a different measure, from the engagement
meetings.

`engagement_coverage()` returns plain JSON-serialisable data.
"""

from datetime import date

from django.db.models import Count, Min, Q

from presentations.stats import borough_coverage, london_boroughs
from pssp.choices import STAFF_ASSOCIATION_KINDS, MeetingKind
from pssp.models import EngagementMeeting

MEASURES = (
    ("command_team", "command teams met"),
    ("staff_associations", "had staff-association contact"),
    ("pssp_input", "received PSSP input"),
)


def engagement_coverage(user, start: date, end: date) -> dict:
    """Engagement with the London boroughs between `start` and `end` inclusive, as `user` sees it.

    Meetings are read through `EngagementMeeting.objects.visible_to(user)`; PSSP input, the
    boroughs and their first input dates come from `borough_coverage(user, start, end)`.
    """
    pssp_input = borough_coverage(user, start, end)
    in_period = Q(met_on__gte=start, met_on__lte=end)
    staff_association = Q(kind__in=STAFF_ASSOCIATION_KINDS)
    meetings = {
        row["borough_id"]: row
        for row in EngagementMeeting.objects.visible_to(user)
        .order_by()
        .values("borough_id")
        .annotate(
            command_team=Count("pk", filter=in_period & Q(kind=MeetingKind.COMMAND_TEAM)),
            staff_associations=Count("pk", filter=in_period & staff_association),
            # Staff associations are to be met before presentations: a meeting on or before the
            # borough's first input in the period counts, even one before the period began.
            first_staff_association=Min("met_on", filter=staff_association),
        )
    }
    boroughs = []
    for entry in london_boroughs(pssp_input):
        met = meetings.get(entry["id"], {})
        first_met = met.get("first_staff_association")
        first_input = entry["first_input"] and date.fromisoformat(entry["first_input"])
        boroughs.append(
            {
                "name": entry["name"],
                "command_team": bool(met.get("command_team")),
                "staff_associations": bool(met.get("staff_associations")),
                "pssp_input": entry["reached"],
                # None: no input in the period, so the question does not arise.
                "staff_associations_first": (first_met is not None and first_met <= first_input)
                if first_input
                else None,
            }
        )
    total = pssp_input["total"]
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
        "boroughs": boroughs,
    }


def measure(coverage, code):
    """One measure of an engagement coverage result by its code ('command_team', ...)."""
    return next(entry for entry in coverage["measures"] if entry["code"] == code)
