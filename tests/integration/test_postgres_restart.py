"""PostgreSQL restarted under a running app: the app carries on without being restarted itself.

A private cluster (initdb into a temporary directory, its own port) is restarted for real with
`pg_ctl restart -m fast`, which ends every session. gunicorn keeps its persistent connections
(CONN_MAX_AGE) and CONN_HEALTH_CHECKS makes each worker notice its connection died and open a new
one, so the first request after the restart already succeeds. While the database is stopped
requests fail at once (500), and succeed again as soon as it is back.
"""

import subprocess
import sys
import time

import pytest

from tests.integration.conftest import PASSWORD, require_private_postgres
from tests.integration.support import (
    BASE_DIR,
    Browser,
    Gunicorn,
    PostgresCluster,
    app_environment,
)

pytestmark = pytest.mark.integration

WORKERS = 2


@pytest.fixture
def private_postgres():
    require_private_postgres()
    cluster = PostgresCluster()
    cluster.start()
    yield cluster
    cluster.destroy()


SET_UP = """
from django.contrib.auth import get_user_model
from django.core.management import call_command
call_command("migrate", interactive=False, verbosity=0)
get_user_model().objects.create_superuser("pat.restart", "pat@dps.example", {password!r})
"""


def test_the_app_survives_a_postgres_restart_without_restarting(private_postgres, tmp_path):
    env = app_environment(private_postgres.create_database("dps"), CONN_MAX_AGE=600)
    subprocess.run(
        [sys.executable, "manage.py", "shell", "-c", SET_UP.format(password=PASSWORD)],
        env=env,
        check=True,
        capture_output=True,
        cwd=BASE_DIR,
    )
    web = Gunicorn(env, tmp_path / "gunicorn.log", workers=WORKERS)
    try:
        web.wait_ready()
        browser = Browser(web.url, timeout=10)
        browser.sign_in("pat.restart", PASSWORD)
        # Every page needs the database (the session and user are read from it); enough requests
        # that each gunicorn worker holds a persistent connection.
        for _ in range(4 * WORKERS):
            assert browser.get("/").status == 200

        private_postgres.restart()
        after_restart = [browser.get("/") for _ in range(4 * WORKERS)]
        print("after restart:", [(r.status, round(r.seconds, 3)) for r in after_restart])
        assert [r.status for r in after_restart] == [200] * len(after_restart)

        private_postgres.stop()
        while_down = [browser.get("/") for _ in range(2)]
        print("while stopped:", [(r.status, round(r.seconds, 3)) for r in while_down])
        assert all(r.status == 500 and r.seconds < 5 for r in while_down)
        private_postgres.start()
        started = time.monotonic()
        back = browser.get("/")
        print(f"first request after start: {back.status} in {back.seconds:.3f}s")
        assert back.status == 200
        assert time.monotonic() - started < 5
        assert all(browser.get("/").status == 200 for _ in range(2 * WORKERS))
        assert web.alive()  # never restarted
    finally:
        web.kill()
        print(web.log()[-3000:])
