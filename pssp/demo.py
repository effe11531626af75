"""Demo content recreating the picture the committee was given in January 2008 (report 10).

The report publishes no borough figures: the source-review counts, audience numbers, names and
dates here are illustrative. What it does publish is kept: 30 of the 32 Borough Command Teams met
in 2007 (the other two still received PSSP input through the delivery log), staff associations met
before presentations, four Preventing Death in Custody seminars at New Scotland Yard, the
"Necessary Force" master class, three joint events planned for 2008, one borough with a full
action plan in preparation, and the undisclosed Fixed Penalty Notices outcome.

Idempotent: every record is found by its natural key before it is created.
"""

import random
from datetime import date, timedelta

from django.core.files.uploadedfile import SimpleUploadedFile

from dps.choices import UnitKind
from dps.models import Borough, Product
from pssp import services
from pssp.choices import (
    AudienceCategory,
    BoroughReportStatus,
    DecisionStatus,
    EventKind,
    EventStatus,
    MeetingKind,
    PlanActionStatus,
    PlanStatus,
)
from pssp.models import (
    ActionPlan,
    BoroughReport,
    EngagementMeeting,
    Event,
    Outcome,
    PlanAction,
    Source,
    SourceReview,
    TaskingDecision,
    TaskingMeeting,
)
from themes.models import Theme

# The two boroughs where no command-team meeting could be arranged in 2007 (illustrative choice).
NOT_MET_2007 = ("Havering", "Kingston upon Thames")
REPORT_BOROUGH = "Croydon"
DPS_LEAD = "Supt Paul McGregor (DPS)"
ANALYST = "PAU analyst"

# A minimal, valid one-page PDF standing in for the commissioned report.
DEMO_PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    b"2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
    b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]>>endobj\n"
    b"trailer<</Root 1 0 R>>\n%%EOF\n"
)


def load(users):
    boroughs = list(Borough.objects.filter(kind=UnitKind.BOROUGH).order_by("name"))
    _engagement(boroughs)
    _source_reviews(boroughs)
    meetings = _tasking()
    _commissioned_reports(meetings)
    _outcomes()
    _events()


def _engagement(boroughs):
    for index, borough in enumerate(boroughs):
        met_on = date(2007, 1 + index % 11, 3 + (index * 7) % 22)
        if borough.name not in NOT_MET_2007:
            EngagementMeeting.objects.get_or_create(
                borough=borough,
                kind=MeetingKind.COMMAND_TEAM,
                met_on=met_on,
                defaults={
                    "attendees": f"Borough Commander and Senior Management Team; {DPS_LEAD}",
                    "notes": "Initial approach before PSSP delivery: local issues and training "
                    "opportunities discussed.",
                },
            )
        # Staff associations are met before presentations on the borough begin: once as the
        # programme launched (November 2006), and again before the borough's 2007 round.
        EngagementMeeting.objects.get_or_create(
            borough=borough,
            kind=MeetingKind.STAFF_ASSOCIATIONS,
            met_on=date(2006, 11, 13) + timedelta(days=index % 14),
            defaults={
                "attendees": "Police Federation and Trade Union Side representatives; PSSP team",
                "notes": "Introduced the programme and its presentations before any delivery.",
            },
        )
        EngagementMeeting.objects.get_or_create(
            borough=borough,
            kind=MeetingKind.STAFF_ASSOCIATIONS,
            met_on=met_on + timedelta(days=7),
            defaults={
                "attendees": "Police Federation and Trade Union Side representatives; PSSP team",
                "notes": "Briefed on the content of the presentations before delivery.",
            },
        )


def _source_reviews(boroughs):
    sources = list(Source.objects.filter(active=True))
    periods = [
        (date(2007, 1, 1), date(2007, 6, 30), date(2007, 7, 10)),
        (date(2007, 7, 1), date(2007, 12, 31), date(2008, 1, 8)),
    ]
    for borough in boroughs:
        rng = random.Random(f"pssp-demo-{borough.name}")  # noqa: S311 - illustrative figures
        for start, end, reviewed_on in periods:
            review, created = SourceReview.objects.get_or_create(
                borough=borough,
                period_start=start,
                period_end=end,
                defaults={"reviewed_on": reviewed_on, "analyst": ANALYST},
            )
            figures = {source: rng.randint(4, 60) for source in sources}
            if created:
                if borough.name == REPORT_BOROUGH:
                    figures = {source: count + 40 for source, count in figures.items()}
                    review.commentary = (
                        "Complaints and civil claims well above the family-group average; "
                        "recommend an in-depth report."
                    )
                    review.save()
                services.review_save_figures(review=review, figures=figures)


def _decision(
    meeting,
    decision,
    *,
    owner,
    due_on,
    boroughs=(),
    product=None,
    resource="",
    done_on=None,
    follow_up="",
):
    record, created = TaskingDecision.objects.get_or_create(
        meeting=meeting,
        decision=decision,
        defaults={
            "owner": owner,
            "due_on": due_on,
            "product": Product.objects.filter(code=product).first() if product else None,
            "resource": resource,
            "status": DecisionStatus.DONE if done_on else DecisionStatus.OPEN,
            "completed_on": done_on,
            "follow_up": follow_up,
        },
    )
    if created and boroughs:
        record.boroughs.set(Borough.objects.filter(name__in=boroughs))
    return record


def _tasking():
    attendees = "Head of DPS prevention; PSSP team leader; PAU manager; Civil Actions team leader"
    meetings = {}
    for held_on in (date(2007, 2, 14), date(2007, 5, 16), date(2007, 8, 15), date(2007, 11, 14)):
        meetings[held_on], _ = TaskingMeeting.objects.get_or_create(
            held_on=held_on,
            defaults={"chair": "Head of DPS prevention", "attendees": attendees},
        )
    _decision(
        meetings[date(2007, 2, 14)],
        "Direct information leakage and computer misuse input to the boroughs with the most "
        "misconduct cases involving misuse of police systems.",
        owner="PSSP team leader",
        due_on=date(2007, 4, 30),
        boroughs=("Lambeth", "Southwark", "Westminster"),
        product="computer-misuse",
        done_on=date(2007, 4, 20),
        follow_up="Delivered at mandatory training days in all three boroughs.",
    )
    _decision(
        meetings[date(2007, 5, 16)],
        "Offer Preventing Deaths in Custody input to custody suites with recent adverse incidents.",
        owner="PSSP team leader",
        due_on=date(2007, 7, 31),
        boroughs=("Hackney", "Newham"),
        product="deaths-in-custody",
        done_on=date(2007, 7, 12),
        follow_up="Delivered to custody sergeants at both boroughs.",
    )
    _decision(
        meetings[date(2007, 8, 15)],
        "Commission an in-depth report on Croydon from the PAU review.",
        owner="PAU manager",
        due_on=date(2007, 9, 28),
        boroughs=(REPORT_BOROUGH,),
        resource="PAU analyst",
        done_on=date(2007, 9, 21),
        follow_up="Report drafted and booked for discussion with the Borough Command Team.",
    )
    _decision(
        meetings[date(2007, 11, 14)],
        "Arrange meetings with the two Borough Command Teams not yet met.",
        owner=DPS_LEAD,
        due_on=date(2008, 2, 29),
        boroughs=NOT_MET_2007,
        resource="Report author",
    )
    _decision(
        meetings[date(2007, 11, 14)],
        "Pilot the Off Duty Behaviour – Personal Responsibility presentation.",
        owner="PSSP team leader",
        due_on=date(2008, 3, 31),
        product="off-duty-behaviour",
    )
    return meetings


def _commissioned_reports(meetings):
    croydon = Borough.objects.get(name=REPORT_BOROUGH)
    report, _ = BoroughReport.objects.get_or_create(
        borough=croydon,
        title="Croydon: professional standards in-depth report",
        defaults={
            "commissioned_on": date(2007, 8, 15),
            "commissioned_at": meetings[date(2007, 8, 15)],
            "author": "PAU analyst",
            "scope": "Public complaints, misconduct cases and civil claims against the "
            "family-group average, with the local causes behind them.",
        },
    )
    if report.status == BoroughReportStatus.COMMISSIONED:
        services.report_attach_document(
            report=report,
            uploaded=SimpleUploadedFile("croydon-report.pdf", DEMO_PDF, "application/pdf"),
        )
        services.report_mark_drafted(report=report, on=date(2007, 9, 21))
        services.report_mark_discussed(
            report=report,
            on=date(2007, 10, 9),
            notes="Positive response; the Borough Command Team will prepare a full action plan.",
        )
        services.report_mark_distributed(
            report=report,
            mpa_link_member="MPA link member for Croydon",
            mpa_link_member_sent_on=date(2007, 10, 22),
            area_commander="Area Commander, South",
            area_commander_sent_on=date(2007, 10, 22),
        )
    plan, created = ActionPlan.objects.get_or_create(
        report=report,
        defaults={
            "status": PlanStatus.IN_PREPARATION,
            "summary": "A full action plan is in preparation to address the issues raised.",
        },
    )
    if created:
        for description, owner, due_on, status in (
            (
                "Local complaints review panel to meet monthly",
                "Borough Superintendent (Ops)",
                date(2008, 2, 29),
                PlanActionStatus.IN_PROGRESS,
            ),
            (
                "PSSP input at every team's next training day",
                "Borough training manager",
                date(2008, 3, 31),
                PlanActionStatus.NOT_STARTED,
            ),
            (
                "Forced-entry claims: adopt best practice on property",
                "Borough Safer Driving rep",
                date(2008, 4, 30),
                PlanActionStatus.NOT_STARTED,
            ),
            (
                "Supervisors briefed on early intervention",
                "Borough Chief Inspector",
                date(2008, 3, 31),
                PlanActionStatus.NOT_STARTED,
            ),
        ):
            PlanAction.objects.create(
                plan=plan, description=description, owner=owner, due_on=due_on, status=status
            )
    BoroughReport.objects.get_or_create(
        borough=Borough.objects.get(name="Lambeth"),
        title="Lambeth: accident and civil claims in-depth report",
        defaults={
            "commissioned_on": date(2007, 11, 14),
            "commissioned_at": meetings[date(2007, 11, 14)],
            "author": "PAU analyst",
        },
    )


def _outcomes():
    Outcome.objects.get_or_create(
        title="Undisclosed Fixed Penalty Notices: Police Notice issued",
        defaults={
            "description": "PSSP sessions identified that a number of officers and staff were not "
            "disclosing that they had received Fixed Penalty Notices. Working through the "
            "Professional Standards Strategic Group, a Police Notice was issued reminding staff "
            "of their responsibilities and setting out a non-punitive approach to compliance.",
            "occurred_on": date(2007, 10, 1),
            "borough": None,
            "theme": Theme.objects.filter(code="pssp").first(),
            "evidence": "Reported to the MPA Professional Standards & Complaints Committee, 17 "
            "January 2008 (report 10, paragraph 12). Potentially serious consequences for holders "
            "of MPS driving permits were avoided.",
            "evidence_reference": "Police Notice via the Professional Standards Strategic Group",
        },
    )


def _event(title, *, audiences=None, **fields):
    event, created = Event.objects.get_or_create(title=title, defaults=fields)
    if created and audiences:
        services.event_save_audiences(event=event, audiences=audiences)
    return event


def _events():
    custody = Product.objects.filter(code="deaths-in-custody").first()
    for number, (held_on, numbers) in enumerate(
        (
            (date(2007, 3, 22), (64, 14, 6, 11)),
            (date(2007, 6, 14), (58, 12, 9, 15)),
            (date(2007, 9, 20), (71, 10, 7, 13)),
            (date(2007, 11, 29), (66, 16, 8, 9)),
        ),
        start=1,
    ):
        _event(
            f"Preventing Death in Custody seminar {number} of 4",
            kind=EventKind.SEMINAR,
            status=EventStatus.HELD,
            starts_on=held_on,
            venue="New Scotland Yard",
            product=custody,
            audiences=dict(
                zip(
                    (
                        AudienceCategory.CUSTODY_PRACTITIONERS,
                        AudienceCategory.INDEPENDENT_CUSTODY_VISITORS,
                        AudienceCategory.IPCC,
                        AudienceCategory.OTHER_FORCES,
                    ),
                    numbers,
                    strict=True,
                )
            ),
        )
    _event(
        "Necessary Force – Issues around the most contentious Police death",
        kind=EventKind.MASTER_CLASS,
        status=EventStatus.HELD,
        starts_on=date(2007, 10, 25),
        venue="New Scotland Yard",
        product=custody,
        description="One-day master class.",
        audiences={
            AudienceCategory.CORONERS: 7,
            AudienceCategory.IPCC: 18,
            AudienceCategory.MPS_PERSONNEL: 92,
        },
    )
    _event(
        "Information Use & Misuse joint seminars",
        kind=EventKind.SEMINAR,
        status=EventStatus.PLANNED,
        timing_note="2008",
        partners="Directorate of Information",
        product=Product.objects.filter(code="computer-misuse").first(),
    )
    _event(
        "Preventing police collisions",
        kind=EventKind.SEMINAR,
        status=EventStatus.PLANNED,
        timing_note="2008",
        partners="MPS Driving School",
        product=Product.objects.filter(code="accident-claims").first(),
        description="Joint initiative with the MPS driving school.",
    )
    _event(
        "Use of force conference",
        kind=EventKind.CONFERENCE,
        status=EventStatus.PLANNED,
        timing_note="2008",
        partners="Academics of international reputation",
        product=custody,
    )
