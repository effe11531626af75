"""Permissions read in one query (dps.permissions.PermissionsInOneQuery) are exactly what Django's
ModelBackend reads in two, for every role, a cleared user, a superuser and an inactive user."""

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.models import Permission

from dps.permissions import PermissionsInOneQuery
from dps.roles import RESTRICTED_THEME_PERMISSION

pytestmark = pytest.mark.django_db


def fresh(user):
    return get_user_model().objects.get(pk=user.pk)  # no permission cache yet


def test_the_same_permissions_as_django_reads(
    staff_user, planner, cleared_planner, committee_member, administrator, outsider
):
    for user in (staff_user, planner, cleared_planner, committee_member, administrator, outsider):
        ours = PermissionsInOneQuery().get_all_permissions(fresh(user))
        assert ours == ModelBackend().get_all_permissions(fresh(user)), user.username
    assert RESTRICTED_THEME_PERMISSION in PermissionsInOneQuery().get_all_permissions(
        fresh(cleared_planner)
    )
    assert RESTRICTED_THEME_PERMISSION not in PermissionsInOneQuery().get_all_permissions(
        fresh(planner)
    )


def test_a_permission_given_to_the_person_counts_as_their_roles_do(staff_user):
    extra = Permission.objects.get(codename="view_theme")
    staff_user.user_permissions.add(extra)
    assert fresh(staff_user).has_perm("themes.view_theme")
    assert fresh(staff_user).has_perm("presentations.view_delivery")  # from the role
    assert not fresh(staff_user).has_perm("themes.change_theme")


def test_superusers_and_inactive_users(administrator, planner):
    administrator.is_superuser = True
    administrator.save()
    assert PermissionsInOneQuery().get_all_permissions(fresh(administrator)) == (
        ModelBackend().get_all_permissions(fresh(administrator))
    )
    planner.is_active = False
    planner.save()
    assert PermissionsInOneQuery().get_all_permissions(fresh(planner)) == set()
    assert not fresh(planner).has_perm("presentations.view_delivery")


def test_one_query_for_every_check_of_a_request(planner, django_assert_num_queries):
    user = fresh(planner)
    with django_assert_num_queries(1):
        assert user.has_perm("presentations.view_delivery")
        assert user.has_perm("themes.view_theme")
        assert not user.has_perm(RESTRICTED_THEME_PERMISSION)
        assert not user.has_perm("auth.change_user")


def test_each_user_object_has_its_own_permissions(staff_user, planner):
    # Nothing is kept beyond the user object: another user (or the same one in the next
    # request) is read again.
    assert not fresh(staff_user).has_perm("themes.view_theme")
    assert fresh(planner).has_perm("themes.view_theme")
    assert not fresh(staff_user).has_perm("themes.view_theme")
