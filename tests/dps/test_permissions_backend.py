"""dps.permissions.AccountsBackend reads what Django's ModelBackend reads: permissions in one query
rather than two, for every role, a cleared user, a superuser and an inactive user; and the
session's user, afresh on every request, refused once inactive."""

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.models import Permission
from django.urls import reverse

from dps.permissions import AccountsBackend, role_names
from dps.roles import RESTRICTED_THEME_PERMISSION

pytestmark = pytest.mark.django_db


def fresh(user):
    return get_user_model().objects.get(pk=user.pk)  # no permission cache yet


def test_the_same_permissions_as_django_reads(
    staff_user, planner, cleared_planner, committee_member, administrator, outsider
):
    for user in (staff_user, planner, cleared_planner, committee_member, administrator, outsider):
        ours = AccountsBackend().get_all_permissions(fresh(user))
        assert ours == ModelBackend().get_all_permissions(fresh(user)), user.username
    assert RESTRICTED_THEME_PERMISSION in AccountsBackend().get_all_permissions(
        fresh(cleared_planner)
    )
    assert RESTRICTED_THEME_PERMISSION not in AccountsBackend().get_all_permissions(fresh(planner))


def test_a_permission_given_to_the_person_counts_as_their_roles_do(staff_user):
    extra = Permission.objects.get(codename="view_theme")
    staff_user.user_permissions.add(extra)
    assert fresh(staff_user).has_perm("themes.view_theme")
    assert fresh(staff_user).has_perm("presentations.view_delivery")  # from the role
    assert not fresh(staff_user).has_perm("themes.change_theme")


def test_superusers_and_inactive_users(administrator, planner):
    administrator.is_superuser = True
    administrator.save()
    assert AccountsBackend().get_all_permissions(fresh(administrator)) == (
        ModelBackend().get_all_permissions(fresh(administrator))
    )
    planner.is_active = False
    planner.save()
    assert AccountsBackend().get_all_permissions(fresh(planner)) == set()
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


def test_the_session_user_is_read_as_django_reads_it(staff_user, administrator):
    for user in (staff_user, administrator):
        ours, django = AccountsBackend().get_user(user.pk), ModelBackend().get_user(user.pk)
        assert ours == django
        assert ours._state.db == django._state.db and not ours._state.adding
        for field in get_user_model()._meta.concrete_fields:
            assert getattr(ours, field.attname) == getattr(django, field.attname), field.name
    assert AccountsBackend().get_user(str(staff_user.pk)) == staff_user  # as the session keeps it
    assert AccountsBackend().get_user(2_000_000_000) is None


def test_a_deactivated_account_is_refused_on_its_next_request(client, staff_user):
    client.force_login(staff_user)
    assert client.get("/").wsgi_request.user == staff_user
    get_user_model().objects.filter(pk=staff_user.pk).update(is_active=False)
    assert not client.get("/").wsgi_request.user.is_authenticated
    assert AccountsBackend().get_user(staff_user.pk) is None


def test_a_revoked_permission_counts_from_the_next_request(client, planner):
    client.force_login(planner)
    assert client.get(reverse("themes:programme")).status_code == 200
    planner.groups.clear()
    assert client.get(reverse("themes:programme")).status_code == 403


def test_role_names(staff_user, planner, outsider):
    assert role_names(staff_user) == set(staff_user.groups.values_list("name", flat=True))
    assert role_names(planner) == {"Planning manager"}
    assert role_names(outsider) == set()
