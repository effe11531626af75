"""Demo content: the 2007-2009 DPS strategic programme as the September 2007 report sets it out.

Dates are the programme's own (June 2007 to May 2009). So that the dashboard has something in
every panel, the programme reports "as at" 31 March 2008, the end of the 2007/08 financial year
and the date of the Q4 highlight report: some milestones are complete, some overdue, some due in
the next 30 or 90 days, some re-forecast in March 2008. A planning manager can choose any other
date on the dashboard. Idempotent: records are looked up by their natural keys and never re-saved.

The audit history is dated as the events happened, so the programme can be read as at any date
(themes/asat.py): the plan is agreed at the programme's start, each re-forecast is a version dated
when it was made, a milestone reached is a version dated on its actual date, risks and issues
appear on the day they were raised and close on the day they closed, status updates on their own
dates. Whatever else this load writes (theme settings, deliverables, money) is dated at the
programme's start.
"""

import datetime
from decimal import Decimal

from django.utils import timezone

from themes.models import (
    Assumption,
    Benefit,
    BenefitMeasurement,
    Decision,
    DecisionAction,
    Deliverable,
    Issue,
    Milestone,
    MilestoneReforecast,
    Programme,
    Risk,
    SupportingArea,
    Theme,
    ThemeFinance,
    ThemeStatusUpdate,
)
from themes.services import TOLERANCE_FIELDS, milestone_create, theme_tolerances_update

REPORT_AS_AT = datetime.date(2008, 3, 31)


def d(text):
    return datetime.date.fromisoformat(text)


def at(text):
    return timezone.make_aware(datetime.datetime.fromisoformat(text + "T10:00"))


THEME_SETTINGS = {
    "taylor": {
        "lead": "planner",
        "current_state": (
            "A project team is in place and developing a detailed project plan. Borough and "
            "DPS professional standards staff are not yet trained in the new procedures."
        ),
        "target_state": (
            "The new misconduct procedures are in force across the MPS, with trained "
            "investigators, guidance for supervisors and the DPS structure adjusted to them."
        ),
        "time_tolerance_days": None,
    },
    "pssp": {
        "lead": "planner2",
        "current_state": (
            "PSSP presentations have reached most boroughs; 30 of 32 Borough Command Teams "
            "have been met. Civil actions and accident claims sessions are collated separately."
        ),
        "target_state": (
            "Every BOCU has received the PSSP menu, products are reviewed for diversity, and "
            "outcomes are evidenced through complaints and misconduct trends."
        ),
        "time_tolerance_days": 30,
    },
    "intelligence": {
        "lead": "planner",
        "current_state": "Intelligence resources are aligned to reactive casework.",
        "target_state": (
            "Intelligence is the driving force at the hub of DPS, with a proactive development "
            "capability tasking investigations."
        ),
        "time_tolerance_days": 28,
    },
    "covert": {
        "lead": "planner",
        "current_state": "Anti-corruption structures and resourcing have remained static.",
        "target_state": (
            "A restructured covert anti-corruption capability, closely linked to intelligence."
        ),
        "time_tolerance_days": None,
    },
    "overt": {
        "lead": "planner2",
        "current_state": (
            "Borough Support Investigation Teams carry the volume of DPS work; the Specialist "
            "Investigation Team handles serious cases."
        ),
        "target_state": "An investigation model fitted to the Taylor procedures.",
        "time_tolerance_days": None,
        "cost_tolerance_percent": Decimal("10.0"),
    },
}

# theme -> deliverable -> milestones:
# (title, owner, baseline, forecast, actual, areas, [re-forecasts (made, previous, new, reason)])
PLAN = {
    "taylor": {
        "Project team and plan": [
            (
                "Taylor project team in place",
                "planner",
                "2007-07-02",
                None,
                "2007-07-02",
                ["resources"],
                [],
            ),
            (
                "Detailed project plan agreed by the DPS Command Team",
                "planner",
                "2007-09-28",
                None,
                "2007-10-12",
                ["stakeholders"],
                [
                    (
                        "2007-09-20",
                        "2007-09-28",
                        "2007-10-12",
                        "Plan held for IPCC and staff association comments on the draft.",
                    )
                ],
            ),
        ],
        "Readiness for the new misconduct procedures": [
            (
                "Training needs analysis for professional standards units",
                "staff",
                "2007-12-14",
                None,
                "2008-01-18",
                ["resources", "culture"],
                [
                    (
                        "2007-12-03",
                        "2007-12-14",
                        "2008-01-18",
                        "Analysis extended to include Borough Professional Standards Champions.",
                    )
                ],
            ),
            (
                "Guidance for BOCU professional standards champions issued",
                "staff2",
                "2008-02-29",
                "2008-03-14",
                None,
                ["communications"],
                [
                    (
                        "2008-02-25",
                        "2008-02-29",
                        "2008-03-14",
                        "Draft guidance awaiting legal services review.",
                    )
                ],
            ),
            (
                "Train-the-trainer sessions delivered",
                "staff",
                "2008-03-31",
                "2008-05-16",
                None,
                ["resources"],
                [
                    (
                        "2008-03-10",
                        "2008-03-31",
                        "2008-05-16",
                        "Trainers redeployed to a critical incident; sessions rescheduled.",
                    )
                ],
            ),
            (
                "New misconduct procedures mandatory (go-live)",
                "planner",
                "2008-04-01",
                "2008-12-01",
                None,
                ["organisational-structure", "stakeholders"],
                [
                    (
                        "2008-01-21",
                        "2008-04-01",
                        "2008-12-01",
                        "Home Office has deferred the new conduct regulations; go-live now "
                        "expected "
                        "1 December 2008.",
                    )
                ],
            ),
            (
                "Post-implementation review",
                "planner2",
                "2008-10-31",
                "2009-03-31",
                None,
                ["culture"],
                [("2008-01-28", "2008-10-31", "2009-03-31", "Follows the deferred go-live date.")],
            ),
        ],
        "Regular highlight reports": [
            (
                "Highlight report to the Professional Standards & Complaints Committee – Q2",
                "planner",
                "2007-09-13",
                None,
                "2007-09-13",
                ["stakeholders"],
                [],
            ),
            (
                "Highlight report – Q3 2007/08",
                "planner",
                "2008-01-17",
                None,
                "2008-01-17",
                ["stakeholders"],
                [],
            ),
            (
                "Highlight report – Q4 2007/08",
                "planner",
                "2008-04-17",
                None,
                None,
                ["stakeholders"],
                [],
            ),
            (
                "Highlight report – Q1 2008/09",
                "planner",
                "2008-07-17",
                None,
                None,
                ["stakeholders"],
                [],
            ),
        ],
    },
    "pssp": {
        "PSSP delivered to every borough": [
            (
                "Borough Commanders approached before delivery",
                "planner2",
                "2007-09-30",
                None,
                "2007-11-30",
                ["stakeholders"],
                [
                    (
                        "2007-09-24",
                        "2007-09-30",
                        "2007-11-30",
                        "Command team diaries: 30 of 32 met by the end of November.",
                    )
                ],
            ),
            (
                "Preventing Deaths in Custody seminars (four)",
                "staff",
                "2007-12-31",
                None,
                "2007-11-29",
                ["culture"],
                [],
            ),
            (
                "PSSP one year on: report to the Committee",
                "planner2",
                "2008-01-17",
                None,
                "2008-01-17",
                ["stakeholders", "communications"],
                [],
            ),
            (
                "PSSP presentations delivered in all 32 boroughs",
                "staff",
                "2008-03-31",
                "2008-06-30",
                None,
                ["stakeholders", "resources"],
                [
                    (
                        "2008-03-06",
                        "2008-03-31",
                        "2008-06-30",
                        "Two Borough Command Teams not yet met; presentations follow those "
                        "meetings.",
                    )
                ],
            ),
        ],
        "Diversity in professional standards": [
            (
                "Diversity Steering Group inaugural meeting",
                "planner2",
                "2007-10-15",
                None,
                "2007-10-18",
                ["culture", "stakeholders"],
                [],
            ),
            (
                "Diversity Co-ordinator recruited",
                "planner2",
                "2007-12-31",
                "2008-04-30",
                None,
                ["resources", "culture"],
                [
                    (
                        "2007-12-10",
                        "2007-12-31",
                        "2008-02-29",
                        "First recruitment round did not produce a suitable candidate.",
                    ),
                    (
                        "2008-03-05",
                        "2008-02-29",
                        "2008-04-30",
                        "Preferred candidate's vetting not complete.",
                    ),
                ],
            ),
            (
                "PSSP products reviewed by the Diversity Co-ordinator",
                "staff2",
                "2008-06-30",
                "2008-06-30",
                None,
                ["culture"],
                [],
            ),
        ],
    },
    "intelligence": {
        "Intelligence re-alignment": [
            (
                "Review of intelligence resourcing completed",
                "planner",
                "2007-11-30",
                None,
                "2007-12-07",
                ["resources"],
                [],
            ),
            (
                "Re-aligned intelligence unit structure agreed",
                "planner",
                "2008-02-29",
                "2008-03-28",
                None,
                ["organisational-structure"],
                [
                    (
                        "2008-02-18",
                        "2008-02-29",
                        "2008-03-28",
                        "Command Team asked for options on co-location with covert teams.",
                    )
                ],
            ),
            (
                "Proactive intelligence development cell operating",
                "staff2",
                "2008-06-02",
                "2008-06-02",
                None,
                ["resources"],
                [],
            ),
            (
                "Tasking meeting uses proactive intelligence products",
                "staff2",
                "2008-05-16",
                "2008-05-16",
                None,
                ["culture"],
                [],
            ),
        ],
        "Cohesive DPS IT": [
            (
                "Intelligence database upgrade scoped",
                "staff",
                "2008-05-30",
                "2008-05-23",
                None,
                ["it"],
                [],
            ),
            (
                "Intelligence database upgrade live",
                "staff",
                "2008-11-28",
                "2008-11-28",
                None,
                ["it"],
                [],
            ),
        ],
    },
    "covert": {
        "Anti-corruption restructure": [
            (
                "Review of covert anti-corruption structures and resourcing",
                "planner",
                "2007-10-31",
                None,
                "2007-11-09",
                ["organisational-structure"],
                [],
            ),
            (
                "Restructure proposal to the Command Team",
                "planner",
                "2008-01-31",
                "2008-04-11",
                None,
                ["organisational-structure", "resources"],
                [
                    (
                        "2008-01-24",
                        "2008-01-31",
                        "2008-04-11",
                        "Awaiting HR consultation on changes to posts.",
                    )
                ],
            ),
            (
                "Intelligence–investigation links formalised",
                "planner",
                "2008-03-31",
                "2008-03-31",
                None,
                ["culture"],
                [],
            ),
        ],
    },
    "overt": {
        "BSIT and SIT review": [
            (
                "Review of Borough Support Investigation Teams scoped",
                "planner2",
                "2007-10-31",
                None,
                "2007-10-26",
                ["organisational-structure"],
                [],
            ),
            (
                "BSIT/SIT future model options paper",
                "planner2",
                "2008-02-29",
                "2008-05-30",
                None,
                ["organisational-structure", "finance"],
                [
                    (
                        "2008-03-12",
                        "2008-02-29",
                        "2008-05-30",
                        "Options depend on the Taylor procedures, now deferred to December 2008.",
                    )
                ],
            ),
            (
                "Overt case-management process revised",
                "staff2",
                "2008-09-30",
                "2008-09-30",
                None,
                ["it"],
                [],
            ),
        ],
    },
}

# (milestone, the milestone it depends on)
DEPENDENCIES = [
    ("New misconduct procedures mandatory (go-live)", "Train-the-trainer sessions delivered"),
    ("Post-implementation review", "New misconduct procedures mandatory (go-live)"),
    ("PSSP products reviewed by the Diversity Co-ordinator", "Diversity Co-ordinator recruited"),
    (
        "Tasking meeting uses proactive intelligence products",
        "Proactive intelligence development cell operating",
    ),
    ("Intelligence database upgrade live", "Intelligence database upgrade scoped"),
    ("BSIT/SIT future model options paper", "New misconduct procedures mandatory (go-live)"),
]

STATUS_UPDATES = {
    "taylor": [
        ("2007-09-13", "green", "Project team in place; plan in development."),
        ("2007-12-14", "green", "Plan agreed; training needs analysis under way."),
        (
            "2008-01-25",
            "amber",
            "Home Office has deferred the regulations to December 2008; "
            "plan being re-baselined around the new date.",
        ),
        (
            "2008-03-31",
            "red",
            "Go-live beyond tolerance and train-the-trainer slipped; "
            "exception report to the Command Team.",
        ),
    ],
    "pssp": [
        ("2007-09-13", "green", "Presentations under way across boroughs."),
        ("2008-01-17", "green", "One-year-on report to the Committee."),
        (
            "2008-03-31",
            "amber",
            "Two boroughs outstanding; Diversity Co-ordinator not yet in post.",
        ),
    ],
    "intelligence": [
        ("2007-09-13", "green", "Review of resourcing starting."),
        ("2008-03-31", "amber", "Structure decision slipped four weeks for co-location options."),
    ],
    "covert": [
        ("2007-09-13", "green", "Review started."),
        ("2008-03-31", "red", "Restructure proposal held for HR consultation."),
    ],
    "overt": [
        ("2007-09-13", "green", "Scoping complete."),
        ("2008-03-31", "amber", "Options paper depends on the deferred Taylor procedures."),
    ],
}

# theme: (title, cause, event, effect, L/I before, L/I after, proximity, response, owner,
#         actionee, status, raised, review, areas)
RISKS = [
    (
        "taylor",
        "Regulations deferred again",
        "The Home Office timetable for the conduct regulations depends on Parliament.",
        "The regulations are deferred beyond December 2008.",
        "Training delivered in 2008 goes stale and must be repeated.",
        (4, 4),
        (3, 3),
        "within-programme",
        "reduce",
        "planner",
        "staff",
        "open",
        "2008-01-21",
        "2008-03-14",
        ["resources"],
    ),
    (
        "taylor",
        "Staff associations not consulted in time",
        "Consultation with the Police Federation competes with pay negotiations.",
        "Staff associations do not agree the local guidance before go-live.",
        "Procedures challenged at early hearings.",
        (3, 4),
        (2, 3),
        "within-stage",
        "reduce",
        "planner",
        None,
        "open",
        "2007-10-01",
        "2008-04-30",
        ["stakeholders"],
    ),
    (
        "pssp",
        "Presenters unavailable",
        "PSSP presenters are also operational investigators.",
        "Presenters are pulled into casework.",
        "Boroughs wait longer for PSSP sessions.",
        (3, 3),
        (2, 3),
        "imminent",
        "fallback",
        "planner2",
        "staff",
        "open",
        "2007-11-01",
        "2008-02-29",
        ["resources"],
    ),
    (
        "intelligence",
        "Database upgrade unfunded",
        "DPS savings commitments through 2010/11.",
        "The intelligence database upgrade is not funded in 2008/09.",
        "Proactive intelligence work relies on manual searches.",
        (3, 4),
        (2, 4),
        "within-programme",
        "transfer",
        "planner",
        "staff",
        "open",
        "2008-02-01",
        "2008-05-30",
        ["it", "finance"],
    ),
    (
        "covert",
        "Key covert staff leave during restructure",
        "Uncertainty about posts during consultation.",
        "Experienced anti-corruption officers seek posts elsewhere.",
        "Loss of capability in live operations.",
        (4, 5),
        (3, 4),
        "imminent",
        "reduce",
        "planner",
        None,
        "open",
        "2008-01-24",
        "2008-03-07",
        ["resources", "culture"],
    ),
    (
        "overt",
        "Volume of borough referrals rises",
        "New procedures shift more matters to local resolution.",
        "BSIT volumes change unpredictably.",
        "Resourcing model based on old volumes.",
        (3, 3),
        (3, 2),
        "beyond-programme",
        "accept",
        "planner2",
        None,
        "closed",
        "2007-11-15",
        "2008-02-15",
        ["organisational-structure"],
    ),
]


def load(users):
    programme = Programme.objects.order_by("-start_date").first()
    if programme is None:
        return
    load_started = timezone.now()
    marks = _history_marks()
    if programme.reporting_date is None:
        programme.reporting_date = REPORT_AS_AT
        programme.save()
    themes = {theme.code: theme for theme in Theme.objects.filter(programme=programme)}
    areas = {area.code: area for area in SupportingArea.objects.filter(programme=programme)}
    _theme_settings(themes, users)
    milestones, events = _plan(themes, areas, users)
    for title, prerequisite in DEPENDENCIES:
        if not milestones[title].depends_on.filter(pk=milestones[prerequisite].pk).exists():
            milestones[title].depends_on.add(milestones[prerequisite])
    # The plan as agreed is in place (dated below, at the programme's start); then what happened
    # to it, in the order it happened.
    for when, _, happen in sorted(events, key=lambda event: (event[0], event[1])):
        happen(when)
    for code, updates in STATUS_UPDATES.items():
        for as_at, rag, reason in updates:
            update, created = ThemeStatusUpdate.objects.get_or_create(
                theme=themes[code],
                as_at=d(as_at),
                defaults={"rag": rag, "reason": reason, "author": users["planner"]},
            )
            if created:
                _date_versions(update, at(as_at))
    _raid(themes, areas, users)
    _benefits_and_finance(themes, users)
    _date_the_rest(programme, marks, load_started)


# Every model of the programme whose audit history the demo dates.
HISTORY_MODELS = (
    Programme,
    Theme,
    SupportingArea,
    Deliverable,
    Milestone,
    MilestoneReforecast,
    ThemeStatusUpdate,
    Risk,
    Assumption,
    Issue,
    Decision,
    DecisionAction,
    Benefit,
    BenefitMeasurement,
    ThemeFinance,
)


def _history_marks():
    """The last version of each model before this load: only versions after it are dated."""
    return {
        model: model.history.order_by("-history_id").values_list("history_id", flat=True).first()
        or 0
        for model in HISTORY_MODELS
    }


def _save_on(record, when):
    """Save `record` as a change made at `when` (django-simple-history's `_history_date`)."""
    record._history_date = when
    try:
        record.save()
    finally:
        record.__dict__.pop("_history_date", None)


def _date_versions(record, when):
    """Date every version of `record` written so far at `when` (it was created then)."""
    type(record).history.filter(id=record.pk).update(history_date=when)


def _date_the_rest(programme, marks, load_started):
    """Versions this load wrote without a date of their own, and the reference data's first
    versions (written when the database was migrated), are dated at the programme's start."""
    start = timezone.make_aware(datetime.datetime.combine(programme.start_date, datetime.time(9)))
    for model, mark in marks.items():
        model.history.filter(history_id__gt=mark, history_date__gte=load_started).update(
            history_date=start
        )
        model.history.filter(
            history_type="+",
            history_change_reason="Loaded as reference data",
            history_date__gt=start,
        ).update(history_date=start)


def _theme_settings(themes, users):
    for code, values in THEME_SETTINGS.items():
        theme = themes[code]
        wanted = {**values, "lead": users[values["lead"]]}
        if any(getattr(theme, name) != value for name, value in wanted.items()):
            for name, value in wanted.items():
                setattr(theme, name, value)
            # Through the tolerance write, so milestones loaded before keep the right RAG.
            theme_tolerances_update(
                theme=theme, **{name: getattr(theme, name) for name in TOLERANCE_FIELDS}
            )


def _plan(themes, areas, users):
    """The milestones as agreed at the programme's start, and the events that changed them
    afterwards as (when, order, happen(when)) for `load` to play in date order."""
    milestones = {}
    events = []
    for code, deliverables in PLAN.items():
        for order, (deliverable_title, rows) in enumerate(deliverables.items(), start=1):
            deliverable, _ = Deliverable.objects.get_or_create(
                theme=themes[code], title=deliverable_title, defaults={"order": order}
            )
            for title, owner, baseline, forecast, actual, area_codes, moves in rows:
                forecast = forecast or actual or baseline
                milestone = Milestone.objects.filter(deliverable=deliverable, title=title).first()
                if milestone is None:
                    # Through the service, so the cached RAG comes from the same rule as a
                    # page's; as agreed: forecast on the first forecast made, not yet reached.
                    milestone = milestone_create(
                        user=users["planner"],
                        deliverable=deliverable,
                        title=title,
                        owner=users[owner],
                        baseline_date=d(baseline),
                        forecast_date=d(moves[0][1]) if moves else d(forecast),
                        actual_date=None,
                        status="in-progress"
                        if actual or d(baseline) <= d("2008-06-30")
                        else "not-started",
                        version=1,
                        supporting_areas=[areas[c] for c in area_codes],
                    )
                    for made, _previous, new, reason in moves:
                        events.append(
                            (at(made), len(events), _reforecast(milestone, d(new), reason, users))
                        )
                    if actual:
                        events.append((at(actual), len(events), _reached(milestone, d(actual))))
                milestones[title] = milestone
    return milestones, events


def _reforecast(milestone, new_forecast, reason, users):
    def happen(when):
        previous = milestone.forecast_date
        milestone.forecast_date = new_forecast
        milestone.refresh_rag()
        milestone.version += 1
        milestone._change_reason = f"Re-forecast: {reason}"
        _save_on(milestone, when)
        milestone.__dict__.pop("_change_reason", None)
        move, created = MilestoneReforecast.objects.get_or_create(
            milestone=milestone,
            previous_forecast=previous,
            new_forecast=new_forecast,
            defaults={"reason": reason, "made_by": users["planner"], "made_at": when},
        )
        if created:
            _date_versions(move, when)

    return happen


def _reached(milestone, actual):
    def happen(when):
        milestone.status = "complete"
        milestone.actual_date = actual
        milestone.refresh_rag()
        _save_on(milestone, when)

    return happen


def _raid(themes, areas, users):
    for (code, title, cause, event, effect, before, after, proximity, response, owner,
         actionee, status, raised, review, area_codes) in RISKS:  # fmt: skip
        risk, created = Risk.objects.get_or_create(
            theme=themes[code],
            title=title,
            defaults={
                "cause": cause,
                "event": event,
                "effect": effect,
                "likelihood_before": before[0],
                "impact_before": before[1],
                "likelihood_after": after[0],
                "impact_after": after[1],
                "proximity": proximity,
                "response_category": response,
                "owner": users[owner],
                "actionee": users[actionee] if actionee else None,
                "status": "open",
                "raised_on": d(raised),
                "review_date": d(review),
            },
        )
        if created:
            risk.supporting_areas.set([areas[c] for c in area_codes])
            _date_versions(risk, at(raised))
            if status != "open":  # closed when it came up for review
                risk.status = status
                _save_on(risk, at(review))
    Assumption.objects.get_or_create(
        theme=themes["taylor"],
        description="The new procedures will be mandatory for all forces from the same date.",
        defaults={"owner": users["planner"], "status": "confirmed"},
    )
    Assumption.objects.get_or_create(
        theme=themes["pssp"],
        description="BOCU commanders will release staff for PSSP sessions in mandatory training.",
        defaults={"owner": users["planner2"], "review_date": d("2008-06-30")},
    )
    issues = [
        (
            "taylor",
            "request-for-change",
            "Re-baseline go-live to December 2008",
            "Change the go-live milestone to follow the Home Office's new timetable.",
            "high",
            "open",
        ),
        (
            "pssp",
            "problem",
            "Two Borough Command Teams not yet met",
            "PSSP cannot be delivered in two boroughs until their command teams are briefed.",
            "medium",
            "open",
        ),
        (
            "intelligence",
            "off-specification",
            "Resourcing review omitted civilian analysts",
            "The review covered police posts only; civilian analyst posts must be added.",
            "medium",
            "closed",
        ),
        (
            "covert",
            "problem",
            "HR consultation period longer than planned",
            "Consultation on covert posts needs 90 days, not 30.",
            "high",
            "open",
        ),
    ]
    raised_on, closed_on = d("2008-01-25"), d("2008-02-20")
    for code, issue_type, title, description, priority, status in issues:
        issue, created = Issue.objects.get_or_create(
            theme=themes[code],
            title=title,
            defaults={
                "issue_type": issue_type,
                "description": description,
                "priority": priority,
                "status": "open",
                "raised_by": users["planner"],
                "owner": users["planner2"] if code == "pssp" else users["planner"],
                "raised_on": raised_on,
            },
        )
        if created:
            _date_versions(issue, at(raised_on.isoformat()))
            if status == "closed":
                issue.status = status
                issue.closed_on = closed_on
                issue.resolution = "Analyst posts added to the review."
                _save_on(issue, at(closed_on.isoformat()))
    decision, created = Decision.objects.get_or_create(
        theme=themes["taylor"],
        title="Re-baseline the Taylor plan around a December 2008 go-live",
        defaults={
            "decided_on": d("2008-01-28"),
            "description": (
                "The Command Team accepted the Home Office deferral. Training to be timed so "
                "that it is delivered close to go-live; baseline dates kept for reporting."
            ),
        },
    )
    if created:
        _date_versions(decision, at("2008-01-28"))
        _action(
            decision,
            description="Re-forecast dependent milestones and report the exception to the MPA.",
            owner=users["planner"],
            due_date=d("2008-02-15"),
            done=True,
        )
        _action(
            decision,
            description="Agree a refresher training plan with the Training directorate.",
            owner=users["staff"],
            due_date=d("2008-04-30"),
        )
    decision, created = Decision.objects.get_or_create(
        theme=themes["pssp"],
        title="Recruit a Diversity Co-ordinator for DPS",
        defaults={"decided_on": d("2007-09-10"), "description": "Funded from 2007/08 budget."},
    )
    if created:
        _date_versions(decision, at("2007-09-10"))
        _action(
            decision,
            description="Advertise the post and convene an interview panel.",
            owner=users["planner2"],
            due_date=d("2007-11-30"),
            done=True,
        )

    action, created = DecisionAction.objects.get_or_create(
        decision=decision,
        description="Agree with the Diversity Steering Group when PSSP products are reviewed.",
        defaults={"owner": users["planner2"], "due_date": d("2008-03-14")},
    )
    if created:
        _date_versions(action, at(decision.decided_on.isoformat()))


def _action(decision, *, description, owner, due_date, done=False):
    """An action agreed with its decision; one done was done on its due date."""
    action = DecisionAction.objects.create(
        decision=decision, description=description, owner=owner, due_date=due_date
    )
    _date_versions(action, at(decision.decided_on.isoformat()))
    if done:
        action.status = "done"
        _save_on(action, at(due_date.isoformat()))


def _benefits_and_finance(themes, users):
    benefits = [
        (
            "pssp",
            "Fewer information-leakage misconduct cases",
            "Misconduct cases involving computer misuse per year",
            "",
            "48",
            "36",
            "2009-03-31",
            [("2007-03-31", "48"), ("2008-03-31", "41")],
        ),
        (
            "pssp",
            "BOCUs reached by PSSP",
            "Boroughs that have received PSSP",
            " boroughs",
            "12",
            "32",
            "2008-06-30",
            [("2007-09-30", "24"), ("2008-03-31", "30")],
        ),
        (
            "taylor",
            "Faster misconduct outcomes",
            "Average days from allegation to outcome for misconduct",
            " days",
            "210",
            "150",
            "2009-05-31",
            [],
        ),
    ]
    for code, title, measure, unit, baseline, target, expected, actuals in benefits:
        benefit, _ = Benefit.objects.get_or_create(
            theme=themes[code],
            title=title,
            defaults={
                "measure": measure,
                "unit": unit,
                "baseline_value": Decimal(baseline),
                "target_value": Decimal(target),
                "owner": users["planner2"],
                "expected_date": d(expected),
            },
        )
        for measured_on, value in actuals:
            BenefitMeasurement.objects.get_or_create(
                benefit=benefit, measured_on=d(measured_on), defaults={"value": Decimal(value)}
            )
    # (budget, forecast, actual, savings committed) per year, £
    finance = {
        "taylor": {"2007/08": (250000, 240000, 238000, 0), "2008/09": (400000, 420000, None, 0)},
        "pssp": {
            "2007/08": (180000, 175000, 176500, 20000),
            "2008/09": (180000, 170000, None, 25000),
            "2009/10": (170000, 165000, None, 30000),
            "2010/11": (160000, 160000, None, 35000),
        },  # fmt: skip
        "intelligence": {
            "2007/08": (600000, 590000, 588000, 50000),
            "2008/09": (620000, 615000, None, 60000),
        },
        "covert": {
            "2007/08": (900000, 905000, 899000, 0),
            "2008/09": (950000, 960000, None, 40000),
        },
        "overt": {
            "2007/08": (300000, 330000, 331000, 25000),
            "2008/09": (450000, 640000, None, 45000),
            "2009/10": (440000, 440000, None, 45000),
            "2010/11": (430000, 430000, None, 50000),
        },  # fmt: skip
    }
    for code, years in finance.items():
        for year, (budget, forecast, actual, savings) in years.items():
            ThemeFinance.objects.get_or_create(
                theme=themes[code],
                financial_year=year,
                defaults={
                    "budget": budget,
                    "forecast": forecast,
                    "actual": actual,
                    "savings_committed": savings,
                },
            )
