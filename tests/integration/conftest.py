"""Fixtures for the fault tests: real processes around the pytest test database.

These tests need PostgreSQL (DATABASE_URL=postgres://…) and `redis-server` on the PATH (each test
starts its own private Redis on a free port; the machine's Redis is never used or stopped). They
are skipped without them, unless REQUIRE_INTEGRATION=1, when they fail instead: CI sets it.

The worker, beat and gunicorn subprocesses use the test database pytest-django created, so the
tests are transactional (rows are committed for them to see); serialized_rollback restores the
reference data (roles, boroughs, products, themes) that the flush at teardown removes.
"""

import os
import shutil

import pytest
from django.conf import settings

from tests.integration.support import (
    Browser,
    CeleryBeat,
    CeleryWorker,
    Gunicorn,
    RedisServer,
    app_environment,
    private_postgres_available,
)

ON_POSTGRES = settings.DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql"
REQUIRED = os.environ.get("REQUIRE_INTEGRATION") == "1"
# tests.factories.UserFactory's password.
PASSWORD = "correct-horse-battery"  # noqa: S105 - test users only


def require(condition, reason):
    """Skip without the service, or fail when CI said the integration tests must run."""
    if condition:
        return
    if REQUIRED:
        pytest.fail(f"REQUIRE_INTEGRATION=1 but {reason}", pytrace=False)
    pytest.skip(reason)


def require_private_postgres():
    require(
        private_postgres_available(),
        "a private PostgreSQL cluster needs /usr/lib/postgresql/15/bin (and runuser as root)",
    )


@pytest.fixture(autouse=True)
def _integration_services():
    require(ON_POSTGRES, "needs DATABASE_URL=postgres://…")
    require(shutil.which("redis-server"), "needs redis-server on the PATH for a private Redis")


@pytest.fixture
def media_root(settings, tmp_path):
    """The test process and every subprocess store and read PDFs in the same private place."""
    settings.MEDIA_ROOT = tmp_path / "private"
    return settings.MEDIA_ROOT


@pytest.fixture
def test_database_url(django_db_setup):
    db = settings.DATABASES["default"]
    auth = db["USER"] + (f":{db['PASSWORD']}" if db.get("PASSWORD") else "")
    return f"postgres://{auth}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


@pytest.fixture
def redis_server(tmp_path):
    server = RedisServer(tmp_path)
    server.start()
    yield server
    server.process.kill()
    server.process.wait(timeout=10)


class Stack:
    """Starts workers, beat and gunicorn for one test against its database and private Redis;
    kills all of them (by process group) at teardown and prints their logs' tails."""

    def __init__(self, tmp_path, database_url, redis, media_root):
        self.tmp_path = tmp_path
        self.database_url = database_url
        self.redis = redis
        self.media_root = media_root
        self.processes = []

    def env(self, **extra):
        return app_environment(self.database_url, self.redis.url, self.media_root, **extra)

    def _track(self, process):
        self.processes.append(process)
        return process

    def worker(self, name="worker", **extra):
        log = self.tmp_path / f"{name}.log"
        return self._track(CeleryWorker(name, self.env(**extra), log))

    def beat(self, **extra):
        return self._track(CeleryBeat(self.env(**extra), self.tmp_path))

    def web(self, **extra):
        return self._track(Gunicorn(self.env(**extra), self.tmp_path / "gunicorn.log"))

    def browser(self, web, user):
        browser = Browser(web.url)
        browser.sign_in(user.username, PASSWORD)
        return browser

    def close(self):
        for process in self.processes:
            process.kill()
        for process in self.processes:
            print(f"==== {process.name} log (tail)\n{process.log()[-4000:]}")


@pytest.fixture
def stack(tmp_path, test_database_url, redis_server, media_root):
    services = Stack(tmp_path, test_database_url, redis_server, media_root)
    yield services
    services.close()
