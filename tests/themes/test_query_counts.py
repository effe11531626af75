"""Dashboard and lists run a fixed number of queries however many milestones there are."""

import datetime

import pytest
from django.urls import reverse

from tests.factories import theme
from tests.themes.factories import MilestoneFactory, RiskFactory, deliverable_in
from themes.models import SupportingArea
from themes.services import milestone_update

pytestmark = pytest.mark.django_db

PAGES = [
    reverse("themes:dashboard") + "?as_at=2008-04-15&slipped_since=2000-01-01",
    reverse("themes:milestone-list"),
    reverse("themes:milestone-list") + "?_export=csv",
    reverse("themes:risk-list"),
    reverse("themes:grid"),
    reverse("themes:timeline"),
    reverse("themes:programme"),
    reverse("themes:theme-detail", args=["taylor"]),
    reverse("home"),
]


def add_milestones(count, user):
    area = SupportingArea.objects.get(code="it")
    for code in ("taylor", "pssp", "covert"):
        deliverable = deliverable_in(code)
        for n in range(count):
            milestone = MilestoneFactory(
                deliverable=deliverable,
                owner=user,
                baseline_date=datetime.date(2008, 4, 1),
                forecast_date=datetime.date(2008, 4, 1) + datetime.timedelta(days=n * 7),
            )
            milestone.supporting_areas.add(area)
            if n % 2:
                milestone_update(
                    milestone_id=milestone.pk,
                    user=user,
                    version=1,
                    forecast_date=milestone.forecast_date + datetime.timedelta(days=20),
                    reason="Late",
                )
        risk = RiskFactory(theme=theme(code), owner=user)
        risk.supporting_areas.add(area)


def query_count(client, url, django_assert_max_num_queries, limit):
    with django_assert_max_num_queries(limit) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured.captured_queries)


@pytest.mark.parametrize("url", PAGES)
def test_page_queries_do_not_grow_with_milestones(
    client_as, cleared_planner, django_assert_max_num_queries, url
):
    client = client_as(cleared_planner)
    add_milestones(3, cleared_planner)
    few = query_count(client, url, django_assert_max_num_queries, 40)
    add_milestones(12, cleared_planner)
    many = query_count(client, url, django_assert_max_num_queries, few)
    assert many <= few
