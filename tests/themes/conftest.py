import datetime

import pytest

from tests.factories import theme
from tests.themes.factories import MilestoneFactory, RiskFactory, deliverable_in
from themes.models import SupportingArea


@pytest.fixture
def covert_and_overt(db):
    """One milestone and one risk in the restricted covert theme and in the open overt theme,
    all overdue, red and past review as at 1 June 2008, in the same supporting area."""
    area = SupportingArea.objects.get(code="resources")
    rows = {}
    for code in ("covert", "overt"):
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
        rows[code] = {"milestone": milestone, "risk": risk}
    return rows
