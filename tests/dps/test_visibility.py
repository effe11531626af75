"""The visibility layer: one rule for who reads which rows, and unscoped reads fail closed."""

import pytest
from django.http import HttpResponse
from django.test import RequestFactory

from dps.visibility import VisibilityMiddleware, VisibilityNotApplied, enforce_visibility
from tests.factories import theme
from tests.themes.factories import MilestoneFactory, deliverable_in
from themes.models import Milestone, Theme

pytestmark = pytest.mark.django_db


@pytest.fixture
def covert_and_open():
    assert theme("covert").restricted and not theme("overt").restricted
    hidden = MilestoneFactory(deliverable=deliverable_in("covert"), title="Operation Nightjar")
    shown = MilestoneFactory(deliverable=deliverable_in("overt"), title="Open milestone")
    return hidden, shown


def test_uncleared_planner_reads_only_open_themes(planner, cleared_planner, covert_and_open):
    hidden, shown = covert_and_open
    assert list(Milestone.objects.visible_to(planner)) == [shown]
    assert set(Milestone.objects.visible_to(cleared_planner)) == {hidden, shown}


def test_without_the_read_permission_nothing_is_read(committee_member, covert_and_open):
    assert not Milestone.objects.visible_to(committee_member).exists()


def test_an_unscoped_read_raises_while_enforced(covert_and_open):
    with enforce_visibility():
        with pytest.raises(VisibilityNotApplied):
            list(Milestone.objects.all())
        with pytest.raises(VisibilityNotApplied):
            Milestone.objects.count()
        with pytest.raises(VisibilityNotApplied):
            Theme.objects.get(code="covert")


def test_a_named_read_of_every_row_is_allowed(covert_and_open):
    with enforce_visibility():
        assert Milestone.objects.every_row("a system job").count() == 2


def test_a_records_own_children_are_read_through_it(planner, covert_and_open):
    _, shown = covert_and_open
    with enforce_visibility():
        deliverable = shown.deliverable
        assert list(deliverable.milestones.all()) == [shown]


def test_a_cross_link_must_be_scoped(planner, covert_and_open):
    hidden, shown = covert_and_open
    shown.depends_on.add(hidden)
    with enforce_visibility():
        with pytest.raises(VisibilityNotApplied):
            list(shown.depends_on.all())
        assert list(shown.depends_on.visible_to(planner)) == []


def test_every_request_is_served_under_the_rule(covert_and_open):
    def forgetful_view(request):
        return HttpResponse(str(Milestone.objects.count()))

    middleware = VisibilityMiddleware(forgetful_view)
    with pytest.raises(VisibilityNotApplied):
        middleware(RequestFactory().get("/"))
