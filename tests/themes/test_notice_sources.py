"""What each of the programme's notice sources selects, as at chosen dates (themes/notices.py)."""

import datetime

import pytest

from tests.factories import UserFactory, theme
from tests.themes.factories import MilestoneFactory, RiskFactory, deliverable_in
from themes import notices as sources
from themes.choices import ActionStatus, AssumptionStatus, MilestoneStatus, RiskStatus
from themes.models import Assumption, Decision, DecisionAction, MilestoneReforecast

pytestmark = pytest.mark.django_db

AS_AT = datetime.date(2008, 3, 31)


def days(n):
    return AS_AT + datetime.timedelta(days=n)


def occasions(drafts):
    return {(draft.recipient.username, draft.subject_key, draft.occasion) for draft in drafts}


def _milestone(owner, forecast, code="overt", **extra):
    return MilestoneFactory(
        deliverable=deliverable_in(code),
        owner=owner,
        baseline_date=forecast,
        forecast_date=forecast,
        **extra,
    )


# --- Milestones ----------------------------------------------------------------------------------


def test_milestone_owners_are_reminded_14_and_3_days_before_and_when_overdue(planner):
    in_14 = _milestone(planner, days(14))
    in_10 = _milestone(planner, days(10))
    in_3 = _milestone(planner, days(3))
    today = _milestone(planner, AS_AT)
    late = _milestone(planner, days(-5))
    _milestone(planner, days(15))  # not yet
    _milestone(
        planner, days(-9), status=MilestoneStatus.COMPLETE, actual_date=days(-9)
    )  # reached: never overdue

    drafts = list(sources.milestone_reminders(AS_AT))

    assert occasions(drafts) == {
        ("pat.planner", f"themes.milestone:{in_14.pk}", f"due-in-14:{days(14)}"),
        ("pat.planner", f"themes.milestone:{in_10.pk}", f"due-in-14:{days(10)}"),
        ("pat.planner", f"themes.milestone:{in_3.pk}", f"due-in-3:{days(3)}"),
        ("pat.planner", f"themes.milestone:{today.pk}", f"due-in-3:{AS_AT}"),
        ("pat.planner", f"themes.milestone:{late.pk}", f"overdue:{days(-5)}"),
    }
    by_pk = {draft.subject_key: draft for draft in drafts}
    assert by_pk[f"themes.milestone:{late.pk}"].subject.startswith("Milestone overdue: ")
    assert "5 days ago" in by_pk[f"themes.milestone:{late.pk}"].body
    assert f"/themes/milestones/{in_3.pk}/" in by_pk[f"themes.milestone:{in_3.pk}"].body


def test_the_windows_come_from_settings(settings, planner):
    settings.NOTICE_MILESTONE_DAYS_BEFORE = [30, 7]
    in_20 = _milestone(planner, days(20))
    in_5 = _milestone(planner, days(5))
    assert occasions(sources.milestone_reminders(AS_AT)) == {
        ("pat.planner", f"themes.milestone:{in_20.pk}", f"due-in-30:{days(20)}"),
        ("pat.planner", f"themes.milestone:{in_5.pk}", f"due-in-7:{days(5)}"),
    }


def test_a_reforecast_milestone_is_reminded_of_its_new_date(planner):
    milestone = _milestone(planner, days(3))
    first = {draft.occasion for draft in sources.milestone_reminders(AS_AT)}
    milestone.forecast_date = days(2)
    milestone.save()
    second = {draft.occasion for draft in sources.milestone_reminders(AS_AT)}
    assert first == {f"due-in-3:{days(3)}"}
    assert second == {f"due-in-3:{days(2)}"}


def test_an_owner_not_cleared_is_told_nothing_of_a_restricted_milestone(planner, cleared_planner):
    _milestone(planner, days(-1), code="covert", title="Covert source handling reviewed")
    covert = _milestone(cleared_planner, days(-1), code="covert", title="Covert unit formed")

    drafts = list(sources.milestone_reminders(AS_AT))

    assert [(d.recipient, d.subject_key) for d in drafts] == [
        (cleared_planner, f"themes.milestone:{covert.pk}")
    ]
    assert drafts[0].restricted
    assert "Covert unit formed" in drafts[0].subject


def test_an_owner_without_the_role_is_told_nothing(staff_user):
    _milestone(staff_user, days(-1))
    assert list(sources.milestone_reminders(AS_AT)) == []


def test_an_owner_without_an_email_address_is_skipped(planner):
    planner.email = ""
    planner.save()
    _milestone(planner, days(-1))
    assert list(sources.milestone_reminders(AS_AT)) == []


def test_due_window():
    assert sources.due_window(14, [14, 3]) == 14
    assert sources.due_window(4, [14, 3]) == 14
    assert sources.due_window(3, [14, 3]) == 3
    assert sources.due_window(0, [14, 3]) == 3
    assert sources.due_window(15, [14, 3]) is None
    assert sources.due_window(-1, [14, 3]) is None


# --- Decision actions ------------------------------------------------------------------------


def _decision(code="overt", title="Restructure agreed"):
    return Decision.objects.create(
        theme=theme(code), decided_on=days(-30), title=title, description="Agreed."
    )


def test_decision_action_owners_are_told_when_due_and_when_overdue(planner):
    decision = _decision()
    due = DecisionAction.objects.create(
        decision=decision, description="Draft the terms", owner=planner, due_date=days(2)
    )
    late = DecisionAction.objects.create(
        decision=decision, description="Brief the unit", owner=planner, due_date=days(-1)
    )
    DecisionAction.objects.create(
        decision=decision, description="Later", owner=planner, due_date=days(10)
    )
    DecisionAction.objects.create(
        decision=decision,
        description="Done already",
        owner=planner,
        due_date=days(-3),
        status=ActionStatus.DONE,
    )

    drafts = list(sources.decision_action_reminders(AS_AT))

    assert occasions(drafts) == {
        ("pat.planner", f"themes.decisionaction:{due.pk}", f"due:{days(2)}"),
        ("pat.planner", f"themes.decisionaction:{late.pk}", f"overdue:{days(-1)}"),
    }
    assert {draft.subject for draft in drafts} == {
        "Action due: Draft the terms",
        "Action overdue: Brief the unit",
    }


def test_a_restricted_decision_action_only_reaches_a_cleared_owner(planner, cleared_planner):
    decision = _decision("covert", "Covert unit restructure")
    DecisionAction.objects.create(
        decision=decision, description="Vet the team", owner=planner, due_date=days(-1)
    )
    assert list(sources.decision_action_reminders(AS_AT)) == []
    DecisionAction.objects.create(
        decision=decision, description="Vet the team", owner=cleared_planner, due_date=days(-1)
    )
    [draft] = sources.decision_action_reminders(AS_AT)
    assert draft.recipient == cleared_planner and draft.restricted


# --- RAID actions and risk reviews -------------------------------------------------------------


def test_risk_actionees_and_assumption_owners_are_told_when_due(planner, cleared_planner):
    owner = cleared_planner
    due = RiskFactory(theme=theme("overt"), owner=owner, actionee=planner, review_date=days(1))
    RiskFactory(theme=theme("overt"), owner=owner, actionee=planner, review_date=days(9))
    RiskFactory(
        theme=theme("overt"),
        owner=owner,
        actionee=planner,
        review_date=days(-2),
        status=RiskStatus.CLOSED,
    )
    assumption = Assumption.objects.create(
        theme=theme("overt"), description="Staff released", owner=planner, review_date=days(-4)
    )
    Assumption.objects.create(
        theme=theme("overt"),
        description="Confirmed already",
        owner=planner,
        review_date=days(-4),
        status=AssumptionStatus.CONFIRMED,
    )

    drafts = list(sources.raid_action_reminders(AS_AT))

    assert occasions(drafts) == {
        ("pat.planner", f"themes.risk:{due.pk}", f"due:{days(1)}"),
        ("pat.planner", f"themes.assumption:{assumption.pk}", f"overdue:{days(-4)}"),
    }


def test_risk_owners_are_told_once_the_review_date_has_passed(planner, cleared_planner):
    passed = RiskFactory(theme=theme("overt"), owner=planner, review_date=days(-1))
    RiskFactory(theme=theme("overt"), owner=planner, review_date=AS_AT)  # not yet passed
    RiskFactory(theme=theme("overt"), owner=planner, review_date=days(-9), status=RiskStatus.CLOSED)
    RiskFactory(theme=theme("covert"), owner=planner, review_date=days(-9))  # not cleared
    covert = RiskFactory(theme=theme("covert"), owner=cleared_planner, review_date=days(-9))

    drafts = list(sources.risk_review_reminders(AS_AT))

    assert occasions(drafts) == {
        ("pat.planner", f"themes.risk:{passed.pk}", f"review-passed:{days(-1)}"),
        ("chris.cleared", f"themes.risk:{covert.pk}", f"review-passed:{days(-9)}"),
    }
    assert {d.restricted for d in drafts if d.recipient == cleared_planner} == {True}


# --- The weekly digest ---------------------------------------------------------------------------


def test_the_weekly_digest_goes_to_each_planning_manager_as_they_may_read(
    planner, cleared_planner, staff_user
):
    owner = UserFactory()
    for code in ("covert", "overt"):
        slipped = MilestoneFactory(
            deliverable=deliverable_in(code),
            title=f"{code.capitalize()} vetting milestone",
            owner=owner,
            baseline_date=days(-60),
            forecast_date=days(-10),
        )
        MilestoneReforecast.objects.create(
            milestone=slipped,
            previous_forecast=days(-40),
            new_forecast=days(-10),
            reason="Slipped",
            made_by=cleared_planner,
            made_at=datetime.datetime(2008, 3, 28, 10, tzinfo=datetime.UTC),
        )
        RiskFactory(theme=theme(code), title=f"{code.capitalize()} vetting risk")

    drafts = {d.recipient.username: d for d in sources.weekly_digests(AS_AT)}

    assert set(drafts) == {"pat.planner", "chris.cleared"}  # planning managers only
    uncleared, cleared = drafts["pat.planner"], drafts["chris.cleared"]
    assert uncleared.occasion == cleared.occasion == "week:2008-W14"
    assert "Overt vetting milestone" in uncleared.body
    assert "Overt vetting risk" in uncleared.body
    assert "Slipped since 24 March 2008: 1" in uncleared.body
    assert "Exceptions (beyond time tolerance): 1" in uncleared.body
    assert "covert" not in uncleared.body.lower()
    assert not uncleared.restricted
    assert "Covert vetting milestone" in cleared.body and "Covert vetting risk" in cleared.body
    assert cleared.restricted


def test_the_digest_occasion_is_the_week_so_a_later_run_that_week_is_the_same_notice(planner):
    RiskFactory(theme=theme("overt"), owner=planner, review_date=days(-1))
    monday = {d.occasion for d in sources.weekly_digests(AS_AT)}
    friday = {d.occasion for d in sources.weekly_digests(days(4))}
    next_monday = {d.occasion for d in sources.weekly_digests(days(7))}
    assert monday == friday == {"week:2008-W14"}
    assert next_monday == {"week:2008-W15"}


def test_no_digest_when_there_is_nothing_to_report(planner):
    assert list(sources.weekly_digests(AS_AT)) == []
