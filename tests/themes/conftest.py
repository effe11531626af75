import datetime

import pytest

from tests.factories import theme
from tests.themes.factories import MilestoneFactory, RiskFactory, deliverable_in
from tests.themes.history import dated
from themes.models import Milestone, Risk, SupportingArea
from themes.services import milestone_update

BASELINE = datetime.date(2008, 4, 1)
AGREED = datetime.date(2007, 7, 2)
DEFERRED = datetime.date(2008, 1, 21)
COMPLETED = datetime.date(2008, 6, 2)


@pytest.fixture
def covert_and_overt(db):
    """One milestone and one risk in the restricted covert theme and in the open overt theme,
    all overdue, red and past review as at 1 June 2008, in the same supporting area."""
    area = SupportingArea.objects.get(code="resources")
    rows = {}
    # Recorded in January 2008, so the dashboard as at June 2008 finds them too.
    with dated(datetime.date(2008, 1, 2), Milestone, Risk):
        for code in ("covert", "overt"):
            rows[code] = _covert_and_overt_rows(code, area)
    return rows


def _covert_and_overt_rows(code, area):
    milestone = MilestoneFactory(
        deliverable=deliverable_in(code),
        title=f"{code.capitalize()} restructure milestone",
        baseline_date=datetime.date(2008, 1, 1),
        forecast_date=datetime.date(2008, 3, 1),
    )
    milestone.supporting_areas.add(area)
    risk = RiskFactory(
        theme=theme(code),
        title=f"{code.capitalize()} staffing risk",
        review_date=datetime.date(2008, 2, 1),
    )
    risk.supporting_areas.add(area)
    return {"milestone": milestone, "risk": risk}


@pytest.fixture
def go_live(planner):
    """Agreed on 2 July 2007 for 1 April 2008, re-forecast to 1 December 2008 on 21 January 2008,
    reached on 2 June 2008 (so that each date has a different answer)."""
    with dated(AGREED, Milestone):
        milestone = MilestoneFactory(
            deliverable=deliverable_in("taylor"), title="Go-live", baseline_date=BASELINE
        )
    with dated(DEFERRED, Milestone):
        milestone_update(
            milestone_id=milestone.pk,
            user=planner,
            version=1,
            forecast_date=datetime.date(2008, 12, 1),
            reason="Home Office deferral",
        )
    with dated(COMPLETED, Milestone):
        milestone_update(
            milestone_id=milestone.pk,
            user=planner,
            version=2,
            status="complete",
            actual_date=COMPLETED,
        )
    return milestone
