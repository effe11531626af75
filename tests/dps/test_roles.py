import pytest
from django.contrib.auth.models import Group

from dps.roles import ROLES, permissions_for

pytestmark = pytest.mark.django_db


def test_it_creates_the_four_role_groups():
    assert set(Group.objects.values_list("name", flat=True)) >= set(ROLES)


def test_a_leading_minus_removes_what_an_earlier_pattern_granted():
    available = {"themes.view_theme", "themes.view_restricted_theme", "dps.view_borough"}
    assert permissions_for(["themes.*", "-themes.view_restricted_theme"], available) == {
        "themes.view_theme"
    }


def test_no_role_carries_the_restricted_theme_permission():
    for group in Group.objects.filter(name__in=ROLES):
        assert not group.permissions.filter(codename="view_restricted_theme").exists(), group


def test_planner_sees_restricted_only_when_cleared(planner, cleared_planner):
    assert not planner.has_perm("themes.view_restricted_theme")
    assert cleared_planner.has_perm("themes.view_restricted_theme")


def test_committee_member_has_no_pssp_or_theme_permissions(committee_member):
    assert not committee_member.has_perm("dps.view_borough")
    assert not committee_member.has_perm("themes.view_theme")
