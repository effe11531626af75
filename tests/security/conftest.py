import pytest

from tests.security.world import module_world


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker, tmp_path_factory):
    """The sample records (see world.py), built once for the whole test module."""
    with module_world(django_db_blocker, tmp_path_factory.mktemp("private")) as built:
        yield built
