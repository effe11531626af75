"""Personas for the four roles, used by every test: each gets a user in the real role group.

- staff_user / other_staff_user: DPS staff (two, to test "their own entries")
- planner: planning manager, NOT cleared for restricted themes
- cleared_planner: planning manager cleared for restricted (covert) themes
- committee_member, administrator
"""

import pytest
from django.contrib.auth.models import Group, Permission
from django.test import override_settings

from dps.roles import ADMINISTRATOR, COMMITTEE_MEMBER, DPS_STAFF, PLANNING_MANAGER
from tests.factories import UserFactory

# Django's default hasher (PBKDF2, a million rounds) takes a fifth of a second of CPU per user made
# and per sign-in: most of the suite's time. Tests still set and check real passwords, with a
# quick hash. The integration tests keep the default: their gunicorn and Celery subprocesses read
# the production settings, so they must be able to check the hashes the test process wrote.
QUICK_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def quick_password_hashing(request):
    if request.node.get_closest_marker("integration"):
        yield
        return
    with override_settings(PASSWORD_HASHERS=QUICK_HASHERS):
        yield


def _user(username, role, cleared=False, **extra):
    user = UserFactory(username=username, is_staff=role == ADMINISTRATOR, **extra)
    user.groups.add(Group.objects.get(name=role))
    if cleared:
        user.user_permissions.add(
            Permission.objects.get(
                content_type__app_label="themes", codename="view_restricted_theme"
            )
        )
    return user


@pytest.fixture
def staff_user(db):
    return _user("sam.staff", DPS_STAFF)


@pytest.fixture
def other_staff_user(db):
    return _user("jo.staff", DPS_STAFF)


@pytest.fixture
def planner(db):
    return _user("pat.planner", PLANNING_MANAGER)


@pytest.fixture
def cleared_planner(db):
    return _user("chris.cleared", PLANNING_MANAGER, cleared=True)


@pytest.fixture
def committee_member(db):
    return _user("morgan.committee", COMMITTEE_MEMBER)


@pytest.fixture
def administrator(db):
    return _user("alex.admin", ADMINISTRATOR)


@pytest.fixture
def outsider(db):
    """Signed in, but in no role: sees nothing but the home page."""
    return UserFactory(username="no.role")


@pytest.fixture
def client_as(client):
    """`client_as(user)` returns the test client signed in as that user."""

    def sign_in(user):
        client.force_login(user)
        return client

    return sign_in


@pytest.fixture
def celery_in_process(settings):
    """Celery tasks run in-process even when REDIS_URL points at a real broker (as in CI), so a PDF
    job finishes without a worker (real workers: tests/integration/). Restored afterwards."""
    from dps.celery import app

    was_eager = app.conf.task_always_eager
    settings.CELERY_TASK_ALWAYS_EAGER = True
    app.conf.task_always_eager = True
    yield
    app.conf.task_always_eager = was_eager
