import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from dps import merge
from dps.records import EditConflict
from tests.themes.factories import MilestoneFactory
from tests.themes.history import dated
from themes.models import Milestone
from themes.services import milestone_update

pytestmark = pytest.mark.django_db

BASELINE = datetime.date(2008, 4, 1)


def edit_form(milestone, **changes):
    data = {
        "deliverable": milestone.deliverable_id,
        "title": milestone.title,
        "description": milestone.description,
        "owner": milestone.owner_id or "",
        "forecast_date": milestone.forecast_date.isoformat(),
        "actual_date": "",
        "status": milestone.status,
        "version": milestone.version,
        "reason": "",
    }
    # The signed state the edit page puts in the form: the version and values it was opened with.
    opened = {name: merge.canonical(value) for name, value in data.items()}
    opened.update(supporting_areas=[], depends_on=[])
    for name in merge.NOT_MERGED:
        opened.pop(name, None)
    data["opened"] = merge.sign_opened(milestone, milestone.version, opened)
    data.update(changes)
    return data


def test_every_reforecast_is_kept_with_who_when_and_why(planner):
    milestone = MilestoneFactory(baseline_date=BASELINE)
    milestone_update(
        milestone_id=milestone.pk,
        user=planner,
        version=1,
        forecast_date=datetime.date(2008, 4, 10),
        reason="Regulations late",
    )
    milestone_update(
        milestone_id=milestone.pk,
        user=planner,
        version=2,
        forecast_date=datetime.date(2008, 5, 1),
        reason="Trainers redeployed",
    )
    moves = list(milestone.reforecasts.order_by("made_at", "pk"))
    assert [(m.previous_forecast, m.new_forecast, m.reason) for m in moves] == [
        (BASELINE, datetime.date(2008, 4, 10), "Regulations late"),
        (datetime.date(2008, 4, 10), datetime.date(2008, 5, 1), "Trainers redeployed"),
    ]
    assert all(move.made_by == planner for move in moves)
    milestone.refresh_from_db()
    assert milestone.baseline_date == BASELINE
    assert milestone.rag == "red" and milestone.slippage_days == 30
    assert milestone.version == 3


def test_reforecast_without_a_reason_is_refused(planner):
    milestone = MilestoneFactory(baseline_date=BASELINE)
    with pytest.raises(ValidationError) as error:
        milestone_update(
            milestone_id=milestone.pk,
            user=planner,
            version=1,
            forecast_date=datetime.date(2008, 5, 1),
            reason="  ",
        )
    assert "reason" in error.value.message_dict
    milestone.refresh_from_db()
    assert milestone.forecast_date == BASELINE
    assert not milestone.reforecasts.exists()


def test_baseline_cannot_be_changed_once_agreed(planner):
    milestone = MilestoneFactory(baseline_date=BASELINE)
    with pytest.raises(ValidationError):
        milestone_update(
            milestone_id=milestone.pk,
            user=planner,
            version=1,
            baseline_date=datetime.date(2008, 6, 1),
        )


def test_edit_page_asks_for_the_reason_and_keeps_what_was_typed(client_as, planner):
    milestone = MilestoneFactory(baseline_date=BASELINE, title="Go-live")
    response = client_as(planner).post(
        reverse("themes:milestone-edit", args=[milestone.pk]),
        edit_form(milestone, forecast_date="2008-06-01", title="Go-live (revised)"),
    )
    assert response.status_code == 200
    assert "Enter the reason the forecast date has changed" in response.text
    assert 'value="Go-live (revised)"' in response.text
    milestone.refresh_from_db()
    assert milestone.forecast_date == BASELINE


def test_edit_page_records_the_reforecast(client_as, planner):
    milestone = MilestoneFactory(baseline_date=BASELINE)
    response = client_as(planner).post(
        reverse("themes:milestone-edit", args=[milestone.pk]),
        edit_form(milestone, forecast_date="2008-06-01", reason="Home Office deferral"),
    )
    assert response.status_code == 302
    detail = client_as(planner).get(reverse("themes:milestone-detail", args=[milestone.pk]))
    assert "Home Office deferral" in detail.text
    assert "+61" in detail.text


def test_second_of_two_concurrent_edits_is_refused_showing_what_changed(
    client_as, planner, cleared_planner
):
    milestone = MilestoneFactory(baseline_date=BASELINE, title="Guidance issued")
    opened_by_both = edit_form(milestone)
    first = client_as(cleared_planner).post(
        reverse("themes:milestone-edit", args=[milestone.pk]),
        {**opened_by_both, "forecast_date": "2008-04-20", "reason": "Legal review"},
    )
    assert first.status_code == 302
    second = client_as(planner).post(
        reverse("themes:milestone-edit", args=[milestone.pk]),
        {**opened_by_both, "title": "Guidance for champions issued"},
    )
    assert second.status_code == 409
    assert "Your changes were not saved" in second.text
    assert "Forecast date" in second.text
    assert "2008-04-20" in second.text or "20 Apr 2008" in second.text or "April 20" in second.text
    milestone.refresh_from_db()
    assert milestone.title == "Guidance issued"
    assert milestone.forecast_date == datetime.date(2008, 4, 20)
    # The form now carries the current version: a deliberate re-save applies.
    assert f'name="version" value="{milestone.version}"' in second.text


def test_service_refuses_a_stale_version(planner):
    milestone = MilestoneFactory(baseline_date=BASELINE)
    milestone_update(milestone_id=milestone.pk, user=planner, version=1, title="First")
    with pytest.raises(EditConflict) as conflict:
        milestone_update(milestone_id=milestone.pk, user=planner, version=1, title="Second")
    assert [change.field for change in conflict.value.changes] == ["Title"]
    assert Milestone.objects.get(pk=milestone.pk).title == "First"


def test_dependency_warning_when_forecast_before_prerequisite(client_as, planner):
    # Planned in 2007, so the dashboard as at 1 January 2008 finds them.
    with dated(datetime.date(2007, 7, 2), Milestone):
        prerequisite = MilestoneFactory(
            title="Trainers trained",
            baseline_date=BASELINE,
            forecast_date=datetime.date(2008, 6, 1),
        )
        dependent = MilestoneFactory(
            deliverable=prerequisite.deliverable,
            title="Go-live",
            baseline_date=datetime.date(2008, 5, 1),
        )
        dependent.depends_on.add(prerequisite)
    page = client_as(planner).get(reverse("themes:milestone-detail", args=[dependent.pk]))
    assert "before “Trainers trained”" in page.text
    dashboard = client_as(planner).get(reverse("themes:dashboard") + "?as_at=2008-01-01")
    assert "Forecast before a milestone they depend on: 1" in dashboard.text
