"""Owner drop-downs list only the people whose role can own the record."""

import pytest

from tests.factories import theme
from tests.themes.factories import MilestoneFactory, deliverable_in
from themes.forms import MilestoneForm, RiskForm, ThemeForm

pytestmark = pytest.mark.django_db


def offered(field):
    return {user.username for user in field.queryset}


@pytest.fixture
def everyone(staff_user, planner, committee_member, administrator, outsider):
    return {
        "staff": staff_user,
        "planner": planner,
        "committee": committee_member,
        "admin": administrator,
        "outsider": outsider,
    }


def test_a_milestone_owner_is_chosen_from_staff_and_planning_managers(everyone, cleared_planner):
    form = MilestoneForm(theme=theme("taylor"), user=cleared_planner)
    names = offered(form.fields["owner"])
    assert {"sam.staff", "pat.planner", "chris.cleared"} <= names
    assert not names & {"morgan.committee", "alex.admin", "no.role"}


def test_risk_owners_and_theme_leads_follow_the_same_rule(everyone, cleared_planner):
    for form in (RiskForm(theme=theme("taylor")), ThemeForm(instance=theme("taylor"))):
        for field in form.fields.values():
            if (
                getattr(field, "queryset", None) is not None
                and field.queryset.model.__name__ == "User"
            ):
                assert "morgan.committee" not in offered(field)
                assert "alex.admin" not in offered(field)


def test_a_present_owner_outside_those_roles_stays_listed(everyone, cleared_planner):
    milestone = MilestoneFactory(deliverable=deliverable_in("taylor"), owner=everyone["admin"])
    form = MilestoneForm(instance=milestone, theme=theme("taylor"), user=cleared_planner)
    assert "alex.admin" in offered(form.fields["owner"])
    assert "morgan.committee" not in offered(form.fields["owner"])


def test_people_are_named_by_full_name_and_user_name(everyone, cleared_planner):
    staff = everyone["staff"]
    staff.first_name, staff.last_name = "Sam", "Okafor"
    staff.save()
    form = MilestoneForm(theme=theme("taylor"), user=cleared_planner)
    assert "Sam Okafor (sam.staff)" in [label for _, label in form.fields["owner"].choices]
