"""The programme's email notices: what falls due for whom, as at a date (dps/notices.py sends).

Whom to tell is found over every row (a system job); what each person is told is then read again
through `visible_to(recipient)`, so an owner who may not read a record (not cleared for its
restricted theme, or without the role) is told nothing of it.

Occasions carry the date they are about: a milestone re-forecast to a new date is reminded of
again, and one reminder per window ("14 days", "3 days", overdue) per date is ever sent.
"""

import datetime

from django.conf import settings
from django.contrib.auth import get_user_model
from django.urls import reverse

from dps.notices import Draft, NoticeKind, absolute_url, register
from dps.roles import PLANNING_MANAGER
from themes.choices import ActionStatus, AssumptionStatus, Rag, RiskStatus
from themes.models import Assumption, DecisionAction, Milestone, Risk
from themes.selectors import cost_exceptions, person_name

MILESTONES = "milestone-due"
DECISION_ACTIONS = "decision-action-due"
RAID_ACTIONS = "raid-action-due"
RISK_REVIEWS = "risk-review-passed"
WEEKLY_DIGEST = "planning-digest"


def _people(rows, field):
    """The active users named in `field` of these rows (a subquery: nothing is read here)."""
    return (
        get_user_model()
        .objects.filter(pk__in=rows.values(field), is_active=True)
        .exclude(email="")
        .order_by("pk")
    )


def _when(days):
    if days == 0:
        return "today"
    if days == 1:
        return "tomorrow"
    if days > 0:
        return f"in {days} days"
    return f"{-days} day{'s' if days != -1 else ''} ago"


def _greeting(user):
    return f"Dear {person_name(user)},\n\n"


def due_window(days_left, windows):
    """The smallest reminder window (days before the date) that `days_left` falls within, or
    None when it is further off than all of them; negative means overdue."""
    fitting = [window for window in windows if 0 <= days_left <= window]
    return min(fitting) if fitting else None


# --- Milestones --------------------------------------------------------------------------------


def milestone_reminders(as_at):
    windows = settings.NOTICE_MILESTONE_DAYS_BEFORE
    horizon = as_at + datetime.timedelta(days=max(windows, default=0))
    candidates = (
        Milestone.objects.every_row("whom to remind").open().filter(forecast_date__lte=horizon)
    )
    for owner in _people(candidates, "owner"):
        milestones = (
            Milestone.objects.visible_to(owner)
            .open()
            .filter(owner=owner, forecast_date__lte=horizon)
            .select_related("deliverable__theme")
            .order_by("forecast_date", "pk")
        )
        for milestone in milestones:
            days_left = (milestone.forecast_date - as_at).days
            if days_left < 0:
                occasion = f"overdue:{milestone.forecast_date}"
                subject = f"Milestone overdue: {milestone.title}"
            else:
                window = due_window(days_left, windows)
                if window is None:
                    continue
                occasion = f"due-in-{window}:{milestone.forecast_date}"
                subject = f"Milestone due {_when(days_left)}: {milestone.title}"
            theme = milestone.deliverable.theme
            verb = "was" if days_left < 0 else "is"
            body = (
                _greeting(owner)
                + f'The milestone you own, "{milestone.title}", {verb} forecast for '
                f"{milestone.forecast_date:%-d %B %Y} ({_when(days_left)}).\n\n"
                f"Theme: {theme.name}\nDeliverable: {milestone.deliverable.title}\n"
                f"Status: {milestone.get_status_display()}\n\n"
                "If it has been reached, record it; if it will be late, re-forecast it with the "
                "reason:\n" + absolute_url(reverse("themes:milestone-detail", args=[milestone.pk]))
            )
            yield Draft(
                recipient=owner,
                kind=MILESTONES,
                subject_key=f"themes.milestone:{milestone.pk}",
                occasion=occasion,
                subject=subject,
                body=body,
                due_date=milestone.forecast_date,
                restricted=theme.restricted,
            )


# --- Actions: decisions' and RAID ------------------------------------------------------------


def _due_occasion(due, as_at):
    days_left = (due - as_at).days
    if days_left < 0:
        return f"overdue:{due}", days_left
    if days_left <= settings.NOTICE_ACTION_DAYS_BEFORE:
        return f"due:{due}", days_left
    return None, days_left


def decision_action_reminders(as_at):
    horizon = as_at + datetime.timedelta(days=settings.NOTICE_ACTION_DAYS_BEFORE)
    candidates = DecisionAction.objects.every_row("whom to remind").filter(
        status=ActionStatus.OPEN, due_date__lte=horizon
    )
    for owner in _people(candidates, "owner"):
        actions = (
            DecisionAction.objects.visible_to(owner)
            .filter(owner=owner, status=ActionStatus.OPEN, due_date__lte=horizon)
            .select_related("decision__theme")
            .order_by("due_date", "pk")
        )
        for action in actions:
            occasion, days_left = _due_occasion(action.due_date, as_at)
            if occasion is None:
                continue
            decision = action.decision
            state = "overdue" if days_left < 0 else "due"
            yield Draft(
                recipient=owner,
                kind=DECISION_ACTIONS,
                subject_key=f"themes.decisionaction:{action.pk}",
                occasion=occasion,
                subject=f"Action {state}: {action.description[:80]}",
                body=_greeting(owner) + f'An action you own on the decision "{decision.title}" '
                f"({decision.theme.name}, {decision.decided_on:%-d %B %Y}) is due "
                f"{action.due_date:%-d %B %Y} ({_when(days_left)}):\n\n{action.description}\n\n"
                + absolute_url(reverse("themes:decision-detail", args=[decision.pk])),
                due_date=action.due_date,
                restricted=decision.theme.restricted,
            )


def _under_review(model, person_field, due):
    """(person, record) for each record matching `due` that names the person in `person_field`,
    read as that person may read it: whom to tell is found across every row, what they are told
    only within their own clearance."""
    everyone = _people(model.objects.every_row("whom to remind").filter(**due), person_field)
    for person in everyone:
        records = (
            model.objects.visible_to(person)
            .filter(**{person_field: person}, **due)
            .select_related("theme")
            .order_by("review_date", "pk")
        )
        for record in records:
            yield person, record


def raid_action_reminders(as_at):
    """RAID actions: a risk's response actions, due from its actionee by the review date, and
    an unconfirmed assumption, due to be checked by its owner by its review date."""
    horizon = as_at + datetime.timedelta(days=settings.NOTICE_ACTION_DAYS_BEFORE)
    open_risks = {"status": RiskStatus.OPEN, "review_date__lte": horizon}
    for actionee, risk in _under_review(Risk, "actionee", open_risks):
        occasion, days_left = _due_occasion(risk.review_date, as_at)
        if occasion is not None:
            yield Draft(
                recipient=actionee,
                kind=RAID_ACTIONS,
                subject_key=f"themes.risk:{risk.pk}",
                occasion=occasion,
                subject=f"Risk response {'overdue' if days_left < 0 else 'due'}: {risk.title}",
                body=_greeting(actionee)
                + f'You carry out the response to the risk "{risk.title}" ({risk.theme.name}). '
                f"It is due for review {risk.review_date:%-d %B %Y} ({_when(days_left)}).\n\n"
                f"Response actions: {risk.response or 'not recorded'}\n\n"
                + absolute_url(reverse("themes:risk-detail", args=[risk.pk])),
                due_date=risk.review_date,
                restricted=risk.theme.restricted,
            )
    open_assumptions = {"status": AssumptionStatus.OPEN, "review_date__lte": horizon}
    for owner, assumption in _under_review(Assumption, "owner", open_assumptions):
        occasion, days_left = _due_occasion(assumption.review_date, as_at)
        if occasion is not None:
            yield Draft(
                recipient=owner,
                kind=RAID_ACTIONS,
                subject_key=f"themes.assumption:{assumption.pk}",
                occasion=occasion,
                subject=f"Assumption to check: {assumption.description[:80]}",
                body=_greeting(owner)
                + f"An assumption you own ({assumption.theme.name}) is due to be confirmed or "
                f"proved false by {assumption.review_date:%-d %B %Y} ({_when(days_left)}):\n\n"
                f"{assumption.description}\n\n"
                + absolute_url(reverse("themes:theme-detail", args=[assumption.theme.code])),
                due_date=assumption.review_date,
                restricted=assumption.theme.restricted,
            )


# --- Risk reviews ------------------------------------------------------------------------------


def risk_review_reminders(as_at):
    past_review = {"status": RiskStatus.OPEN, "review_date__lt": as_at}
    for owner, risk in _under_review(Risk, "owner", past_review):
        days_left = (risk.review_date - as_at).days
        yield Draft(
            recipient=owner,
            kind=RISK_REVIEWS,
            subject_key=f"themes.risk:{risk.pk}",
            occasion=f"review-passed:{risk.review_date}",
            subject=f"Risk review date passed: {risk.title}",
            body=_greeting(owner)
            + f'The risk you own, "{risk.title}" ({risk.theme.name}), was due for review '
            f"on {risk.review_date:%-d %B %Y} ({_when(days_left)}). Review it and set the "
            "next review date:\n" + absolute_url(reverse("themes:risk-detail", args=[risk.pk])),
            due_date=risk.review_date,
            restricted=risk.theme.restricted,
        )


# --- The planning manager's weekly digest --------------------------------------------------------


def _milestone_lines(milestones, as_at):
    return [
        f"- {m.title} ({m.deliverable.theme.name}): forecast {m.forecast_date:%-d %b %Y}, "
        f"{m.slippage_days or 0} days past baseline"
        for m in milestones
    ]


def weekly_digest_content(manager, as_at):
    """The digest's sections as this planning manager may read them: (sections, restricted)."""
    since = as_at - datetime.timedelta(days=7)
    milestones = Milestone.objects.visible_to(manager).select_related("deliverable__theme")
    sections = {
        "Exceptions (beyond time tolerance)": list(
            milestones.open().filter(rag=Rag.RED).order_by("-slippage_days", "pk")
        ),
        f"Slipped since {since:%-d %B %Y}": list(
            milestones.slipped_since(since).order_by("-slippage_days", "pk")
        ),
        "Overdue": list(milestones.overdue(as_at).order_by("forecast_date", "pk")),
    }
    restricted = any(m.deliverable.theme.restricted for rows in sections.values() for m in rows)
    lines = {title: _milestone_lines(rows, as_at) for title, rows in sections.items()}
    risks = list(
        Risk.objects.visible_to(manager)
        .filter(status=RiskStatus.OPEN, review_date__lt=as_at)
        .select_related("theme", "owner")
        .order_by("review_date", "pk")
    )
    restricted |= any(risk.theme.restricted for risk in risks)
    lines["Risks past their review date"] = [
        f"- {risk.title} ({risk.theme.name}): review was due {risk.review_date:%-d %b %Y}, "
        f"owner {person_name(risk.owner)}"
        for risk in risks
    ]
    costs = cost_exceptions(manager)
    lines["Cost exceptions"] = [
        f"- {row['theme__name']}: forecast £{row['forecast']:,.0f} against budget "
        f"£{row['budget']:,.0f} ({row['over_percent']}% over)"
        for row in costs
    ]
    return lines, restricted


def weekly_digests(as_at):
    """Once a week (the first run in each ISO week), to each planning manager."""
    year, week, _ = as_at.isocalendar()
    managers = (
        get_user_model()
        .objects.filter(groups__name=PLANNING_MANAGER, is_active=True)
        .exclude(email="")
        .order_by("pk")
    )
    for manager in managers:
        lines, restricted = weekly_digest_content(manager, as_at)
        if not any(lines.values()):
            continue
        body = _greeting(manager) + f"The programme as at {as_at:%-d %B %Y}.\n"
        for title, rows in lines.items():
            body += f"\n{title}: {len(rows)}\n" + ("\n".join(rows) + "\n" if rows else "")
        body += "\nThe dashboard: " + absolute_url(reverse("themes:dashboard")) + "\n"
        yield Draft(
            recipient=manager,
            kind=WEEKLY_DIGEST,
            subject_key="themes.programme",
            occasion=f"week:{year}-W{week:02d}",
            subject=f"Weekly programme digest, week {week} of {year}",
            body=body,
            restricted=restricted,
        )


def register_all():
    register(
        NoticeKind(
            MILESTONES,
            "Milestones I own: coming due and overdue",
            "Before the forecast date ({} days) and once it has passed.".format(
                " and ".join(str(days) for days in settings.NOTICE_MILESTONE_DAYS_BEFORE)
            ),
            "themes.view_milestone",
            milestone_reminders,
            order=10,
        )
    )
    register(
        NoticeKind(
            DECISION_ACTIONS,
            "Decision actions I own: due and overdue",
            "When an action on a Command Team decision is due, and when it is late.",
            "themes.view_decision",
            decision_action_reminders,
            order=20,
        )
    )
    register(
        NoticeKind(
            RAID_ACTIONS,
            "Risk responses and assumptions: due and overdue",
            "Risk responses I carry out and assumptions I own, by their review dates.",
            "themes.view_risk",
            raid_action_reminders,
            order=30,
        )
    )
    register(
        NoticeKind(
            RISK_REVIEWS,
            "Risks I own: review date passed",
            "When a risk's review date has passed and it is still open.",
            "themes.view_risk",
            risk_review_reminders,
            order=40,
        )
    )
    register(
        NoticeKind(
            WEEKLY_DIGEST,
            "Weekly programme digest",
            "Exceptions, milestones slipped in the week, overdue milestones, risks past review.",
            "themes.change_milestone",
            weekly_digests,
            order=50,
            role=PLANNING_MANAGER,
        )
    )
