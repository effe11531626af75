"""Load run: DPS staff logging sessions through gunicorn over loopback (PostgreSQL only).

    make load                                   # 20 users for 60 s on dps_load
    make load LOAD_ARGS="--users 5 --seconds 10"
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/dps_load .venv/bin/python scripts/load.py \
        [--users 20] [--seconds 60] [--trivial-seconds 15] [--workers 3] [--worker-class sync]
        [--threads 1] [--think-seconds 0] [--keep]

What it does:
  1. Drops and re-creates the load database (its name must contain "load"; --keep reuses it),
     migrates it, loads the demo data and creates one DPS staff account per simulated user.
  2. Starts gunicorn on 127.0.0.1 (--workers of --worker-class, --threads each for gthread)
     with production settings: DEBUG off, a random SECRET_KEY; only HTTPS redirects and secure
     cookies are off (loopback). The default, 3 sync workers, is how the production image runs
     gunicorn, and of 2, 3 and 4 sync workers and gthread 4x2 and 2x4 measured here (2 CPUs) it
     had the lowest p95 and, with 2 sync workers, the lowest CPU per request; the throughputs
     were within the noise of a shared machine (docs/PERFORMANCE.md has the figures).
  3. Each user signs in through the sign-in form, then until the time is up repeats: open the
     "Log a presentation" form, post a session with its CSRF token, follow the redirect to the
     session's page, read the delivery log, read the statistics page. No think time by default:
     a user sends its next request as soon as the last one answers, so "20 staff" is 20
     concurrent request streams, far more load than 20 people at their desks (who spend a
     minute or more filling in the form), and the throughput is what the server can do at most.
     --think-seconds N pauses N seconds after each page, for latencies at a realistic pace
     (the throughput then measures the pause, not the server, and the ratio target says so).
  4. Then the same number of clients fetch a trivial page (the sign-in form: a template render,
     no database) for --trivial-seconds, to show what the server does with no app work.

It prints p50/p95/max latency per request type, requests per second, the CPU time per request
of the gunicorn workers, of the PostgreSQL backends serving them and of this script's own
simulated users (which, unlike latency, do not depend on what else the machine is doing), the
load average when each run starts and ends, and exits non-zero if any request failed (not
2xx/3xx, a redirect to sign-in, a rejected form, a network error) or if the sessions in the
database differ from the posts that succeeded.
"""

import argparse
import datetime
import http.cookiejar
import io
import os
import random
import re
import secrets
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

# This process sets the database up (load_demo refuses with DEBUG off); gunicorn runs DEBUG off.
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "dps.settings")
os.environ["DEBUG"] = "true"
os.environ["LOG_LEVEL"] = "WARNING"
os.environ.pop("REDIS_URL", None)  # no PDF jobs here: the pages used need no Celery
# The demo's PDFs (rendered in-process while loading) go to a scratch directory.
os.environ["MEDIA_ROOT"] = tempfile.mkdtemp(prefix="dps-load-media-")

from benchkit import OCCASIONS, PRESENTERS, add_sessions  # noqa: E402

PASSWORD = secrets.token_urlsafe(16)
USERNAME = "load.staff{:02d}"
CSRF_FIELD = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
BOROUGH_SELECT = re.compile(r'<select name="borough".*?</select>', re.S)
OPTION_VALUE = re.compile(r'<option value="(\d+)"')
PRODUCT_BOX = re.compile(r'name="products"[^>]*value="(\d+)"')


def parse_arguments():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--users", type=int, default=20, help="concurrent staff users (20)")
    parser.add_argument("--seconds", type=float, default=60, help="length of the run (60)")
    parser.add_argument(
        "--trivial-seconds", type=float, default=15, help="length of the trivial-page run (15)"
    )
    parser.add_argument("--workers", type=int, default=3, help="gunicorn workers (3)")
    parser.add_argument(
        "--worker-class", choices=("sync", "gthread"), default="sync", help="gunicorn's (sync)"
    )
    parser.add_argument(
        "--threads", type=int, default=1, help="threads per worker, gthread only (1)"
    )
    parser.add_argument(
        "--think-seconds",
        type=float,
        default=0,
        help="each user's pause after each page of the staff run (0: none)",
    )
    parser.add_argument(
        "--sessions",
        type=int,
        default=1_000_000,
        help="sessions in the log during the run (1,000,000; added once, kept with --keep)",
    )
    parser.add_argument("--keep", action="store_true", help="reuse the database as it is")
    return parser.parse_args()


# Set-up ------------------------------------------------------------------------------------


def database_name(url):
    return urllib.parse.urlsplit(url).path.lstrip("/")


def recreate_database(url, keep):
    import psycopg

    name = database_name(url)
    if "load" not in name:
        sys.exit(f"refusing to use database {name!r}: a load database's name contains 'load'")
    admin_url = urllib.parse.urlsplit(url)._replace(path="/postgres").geturl()
    with psycopg.connect(admin_url, autocommit=True) as connection:
        exists = connection.execute(
            "SELECT 1 FROM pg_database WHERE datname = %s", [name]
        ).fetchone()
        if exists and keep:
            return
        if exists:
            connection.execute(f'DROP DATABASE "{name}" WITH (FORCE)')
        connection.execute(f'CREATE DATABASE "{name}"')


def set_up_database(users):
    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group
    from django.core.management import call_command

    from dps.roles import DPS_STAFF

    call_command("migrate", interactive=False, verbosity=0)
    call_command("load_demo", stdout=io.StringIO())
    staff = Group.objects.get(name=DPS_STAFF)
    model = get_user_model()
    for number in range(1, users + 1):
        user, _ = model.objects.get_or_create(username=USERNAME.format(number))
        user.set_password(PASSWORD)
        user.first_name, user.last_name = "Load", f"Staff {number}"
        user.save()
        user.groups.set([staff])


def bring_log_up_to(total):
    """Bring the log up to `total` sessions (once: a kept database already has them), spread
    over the 20 years before this one, so the log and statistics pages work on a table of
    realistic size rather than the demo's 1,310."""
    from presentations.models import Delivery

    missing = total - Delivery.objects.count()
    if missing <= 0:
        return
    first_day = datetime.date(datetime.date.today().year - 20, 1, 1)
    seconds = add_sessions(missing, first_day, 20 * 365)
    print(f"added {missing:,} sessions in {seconds:.0f} s")


def total_sessions():
    from presentations.models import Delivery

    return Delivery.objects.count()


def logged_sessions(users):
    from presentations.models import Delivery

    names = [USERNAME.format(number) for number in range(1, users + 1)]
    return Delivery.objects.filter(entered_by__username__in=names).count()


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def start_gunicorn(database_url, options, log_path):
    port = free_port()
    env = {
        **os.environ,
        "DEBUG": "false",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "127.0.0.1",
        "SECURE_SSL_REDIRECT": "false",
        "SECURE_COOKIES": "false",
        "SECURE_HSTS_SECONDS": "0",
        # The demo's local accounts sign in by password only: the load is on the pages.
        "REQUIRE_SECOND_FACTOR": "false",
        "DATABASE_URL": database_url,
        "LOG_LEVEL": "WARNING",
        # Connections kept for the whole run, so the PostgreSQL backends serving gunicorn live
        # from start to end and their CPU can be read (postgres_cpu_seconds).
        "CONN_MAX_AGE": "3600",
    }
    command = [
        sys.executable,
        "-m",
        "gunicorn",
        "dps.wsgi",
        f"--bind=127.0.0.1:{port}",
        f"--workers={options.workers}",
        f"--worker-class={options.worker_class}",
        *([f"--threads={options.threads}"] if options.worker_class == "gthread" else []),
        "--timeout=60",
    ]
    with log_path.open("w") as log:
        process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.2):
                return process, f"http://127.0.0.1:{port}"
        except OSError:
            if process.poll() is not None:
                break
            time.sleep(0.1)
    process.kill()
    sys.exit(f"gunicorn did not start:\n{log_path.read_text()[-3000:]}")


# The simulated user --------------------------------------------------------------------------


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


class Failure(Exception):
    pass


class Recorder:
    """Latencies per request type and failures, shared by the user threads."""

    def __init__(self):
        self.lock = threading.Lock()
        self.latencies = defaultdict(list)
        self.failures = defaultdict(int)
        self.examples = []
        self.posts_ok = 0

    def record(self, kind, seconds):
        with self.lock:
            self.latencies[kind].append(seconds)

    def fail(self, kind, reason):
        with self.lock:
            self.failures[kind] += 1
            if len(self.examples) < 10:
                self.examples.append(f"{kind}: {reason}")


class StaffUser:
    def __init__(self, base_url, recorder, number):
        self.base_url = base_url
        self.recorder = recorder
        self.number = number
        self.random = random.Random(number)
        self.think_seconds = 0
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()), _NoRedirect
        )

    def request(self, kind, path, fields=None, expect=(200,)):
        data = urllib.parse.urlencode(fields, doseq=True).encode() if fields else None
        request = urllib.request.Request(self.base_url + path, data=data)  # noqa: S310 - http
        started = time.perf_counter()
        try:
            with self.opener.open(request, timeout=30) as reply:
                status, location, body = reply.status, "", reply.read()
        except urllib.error.HTTPError as reply:
            status, location, body = reply.code, reply.headers.get("Location", ""), reply.read()
        except OSError as error:
            self.recorder.fail(kind, repr(error))
            raise Failure from error
        self.recorder.record(kind, time.perf_counter() - started)
        if status not in expect or "/sign-in/" in location:
            self.recorder.fail(kind, f"{status} {location}")
            raise Failure(kind)
        if self.think_seconds:
            time.sleep(self.think_seconds)
        return body.decode(), location

    def sign_in(self):
        page, _ = self.request("sign-in form", "/sign-in/")
        self.request(
            "sign-in",
            "/sign-in/",
            {
                "csrfmiddlewaretoken": CSRF_FIELD.search(page).group(1),
                "username": USERNAME.format(self.number),
                "password": PASSWORD,
            },
            expect=(302,),
        )

    def sign_in_and_look_around(self):
        self.sign_in()
        for path in (
            "/presentations/log/new/",
            "/presentations/log/",
            "/presentations/statistics/",
        ):
            self.request("warm-up", path)

    def session_fields(self, form):
        boroughs = OPTION_VALUE.findall(BOROUGH_SELECT.search(form).group(0))
        products = PRODUCT_BOX.findall(form)
        attendees = self.random.randint(5, 60)
        days_ago = self.random.randint(1, 364)
        return {
            "csrfmiddlewaretoken": CSRF_FIELD.search(form).group(1),
            "delivered_on": (datetime.date.today() - datetime.timedelta(days=days_ago)).isoformat(),
            "borough": self.random.choice(boroughs),
            "stream": self.random.choice(("pssp", "pssp", "non-pssp")),
            "attendees": attendees,
            "products": self.random.sample(products, self.random.randint(1, 2)),
            "occasion": self.random.choice(OCCASIONS),
            "presenters": self.random.choice(PRESENTERS),
            "staff_associations_briefed": "yes",
            "feedback_very_satisfied": attendees // 3,
            "feedback_satisfied": attendees // 4,
            "feedback_neutral": 0,
            "feedback_dissatisfied": 0,
            "feedback_very_dissatisfied": 0,
            "notes": "",
        }

    def log_a_session(self):
        form, _ = self.request("log form (GET)", "/presentations/log/new/")
        _, location = self.request(
            "log session (POST)",
            "/presentations/log/new/",
            self.session_fields(form),
            expect=(302,),
        )
        if not re.fullmatch(r"/presentations/log/\d+/", location):
            self.recorder.fail("log session (POST)", f"redirected to {location}")
            raise Failure("form rejected")
        with self.recorder.lock:
            self.recorder.posts_ok += 1
        self.request("session page", location)

    def work_until(self, deadline):
        while time.monotonic() < deadline:
            try:
                self.log_a_session()
                self.request("delivery log", "/presentations/log/")
                self.request("statistics", "/presentations/statistics/")
            except Failure:
                time.sleep(0.1)
            except Exception as error:  # a page the client could not read counts as an error
                self.recorder.fail("client", repr(error))
                time.sleep(0.1)


def fetch_trivial(base_url, recorder, deadline):
    opener = urllib.request.build_opener()
    while time.monotonic() < deadline:
        started = time.perf_counter()
        try:
            with opener.open(base_url + "/sign-in/", timeout=30) as reply:
                reply.read()
            recorder.record("sign-in page (trivial)", time.perf_counter() - started)
        except OSError as error:
            recorder.fail("sign-in page (trivial)", repr(error))


def cpu_seconds(pid):
    """CPU time used so far by the gunicorn workers (the master's children); Linux /proc only.

    Unlike latencies it does not depend on what else the machine is doing, so it says what a
    request costs the app server even on a busy machine."""
    try:
        children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
        total = 0
        for child in children:
            fields = Path(f"/proc/{child}/stat").read_text().rsplit(")", 1)[1].split()
            total += int(fields[11]) + int(fields[12])  # utime, stime
    except (FileNotFoundError, IndexError, ValueError):
        return None
    return total / os.sysconf("SC_CLK_TCK")


def postgres_cpu(database_url):
    """{backend pid: CPU seconds so far} for the PostgreSQL backends connected to the load
    database (from /proc/PID/schedstat; PostgreSQL on this machine). Other engineers' databases
    on the same server are left out. None when the backends cannot be read."""
    import psycopg

    admin_url = urllib.parse.urlsplit(database_url)._replace(path="/postgres").geturl()
    with psycopg.connect(admin_url, autocommit=True) as connection:
        pids = [
            row[0]
            for row in connection.execute(
                "SELECT pid FROM pg_stat_activity WHERE datname = %s",
                [database_name(database_url)],
            )
        ]
    seconds = {}
    for pid in pids:
        try:
            seconds[pid] = int(Path(f"/proc/{pid}/schedstat").read_text().split()[0]) / 1e9
        except (OSError, ValueError, IndexError):
            return None
    return seconds


def postgres_seconds(before, after):
    if before is None or after is None:
        return None
    return sum(spent - before.get(pid, 0) for pid, spent in after.items())


def per_request(seconds, recorder):
    count = sum(len(values) for values in recorder.latencies.values())
    if seconds is None or not count:
        return None
    return seconds / count * 1000


def cpu_per_request(before, after, recorder):
    if before is None or after is None:
        return None
    return per_request(after - before, recorder)


def load_average():
    return " / ".join(f"{value:.2f}" for value in os.getloadavg())


def milliseconds(value):
    return "n/a" if value is None else f"{value:.1f} ms"


VERDICTS = []


def target(label, value, limit, *, unit="", at_least=False):
    passed = value is not None and (value >= limit if at_least else value <= limit)
    VERDICTS.append(passed)
    shown = "n/a" if value is None else f"{value:.1f}{unit}"
    sign = ">=" if at_least else "<="
    print(
        f"  {'PASS' if passed else 'FAIL'}  {label:<48} {shown:>10}  (target {sign} {limit}{unit})"
    )


def run_threads(count, target, *arguments):
    threads = [threading.Thread(target=target, args=(i, *arguments)) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()


# Report ---------------------------------------------------------------------------------


def percentile(values, fraction):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(fraction * (len(ordered) - 1))))]


def print_table(title, recorder, kinds, seconds):
    print(f"\n{title}")
    print(f"  {'request':<26}{'count':>8}{'p50 ms':>10}{'p95 ms':>10}{'max ms':>10}{'errors':>8}")
    total = 0
    for kind in kinds:
        values = recorder.latencies.get(kind, [])
        total += len(values)
        if not values:
            print(f"  {kind:<26}{0:>8}{'-':>10}{'-':>10}{'-':>10}{recorder.failures[kind]:>8}")
            continue
        p50, p95 = percentile(values, 0.5) * 1000, percentile(values, 0.95) * 1000
        print(
            f"  {kind:<26}{len(values):>8}{p50:>10.1f}{p95:>10.1f}"
            f"{max(values) * 1000:>10.1f}{recorder.failures[kind]:>8}"
        )
    print(f"  {'all':<26}{total:>8}   {total / seconds:.1f} requests/s over {seconds:.1f} s")


def main():
    options = parse_arguments()
    database_url = os.environ.get("DATABASE_URL", "")
    if not database_url.startswith(("postgres://", "postgresql://")):
        sys.exit("Set DATABASE_URL=postgres://…/dps_load (make load does).")
    print(f"setting up {database_name(database_url)} with {options.users} staff users…")
    recreate_database(database_url, options.keep)
    set_up_database(options.users)
    bring_log_up_to(options.sessions)
    before = logged_sessions(options.users)

    log_path = Path(tempfile.mkdtemp(prefix="dps-load-")) / "gunicorn.log"
    server, base_url = start_gunicorn(database_url, options, log_path)
    shape = (
        f"{options.workers} workers x {options.threads} threads (gthread)"
        if options.worker_class == "gthread"
        else f"{options.workers} sync workers"
    )
    print(f"gunicorn at {base_url}: {shape}, DEBUG off; log {log_path}")
    print(
        f"staff model: {options.users} users, each sending its next request "
        + (
            f"{options.think_seconds:g} s after the last one answers"
            if options.think_seconds
            else "as soon as the last one answers (no think time): "
            f"{options.users} concurrent request streams, far more than {options.users} "
            "people at their desks"
        )
    )
    try:
        warm_up = Recorder()
        users = [StaffUser(base_url, warm_up, n) for n in range(1, options.users + 1)]
        # Sign in, and open each page once so every worker has compiled its templates.
        run_threads(len(users), lambda i: users[i].sign_in_and_look_around())
        if warm_up.failures:
            sys.exit(f"signing in failed: {warm_up.examples}")
        recorder = Recorder()
        for user in users:
            user.recorder = recorder
            user.think_seconds = options.think_seconds
        print(f"{options.users} users signed in; running for {options.seconds:.0f} s…")

        load_at_start = load_average()
        client_start = time.process_time()
        cpu_start = cpu_seconds(server.pid)
        db_start = postgres_cpu(database_url)
        started = time.monotonic()
        deadline = started + options.seconds
        run_threads(len(users), lambda i: users[i].work_until(deadline))
        elapsed = time.monotonic() - started
        cpu_app = cpu_seconds(server.pid)
        db_app = postgres_cpu(database_url)
        client_app = time.process_time()
        load_after_staff = load_average()

        trivial = Recorder()
        print(f"trivial page for {options.trivial_seconds:.0f} s with {options.users} clients…")
        trivial_started = time.monotonic()
        trivial_deadline = trivial_started + options.trivial_seconds
        run_threads(options.users, lambda i: fetch_trivial(base_url, trivial, trivial_deadline))
        trivial_elapsed = time.monotonic() - trivial_started
        cpu_trivial = cpu_seconds(server.pid)
        db_trivial = postgres_cpu(database_url)
        client_trivial = time.process_time()
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=30)

    kinds = [
        "log form (GET)",
        "log session (POST)",
        "session page",
        "delivery log",
        "statistics",
    ]
    print_table(f"{options.users} staff users, {options.seconds:.0f} s:", recorder, kinds, elapsed)
    print_table("Trivial page, same server:", trivial, ["sign-in page (trivial)"], trivial_elapsed)

    staff_cpu = cpu_per_request(cpu_start, cpu_app, recorder)
    trivial_cpu = cpu_per_request(cpu_app, cpu_trivial, trivial)
    staff_db = per_request(postgres_seconds(db_start, db_app), recorder)
    trivial_db = per_request(postgres_seconds(db_app, db_trivial), trivial)
    staff_client = per_request(client_app - client_start, recorder)
    trivial_client = per_request(client_trivial - client_app, trivial)
    print(
        f"\nCPU per request, staff mix: gunicorn {milliseconds(staff_cpu)}, PostgreSQL "
        f"{milliseconds(staff_db)}; sign-in page: gunicorn {milliseconds(trivial_cpu)}, "
        f"PostgreSQL {milliseconds(trivial_db)}"
    )
    print(
        f"CPU per request of the simulated users (this script, on the same CPUs): staff mix "
        f"{milliseconds(staff_client)}, sign-in page {milliseconds(trivial_client)}"
    )

    counted = logged_sessions(options.users) - before
    errors = sum(recorder.failures.values()) + sum(trivial.failures.values())
    print(f"sessions logged: {recorder.posts_ok} posts succeeded, {counted} in the database")
    print(f"errors: {errors}")
    for example in recorder.examples + trivial.examples:
        print(f"  {example}")
    print(
        f"machine: {os.cpu_count()} CPUs shared by the client, gunicorn, PostgreSQL and anything "
        f"else running; load average (1/5/15 min) at the start of the staff run "
        f"{load_at_start}, at its end {load_after_staff}, after the sign-in run {load_average()}"
    )
    staff_count = sum(len(values) for values in recorder.latencies.values())
    trivial_count = sum(len(values) for values in trivial.latencies.values())
    staff_rate = staff_count / elapsed
    trivial_rate = trivial_count / trivial_elapsed if trivial_count else 0
    every_request = [value for values in recorder.latencies.values() for value in values]
    print(f"\nTargets ({total_sessions():,} sessions in the log):")
    target("errors", errors, 0)
    # Both ways: a post lost, or a session the run did not post (someone else's writes).
    target("posted sessions minus new ones in the database", abs(recorder.posts_ok - counted), 0)
    if options.think_seconds:
        print("  (with think time the staff throughput measures the pauses, not the server)")
    target(
        "staff-mix throughput / sign-in page's",
        100 * staff_rate / trivial_rate if trivial_rate else None,
        33,
        unit="%",
        at_least=True,
    )
    target(
        "p95 latency, every staff request",
        percentile(every_request, 0.95) * 1000 if every_request else None,
        300,
        unit=" ms",
    )
    print(f"{VERDICTS.count(True)} targets met, {VERDICTS.count(False)} missed")
    if errors or counted != recorder.posts_ok or not recorder.posts_ok:
        sys.exit(1)


if __name__ == "__main__":
    main()
