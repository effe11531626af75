"""Real processes for the fault tests: a private Redis, Celery workers and beat, gunicorn, a private
PostgreSQL cluster, and a small cookie-keeping HTTP client that signs in through the real form.

Everything started here is started by the test and killed by it, by process id; the machine's
own PostgreSQL and Redis are never touched.
"""

import contextlib
import http.cookiejar
import os
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parents[2]
PG_BIN = Path("/usr/lib/postgresql/15/bin")


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_for(predicate, timeout, what, interval=0.05):
    """Poll `predicate` until it returns something truthy; fail naming `what` after `timeout`."""
    deadline = time.monotonic() + timeout
    while True:
        value = predicate()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout}s waiting for {what}")
        time.sleep(interval)


def port_open(port):
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=0.2):
            return True
    except OSError:
        return False


def kill_group(process, sig=signal.SIGKILL):
    """Signal a process we started in its own session, and everything it started."""
    if process.poll() is None:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, sig)
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=10)


def children_of(pid):
    path = Path(f"/proc/{pid}/task/{pid}/children")
    try:
        return [int(child) for child in path.read_text().split()]
    except FileNotFoundError:
        return []


class RedisServer:
    """A throwaway redis-server on a free loopback port: no persistence, killed at teardown."""

    def __init__(self, workdir):
        self.port = free_port()
        self.workdir = workdir
        self.process = None

    @property
    def url(self):
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self):
        command = [
            "redis-server",
            "--port",
            str(self.port),
            "--bind",
            "127.0.0.1",
            "--save",
            "",
            "--appendonly",
            "no",
            "--dir",
            str(self.workdir),
        ]
        log = (self.workdir / "redis.log").open("a")
        self.process = subprocess.Popen(
            command, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
        )
        wait_for(lambda: port_open(self.port), 10, "redis-server to listen")

    def stop(self):
        """SIGTERM, as an operator or the OS stopping the service would."""
        kill_group(self.process, signal.SIGTERM)
        wait_for(lambda: not port_open(self.port), 10, "redis-server to stop listening")

    def client(self):
        import redis

        return redis.Redis.from_url(self.url, socket_timeout=5)


def app_environment(database_url, redis_url=None, media_root=None, **extra):
    """Production-like settings (DEBUG off) for a subprocess, over plain HTTP on loopback."""
    env = {
        **os.environ,
        "DEBUG": "false",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "SECURE_SSL_REDIRECT": "false",
        "SECURE_COOKIES": "false",
        "SECURE_HSTS_SECONDS": "0",
        # These tests sign in by password to drive workers and faults; the second factor has its
        # own tests (tests/dps/test_second_factor.py, tests/oidc/).
        "REQUIRE_SECOND_FACTOR": "false",
        "DATABASE_URL": database_url,
        "PYTHONUNBUFFERED": "1",
        "LOG_LEVEL": "INFO",
    }
    env.pop("REDIS_URL", None)
    if redis_url:
        env["REDIS_URL"] = redis_url
    if media_root:
        env["MEDIA_ROOT"] = str(media_root)
    env.update({name: str(value) for name, value in extra.items()})
    return env


class ManagedProcess:
    """A subprocess in its own session with its output in a log file."""

    def __init__(self, name, command, env, log_path):
        self.name = name
        self.log_path = log_path
        with log_path.open("a") as log:
            self.process = subprocess.Popen(
                command,
                cwd=BASE_DIR,
                env=env,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )

    @property
    def pid(self):
        return self.process.pid

    def log(self):
        return self.log_path.read_text(errors="replace")

    def alive(self):
        return self.process.poll() is None

    def kill(self, sig=signal.SIGKILL):
        kill_group(self.process, sig)


class CeleryWorker(ManagedProcess):
    def __init__(self, name, env, log_path):
        command = [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "dps",
            "worker",
            "-Q",
            "pdf,celery",
            "--pool=prefork",
            "--concurrency=1",
            "--loglevel=INFO",
            f"--hostname={name}@%h",
            "--without-heartbeat",
            "--without-gossip",
            "--without-mingle",
        ]
        super().__init__(name, command, env, log_path)

    def wait_ready(self, timeout=30):
        wait_for(lambda: " ready." in self.log() or not self.alive(), timeout, f"{self.name} ready")
        assert self.alive(), self.log()[-3000:]

    def pool_children(self):
        return children_of(self.pid)


class CeleryBeat(ManagedProcess):
    def __init__(self, env, workdir):
        command = [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "dps",
            "beat",
            "--loglevel=INFO",
            f"--schedule={workdir / 'celerybeat-schedule'}",
            f"--pidfile={workdir / 'celerybeat.pid'}",
        ]
        super().__init__("beat", command, env, workdir / "beat.log")


class Gunicorn(ManagedProcess):
    def __init__(self, env, log_path, workers=2, threads=1):
        self.port = free_port()
        command = [
            sys.executable,
            "-m",
            "gunicorn",
            "dps.wsgi",
            "--bind",
            f"127.0.0.1:{self.port}",
            "--workers",
            str(workers),
            "--threads",
            str(threads),
            "--timeout",
            "60",
            "--access-logfile",
            "-",
        ]
        super().__init__("gunicorn", command, env, log_path)

    @property
    def url(self):
        return f"http://127.0.0.1:{self.port}"

    def wait_ready(self, timeout=30):
        wait_for(lambda: port_open(self.port) or not self.alive(), timeout, "gunicorn to listen")
        assert self.alive(), self.log()[-3000:]


def as_postgres(*command, **kwargs):
    """initdb and pg_ctl refuse to run as root: run them as the postgres user."""
    if os.geteuid() == 0:
        command = ("runuser", "-u", "postgres", "--", *command)
    return subprocess.run(command, check=True, capture_output=True, text=True, **kwargs)


def private_postgres_available():
    if not (PG_BIN / "initdb").exists() or not (PG_BIN / "pg_ctl").exists():
        return False
    return os.geteuid() != 0 or shutil.which("runuser") is not None


class PostgresCluster:
    """A private PostgreSQL 15 cluster in a temporary directory on a free port (trust auth)."""

    def __init__(self):
        self.root = Path(tempfile.mkdtemp(prefix="dps-pg-"))
        self.data = self.root / "data"
        self.port = free_port()
        if os.geteuid() == 0:
            shutil.chown(self.root, "postgres")
        as_postgres(
            str(PG_BIN / "initdb"),
            "-D",
            str(self.data),
            "-A",
            "trust",
            "-U",
            "postgres",
            "--no-sync",
        )

    def _options(self):
        return (
            f"-p {self.port} -k {self.root} -c listen_addresses=127.0.0.1 -c fsync=off "
            "-c full_page_writes=off"
        )

    def pg_ctl(self, *arguments):
        return as_postgres(
            str(PG_BIN / "pg_ctl"),
            "-D",
            str(self.data),
            "-l",
            str(self.root / "postgres.log"),
            "-w",
            *arguments,
        )

    def start(self):
        self.pg_ctl("-o", self._options(), "start")

    def restart(self):
        # -m fast: every session is terminated, as in a real restart of the database service.
        self.pg_ctl("-m", "fast", "-o", self._options(), "restart")

    def stop(self):
        self.pg_ctl("-m", "fast", "stop")

    def create_database(self, name):
        as_postgres(str(PG_BIN / "createdb"), "-h", "127.0.0.1", "-p", str(self.port), name)
        return f"postgres://postgres@127.0.0.1:{self.port}/{name}"

    def destroy(self):
        with contextlib.suppress(subprocess.CalledProcessError):  # not running
            self.pg_ctl("-m", "immediate", "stop")
        shutil.rmtree(self.root, ignore_errors=True)


@dataclass
class Response:
    status: int
    headers: dict
    content: bytes
    seconds: float

    @property
    def text(self):
        return self.content.decode(errors="replace")

    @property
    def location(self):
        return self.headers.get("Location", "")


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None  # the caller sees the 302 and decides


CSRF_FIELD = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


class Browser:
    """Cookies, CSRF from the page's own form, redirects not followed, every request timed."""

    def __init__(self, base_url, timeout=30):
        self.base_url = base_url
        self.timeout = timeout
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()), _NoRedirect
        )

    def request(self, method, path, fields=None):
        data = urllib.parse.urlencode(fields, doseq=True).encode() if fields is not None else None
        request = urllib.request.Request(self.base_url + path, data=data, method=method)
        started = time.monotonic()
        try:
            with self.opener.open(request, timeout=self.timeout) as reply:
                status, headers, body = reply.status, dict(reply.headers), reply.read()
        except urllib.error.HTTPError as reply:
            status, headers, body = reply.code, dict(reply.headers), reply.read()
        return Response(status, headers, body, time.monotonic() - started)

    def get(self, path):
        return self.request("GET", path)

    def post(self, path, fields):
        return self.request("POST", path, fields)

    def csrf_token(self, page):
        match = CSRF_FIELD.search(page.text)
        assert match, f"no CSRF token on the page ({page.status})"
        return match.group(1)

    def submit(self, page, action, fields=None):
        """POST `fields` to `action` with the CSRF token of the form on `page` (a Response)."""
        return self.post(action, {"csrfmiddlewaretoken": self.csrf_token(page), **(fields or {})})

    def sign_in(self, username, password):
        form = self.get("/sign-in/")
        assert form.status == 200, form.status
        reply = self.submit(form, "/sign-in/", {"username": username, "password": password})
        assert reply.status == 302, f"sign-in as {username} failed: {reply.status}"
        return reply
