import pytest
from django.db import transaction

from tests.security.support import crawl_app
from tests.security.world import module_world


@pytest.fixture(scope="package")
def world(django_db_setup, django_db_blocker, tmp_path_factory):
    """The sample records (see world.py), built once for all the security tests and rolled
    back when they are done."""
    with module_world(django_db_blocker, tmp_path_factory.mktemp("private")) as built:
        yield built


@pytest.fixture(scope="module", autouse=True)
def module_savepoint(world, django_db_blocker):
    """What a test module adds to the world (probes, sessions) is rolled back after it, so the
    modules do not depend on each other or on their order."""
    with django_db_blocker.unblock():
        savepoint = transaction.atomic()
        savepoint.__enter__()
    yield
    with django_db_blocker.unblock():
        transaction.set_rollback(True)
        savepoint.__exit__(None, None, None)


@pytest.fixture(scope="package")
def crawl(world, django_db_blocker):
    """Every app page as the cleared planning manager (who may open all of them), and the
    sign-in page as nobody: a list of Page(name, url, status, headers, html)."""
    with django_db_blocker.unblock():
        return crawl_app(world)
