"""Nobody grants themselves a role, clearance or superuser status in the admin; clearance is
granted only by someone who holds it; every grant is in the admin log."""

import pytest
from django.contrib.admin.models import LogEntry
from django.contrib.auth.models import Group, Permission
from django.urls import reverse

from dps.grants import Access, user_grant_refusals
from dps.roles import ADMINISTRATOR, DPS_STAFF, PLANNING_MANAGER

pytestmark = pytest.mark.django_db


def clearance():
    return Permission.objects.get(
        content_type__app_label="themes", codename="view_restricted_theme"
    )


def role(name):
    return Group.objects.get(name=name)


def account_form(user, *, superuser=None, groups=None, permissions=None):
    """What the admin's change form posts for `user`, with the access fields as given."""
    data = {
        "username": user.username,
        "first_name": user.first_name,
        "last_name": user.last_name,
        "email": user.email,
        "is_active": "on",
        "date_joined_0": user.date_joined.strftime("%Y-%m-%d"),
        "date_joined_1": user.date_joined.strftime("%H:%M:%S"),
        "groups": [g.pk for g in (groups if groups is not None else user.groups.all())],
        "user_permissions": [
            p.pk for p in (permissions if permissions is not None else user.user_permissions.all())
        ],
    }
    if user.is_staff:
        data["is_staff"] = "on"
    if superuser if superuser is not None else user.is_superuser:
        data["is_superuser"] = "on"
    return data


def save_account(client, user, **access):
    return client.post(
        reverse("admin:auth_user_change", args=[user.pk]), account_form(user, **access)
    )


def log_of(record):
    """The grant lines in the admin log of `record` (not the admin's own "changed fields" note)."""
    return list(
        LogEntry.objects.filter(
            object_id=str(record.pk), content_type__model=record._meta.model_name
        )
        .exclude(change_message__startswith="[")
        .order_by("pk")
        .values_list("change_message", flat=True)
    )


def test_uncleared_administrator_cannot_make_itself_superuser(client_as, administrator):
    save_account(client_as(administrator), administrator, superuser=True)

    administrator.refresh_from_db()
    assert not administrator.is_superuser
    assert not any("superuser" in line for line in log_of(administrator))


def test_uncleared_administrator_cannot_add_itself_to_planning_manager(client_as, administrator):
    client = client_as(administrator)
    page = client.get(reverse("admin:auth_user_change", args=[administrator.pk]))
    assert 'name="groups"' not in page.text  # shown, not offered

    save_account(client, administrator, groups=[role(ADMINISTRATOR), role(PLANNING_MANAGER)])

    assert set(administrator.groups.values_list("name", flat=True)) == {ADMINISTRATOR}


def test_nobody_may_change_their_own_access_even_when_cleared(administrator):
    cleared_admin = administrator
    cleared_admin.user_permissions.add(clearance())
    before = Access.of_user(cleared_admin)

    refusals = user_grant_refusals(
        actor=cleared_admin,
        user=cleared_admin,
        before=before,
        after=Access(staff=True, roles=before.roles | {PLANNING_MANAGER}),
    )
    assert refusals == [
        "You cannot change your own superuser or staff status, roles or permissions: "
        "ask another administrator."
    ]


def test_uncleared_administrator_cannot_grant_clearance_to_anyone(
    client_as, administrator, planner
):
    client = client_as(administrator)

    response = save_account(client, planner, permissions=[clearance()])

    assert response.status_code == 200
    assert "Only someone with clearance for restricted themes may grant it" in response.text
    assert not Access.of_user(planner).cleared
    assert log_of(planner) == []


def test_uncleared_administrator_cannot_make_anyone_superuser(client_as, administrator, planner):
    save_account(client_as(administrator), planner, superuser=True)

    planner.refresh_from_db()
    assert not planner.is_superuser


def test_uncleared_administrator_cannot_grant_clearance_through_a_role(
    client_as, administrator, planner
):
    covert_team = Group.objects.create(name="Covert team")
    covert_team.permissions.add(clearance())

    response = save_account(
        client_as(administrator), planner, groups=[role(PLANNING_MANAGER), covert_team]
    )

    assert response.status_code == 200
    assert not planner.groups.filter(pk=covert_team.pk).exists()


def test_uncleared_administrator_cannot_put_clearance_into_a_role(client_as, administrator):
    staff_role = role(DPS_STAFF)
    permissions = [*staff_role.permissions.all(), clearance()]

    response = client_as(administrator).post(
        reverse("admin:auth_group_change", args=[staff_role.pk]),
        {"name": staff_role.name, "permissions": [p.pk for p in permissions]},
    )

    assert response.status_code == 200
    assert "may grant it to a role" in response.text
    assert not staff_role.permissions.filter(pk=clearance().pk).exists()


def test_administrator_cannot_widen_a_role_it_holds(client_as, administrator):
    own_role = role(ADMINISTRATOR)
    theme_permissions = Permission.objects.filter(content_type__app_label="themes").exclude(
        codename="view_restricted_theme"
    )
    permissions = [*own_role.permissions.all(), *theme_permissions]

    response = client_as(administrator).post(
        reverse("admin:auth_group_change", args=[own_role.pk]),
        {"name": own_role.name, "permissions": [p.pk for p in permissions]},
    )

    assert response.status_code == 200
    assert response.context["adminform"].form.non_field_errors() == [
        "You cannot change the permissions of a role you hold."
    ]
    assert not own_role.permissions.filter(
        content_type__app_label="themes", codename="change_theme"
    )


def test_uncleared_administrator_cannot_take_over_a_cleared_account(
    client_as, administrator, cleared_planner
):
    client = client_as(administrator)

    password = client.post(
        reverse("admin:auth_user_password_change", args=[cleared_planner.pk]),
        {"password1": "a-new-Secret-99", "password2": "a-new-Secret-99"},
    )
    change = save_account(client, cleared_planner, groups=[role(ADMINISTRATOR)])

    assert (password.status_code, change.status_code) == (403, 403)
    cleared_planner.refresh_from_db()
    assert cleared_planner.check_password("correct-horse-battery")


def test_cleared_superuser_can_grant_clearance_to_another(admin_client, admin_user, planner):
    response = save_account(admin_client, planner, permissions=[clearance()])

    assert response.status_code == 302
    assert Access.of_user(planner).cleared
    assert log_of(planner) == [
        f"Granted permission themes.view_restricted_theme (by {admin_user}).",
        f"Granted clearance for restricted themes (by {admin_user}).",
    ]


def test_each_grant_and_removal_is_recorded(client_as, administrator, staff_user):
    client = client_as(administrator)

    save_account(client, staff_user, groups=[role(DPS_STAFF), role(PLANNING_MANAGER)])
    save_account(client, staff_user, groups=[role(PLANNING_MANAGER)])

    assert log_of(staff_user) == [
        f"Granted role {PLANNING_MANAGER} (by {administrator}).",
        f"Removed role {DPS_STAFF} (by {administrator}).",
    ]
    entry = LogEntry.objects.filter(object_id=str(staff_user.pk)).first()
    assert entry.user == administrator


def test_a_grant_to_a_role_is_recorded_on_the_role(admin_client, admin_user):
    staff_role = role(DPS_STAFF)
    permissions = [*staff_role.permissions.all(), clearance()]

    response = admin_client.post(
        reverse("admin:auth_group_change", args=[staff_role.pk]),
        {"name": staff_role.name, "permissions": [p.pk for p in permissions]},
    )

    assert response.status_code == 302
    assert log_of(staff_role) == [
        f"Granted permission themes.view_restricted_theme to role {DPS_STAFF} (by {admin_user})."
    ]
