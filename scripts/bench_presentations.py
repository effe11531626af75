"""Benchmark of the PSSP delivery log on 1,000,000 sessions (PostgreSQL only).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/dps_bench3 .venv/bin/python \
        scripts/bench_presentations.py [--runs 7] [--reseed] [--skip-import]

Uses its own database (created if missing; never point it at real data: it is truncated),
seeds 1,000,000 sessions over 20 years (2006-2025) and every borough and unit with COPY, then
prints the median of several runs of:
  - one year's statistics (the three tables, borough coverage, satisfaction) as functions and
    as the whole statistics page;
  - the log's first page filtered by borough, sorted by date; a deep page; 100 rows a page;
  - the Django admin changelist of the same model on the same data;
  - importing 100,000 rows from CSV (then importing the same file again, which changes nothing).
Times are server-side (Django test client in process, production settings: DEBUG off).
"""

import argparse
import datetime
import os
import secrets
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

# Production-like settings: cached templates, no debug machinery. The test client talks plain
# HTTP in-process, so the HTTPS redirect and secure cookies are off for this run only.
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "dps.settings")
os.environ["DEBUG"] = "false"
# Signed in with force_login as a local account: no TOTP step (dps/second_factor.py) to time.
os.environ["REQUIRE_SECOND_FACTOR"] = "false"
os.environ.setdefault("SECRET_KEY", secrets.token_urlsafe(60))
os.environ["ALLOWED_HOSTS"] = "testserver"
os.environ["SECURE_SSL_REDIRECT"] = "false"
os.environ["SECURE_COOKIES"] = "false"

from benchkit import OCCASIONS, PRESENTERS, STREAMS, add_sessions  # noqa: E402

SESSIONS = 1_000_000
FIRST_YEAR = 2006
YEARS = 20
IMPORT_ROWS = 100_000


def ensure_database(url):
    import psycopg

    name = url.rsplit("/", 1)[1].split("?")[0]
    admin_url = url.rsplit("/", 1)[0] + "/postgres"
    with psycopg.connect(admin_url, autocommit=True) as connection:
        exists = connection.execute(
            "SELECT 1 FROM pg_database WHERE datname = %s", [name]
        ).fetchone()
        if not exists:
            connection.execute(f'CREATE DATABASE "{name}"')
            print(f"created database {name}")


def seed(force):
    from django.db import connection

    from presentations.models import Delivery, MonthFigures

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT reltuples::bigint FROM pg_class WHERE relname = %s", [Delivery._meta.db_table]
        )
        estimate = cursor.fetchone()[0]
    if not force and estimate >= SESSIONS * 0.99 and Delivery.objects.count() == SESSIONS:
        print(f"reusing {SESSIONS:,} seeded sessions")
        return
    delivery_table = Delivery._meta.db_table
    through_table = Delivery.products.through._meta.db_table
    history_table = Delivery.history.model._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f"TRUNCATE {through_table}, {delivery_table}, {history_table}, "
            f"{MonthFigures._meta.db_table} RESTART IDENTITY"
        )
    seconds = add_sessions(SESSIONS, datetime.date(FIRST_YEAR, 1, 1), YEARS * 365)
    print(f"seeded {SESSIONS:,} sessions in {seconds:.1f} s")


class Meter:
    """Wall time, this process's CPU and the PostgreSQL backend's CPU (from /proc/PID/schedstat:
    nanoseconds on a CPU, so the database's work is counted, not only Django's)."""

    def __init__(self):
        from django.db import connection

        connection.ensure_connection()
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_backend_pid()")
            self.backend = Path(f"/proc/{cursor.fetchone()[0]}/schedstat")

    def backend_ns(self):
        try:
            return int(self.backend.read_text().split()[0])
        except OSError:  # the database on another machine: its CPU is not visible from here
            return 0

    def once(self, action):
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as captured:
            backend, cpu, wall = self.backend_ns(), time.process_time(), time.perf_counter()
            status = action()
            wall = (time.perf_counter() - wall) * 1000
            cpu = (time.process_time() - cpu) * 1000
            backend = (self.backend_ns() - backend) / 1e6
        # The users live in a transaction rolled back at the end, so a session save adds a
        # SAVEPOINT pair a real request would not have: those are left out of the count.
        queries = sum(
            not query["sql"].startswith(("SAVEPOINT", "RELEASE SAVEPOINT"))
            for query in captured.captured_queries
        )
        return wall, cpu, backend, queries, status


class Figure:
    def __init__(self, label):
        self.label = label
        self.wall, self.cpu, self.db = [], [], []
        self.queries = self.status = None

    @property
    def ms(self):
        return statistics.median(self.wall)

    @property
    def cpu_ms(self):
        """Median CPU of the request: Django's process plus the database backend's."""
        return statistics.median(c + d for c, d in zip(self.cpu, self.db, strict=True))

    def line(self):
        return (
            f"{self.label:<52} {self.ms:7.1f} ms  cpu {statistics.median(self.cpu):6.1f} + db "
            f"{statistics.median(self.db):5.1f} ms  {self.queries:3d} queries  ({self.status})"
        )


def interleaved(meter, sides, runs):
    """Measure several actions side by side: a warm-up of each, then `runs` rounds in which
    every side runs once, in an order that rotates, so load on the shared machine falls on
    all sides alike. Returns {label: Figure}; medians are what is compared."""
    figures = {label: Figure(label) for label in sides}
    for action in sides.values():
        action()  # warm up caches (templates, permission lookups, plans)
    labels = list(sides)
    for run in range(runs):
        shift = run % len(labels)
        for label in labels[shift:] + labels[:shift]:
            wall, cpu, db, queries, status = meter.once(sides[label])
            figure = figures[label]
            figure.wall.append(wall)
            figure.cpu.append(cpu)
            figure.db.append(db)
            figure.queries, figure.status = queries, status
    for figure in figures.values():
        print(figure.line())
    return figures


VERDICTS = []


def target(label, value, limit, *, unit="ms", at_least=False):
    passed = value >= limit if at_least else value <= limit
    VERDICTS.append(passed)
    sign = ">=" if at_least else "<="
    verdict = "PASS" if passed else "FAIL"
    print(f"  {verdict}  {label:<58} {value:8.2f}{unit}  (target {sign} {limit}{unit})")


def load_average():
    return Path("/proc/loadavg").read_text().split()[:3]


def hand_written_year(start, end):
    """The year's statistics in hand-written SQL over the sessions (what the functions compute:
    the monthly tables with product coverage, satisfaction, and each borough's PSSP input)."""
    from django.db import connection

    from dps.models import Product

    products = dict(Product.objects.values_list("code", "id"))
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL jit = off")  # as the functions do (presentations.stats)
        cursor.execute(
            """
            SELECT to_char(d.delivered_on, 'YYYY-MM'),
                   COALESCE(SUM(d.attendees) FILTER (WHERE stream = 'pssp'), 0),
                   COALESCE(SUM(d.attendees) FILTER (WHERE stream = 'non-pssp'), 0),
                   COUNT(*) FILTER (WHERE stream = 'civil-actions'),
                   COALESCE(SUM(d.attendees) FILTER (WHERE stream = 'civil-actions'), 0),
                   COALESCE(SUM(d.attendees) FILTER (WHERE stream = 'accident-claims'), 0),
                   COALESCE(SUM(d.attendees) FILTER (WHERE stream IN ('pssp', 'non-pssp')
                       AND EXISTS (SELECT 1 FROM presentations_delivery_products p
                                   WHERE p.delivery_id = d.id AND p.product_id = %s)), 0),
                   COALESCE(SUM(d.attendees) FILTER (WHERE stream IN ('pssp', 'non-pssp')
                       AND EXISTS (SELECT 1 FROM presentations_delivery_products p
                                   WHERE p.delivery_id = d.id AND p.product_id = %s)), 0),
                   SUM(d.attendees), SUM(feedback_very_satisfied), SUM(feedback_satisfied),
                   SUM(feedback_neutral), SUM(feedback_dissatisfied),
                   SUM(feedback_very_dissatisfied)
              FROM presentations_delivery d
             WHERE d.delivered_on BETWEEN %s AND %s
             GROUP BY 1 ORDER BY 1
            """,
            [products["deaths-in-custody"], products["computer-misuse"], start, end],
        )
        months = [tuple(row) for row in cursor.fetchall()]
        cursor.execute(
            """
            SELECT borough_id, COUNT(*), SUM(attendees), MIN(delivered_on)
              FROM presentations_delivery
             WHERE delivered_on BETWEEN %s AND %s
               AND stream IN ('pssp', 'civil-actions', 'accident-claims')
             GROUP BY borough_id ORDER BY borough_id
            """,
            [start, end],
        )
        boroughs = [tuple(row) for row in cursor.fetchall()]
    return months, boroughs


def year_figures_by_functions(user, start, end):
    """The functions' figures in the hand-written SQL's shape, to check both give the same."""
    from presentations import stats
    from presentations.models import Delivery

    tables = stats.monthly_tables(Delivery.objects.all(), start, end)
    months = stats.month_figures(Delivery.objects.all(), start, end)
    rows = []
    for presentations, civil, accident in zip(
        tables["presentations"][:-1],
        tables["civil_actions"][:-1],
        tables["accident_claims"][:-1],
        strict=True,
    ):
        month = months[presentations["month"]]
        rows.append(
            (
                presentations["month"],
                presentations["pssp_attendees"],
                presentations["non_pssp_attendees"],
                civil["sessions"],
                civil["attendees"],
                accident["participants"],
                presentations["attending_preventing_deaths_in_custody"],
                presentations["attending_computer_misuse"],
                month["attendees"],
                *(month[level] for level in stats.FEEDBACK_FIELDS),
            )
        )
    coverage = stats.borough_coverage(user, start, end)
    boroughs = sorted(
        (entry["id"], entry["sessions"], entry["attendees"], entry["first_input"])
        for group in coverage["groups"]
        for entry in group["boroughs"]
        if entry["reached"]
    )
    boroughs = [(i, s, a, datetime.date.fromisoformat(f)) for i, s, a, f in boroughs]
    return rows, boroughs


def users():
    from django.contrib.auth.models import Group

    from dps.roles import PLANNING_MANAGER
    from tests.factories import UserFactory

    planner = UserFactory(username="bench.planner")
    planner.groups.add(Group.objects.get(name=PLANNING_MANAGER))
    admin = UserFactory(username="bench.admin", is_staff=True, is_superuser=True)
    return planner, admin


def import_benchmark(boroughs):
    import csv
    import io

    from presentations import imports
    from presentations.models import Delivery, note_months_changed

    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(imports.REQUIRED_COLUMNS + imports.OPTIONAL_COLUMNS)
    for index in range(IMPORT_ROWS):
        writer.writerow(
            [
                (datetime.date(2005, 1, 1) + datetime.timedelta(days=index % 365)).isoformat(),
                boroughs[index % len(boroughs)],
                STREAMS[index % len(STREAMS)],
                10 + index % 30,
                "computer-misuse;deaths-in-custody" if index % 2 else "",
                OCCASIONS[index % len(OCCASIONS)],
                PRESENTERS[index % len(PRESENTERS)],
                f"bench-import-{index}",
            ]
        )
    content = out.getvalue().encode()
    print(f"import file: {IMPORT_ROWS:,} rows, {len(content) / 1e6:.1f} MB CSV")
    started = time.perf_counter()
    checked = imports.import_file("bench.csv", content, dry_run=True)
    assert not checked.errors, checked.errors[:3]
    print(f"{'check only (--dry-run)':<58} {time.perf_counter() - started:8.1f} s")
    for attempt in ("first import", "same file again"):
        started = time.perf_counter()
        result = imports.import_file("bench.csv", content, dry_run=False)
        seconds = time.perf_counter() - started
        assert not result.errors, result.errors[:3]
        print(
            f"{attempt:<58} {seconds:8.1f} s   ({result.created:,} created, "
            f"{result.updated:,} updated, {result.unchanged:,} unchanged)"
        )
    import openpyxl

    workbook = openpyxl.Workbook(write_only=True)
    sheet = workbook.create_sheet()
    for row in csv.reader(io.StringIO(out.getvalue())):
        sheet.append(row)
    xlsx = io.BytesIO()
    workbook.save(xlsx)
    started = time.perf_counter()
    checked = imports.import_file("bench.xlsx", xlsx.getvalue(), dry_run=True)
    assert not checked.errors, checked.errors[:3]
    label = f"same rows as XLSX ({len(xlsx.getvalue()) / 1e6:.1f} MB), check only"
    print(f"{label:<58} {time.perf_counter() - started:8.1f} s")
    imported = Delivery.objects.filter(reference__startswith="bench-import-")
    Delivery.products.through.objects.filter(delivery__in=imported).delete()
    Delivery.history.filter(reference__startswith="bench-import-").delete()
    days = list(imported.values_list("delivered_on", flat=True).distinct())
    imported._raw_delete(imported.db)
    note_months_changed(days)  # a raw delete bypasses the signals that do this


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--reseed", action="store_true")
    parser.add_argument("--skip-import", action="store_true")
    parser.add_argument("--only-import", action="store_true")
    parser.add_argument(
        "--only-log",
        action="store_true",
        help="only the log pages, the admin changelist and the sign-in page (no statistics/import)",
    )
    args = parser.parse_args()
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith(("postgres://", "postgresql://")):
        sys.exit("Set DATABASE_URL to a PostgreSQL database of its own, e.g. .../dps_bench3")
    ensure_database(url)

    import django

    django.setup()
    from django.contrib import admin as django_admin
    from django.core.management import call_command
    from django.db import transaction
    from django.test import Client
    from django.test.utils import setup_test_environment
    from django.urls import reverse

    from dps.models import Borough
    from presentations import stats
    from presentations.models import Delivery, MonthFigures

    setup_test_environment()
    call_command("migrate", verbosity=0)
    seed(args.reseed)
    if args.only_import:
        import_benchmark(list(Borough.objects.values_list("name", flat=True)))
        return
    year = 2015
    start, end = stats.year_range(year)
    camden = Borough.objects.get(name="Camden")
    deliveries = Delivery.objects.all()
    print(
        f"PostgreSQL, {Delivery.objects.count():,} sessions; DEBUG off; medians of {args.runs} "
        f"interleaved runs after a warm-up; load average {' '.join(load_average())}\n"
    )
    meter = Meter()
    delivery_admin = django_admin.site._registry[Delivery]

    # Users are created inside a transaction rolled back at the end: the data set stays as is.
    with transaction.atomic():
        planner, admin = users()
        client = Client()
        client.force_login(planner)
        admin_client = Client()
        admin_client.force_login(admin)
        anonymous = Client()
        log = reverse("presentations:delivery-list")
        changelist = reverse("admin:presentations_delivery_changelist")

        def get(c, url, before=None):
            def action():
                if before:
                    before()
                response = c.get(url)
                assert response.status_code == 200, (url, response.status_code)
                return response.status_code

            return action

        def admin_rows(rows):
            def set_rows():
                delivery_admin.list_per_page = rows

            return set_rows

        def forget_month_figures():
            MonthFigures.objects.all().delete()

        def year_statistics():
            stats.monthly_tables(deliveries, start, end)
            stats.borough_coverage(planner, start, end)
            stats.satisfaction_rates(deliveries, start, end)
            return "ok"

        def cold(action):
            def run():
                forget_month_figures()
                return action()

            return run

        if not args.only_log:
            print("== Statistics, one year (tables + borough coverage + satisfaction)")
            figures = interleaved(
                meter,
                {
                    "hand-written SQL, same numbers": lambda: (
                        hand_written_year(start, end) and "ok"
                    ),
                    "statistics functions, figures stored": year_statistics,
                    "statistics functions, counted afresh": cold(year_statistics),
                    "statistics page, figures stored": get(
                        client, reverse("presentations:statistics") + f"?year={year}"
                    ),
                    "statistics page, counted afresh": cold(
                        get(client, reverse("presentations:statistics") + f"?year={year}")
                    ),
                    "one closed month again (monthly_tables)": lambda: (
                        stats.monthly_tables(
                            deliveries, datetime.date(year, 3, 1), datetime.date(year, 3, 31)
                        )
                        and "ok"
                    ),
                },
                args.runs,
            )
            assert hand_written_year(start, end) == year_figures_by_functions(planner, start, end)
            print("  (the hand-written SQL gives the same numbers as the functions: checked)")
            hand = figures["hand-written SQL, same numbers"].ms
            target(
                "year statistics (stored) / hand-written SQL",
                figures["statistics functions, figures stored"].ms / hand,
                1.1,
                unit="x",
            )
            target(
                "year statistics (counted afresh) / hand-written SQL",
                figures["statistics functions, counted afresh"].ms / hand,
                1.1,
                unit="x",
            )
            target("statistics page at 1M rows", figures["statistics page, figures stored"].ms, 60)
            target(
                "statistics page, counted afresh",
                figures["statistics page, counted afresh"].ms,
                60,
            )
            target(
                "closed month served again, CPU (Django + PostgreSQL)",
                figures["one closed month again (monthly_tables)"].cpu_ms,
                2,
            )

        print("\n== Log page against the admin changelist, equal rows (unfiltered, newest first)")
        figures = interleaved(
            meter,
            {
                "sign-in page (anonymous)": get(anonymous, reverse("sign-in")),
                "log, 1 row": get(client, f"{log}?per_page=1"),
                "log, 25 rows": get(client, log),
                "admin changelist, 25 rows": get(admin_client, changelist, admin_rows(25)),
                "log, 100 rows": get(client, f"{log}?per_page=100"),
                "admin changelist, 100 rows": get(admin_client, changelist, admin_rows(100)),
                "log, 25 rows, borough=Camden": get(client, f"{log}?borough={camden.pk}"),
                "admin, 25 rows, borough=Camden": get(
                    admin_client, f"{changelist}?borough__id__exact={camden.pk}", admin_rows(25)
                ),
                "log, deep page (page 20000)": get(client, f"{log}?page=20000"),
            },
            args.runs,
        )
        delivery_admin.list_per_page = 100
        target("log page, 100 rows", figures["log, 100 rows"].ms, 45)
        for rows in (25, 100):
            target(
                f"admin / log at {rows} rows",
                figures[f"admin changelist, {rows} rows"].ms / figures[f"log, {rows} rows"].ms,
                2.5,
                unit="x",
                at_least=True,
            )
        target(
            "admin / log at 25 rows, borough=Camden",
            figures["admin, 25 rows, borough=Camden"].ms
            / figures["log, 25 rows, borough=Camden"].ms,
            2.5,
            unit="x",
            at_least=True,
        )
        target(
            "log 25 rows CPU (Django + PostgreSQL) / sign-in page's",
            figures["log, 25 rows"].cpu_ms / figures["sign-in page (anonymous)"].cpu_ms,
            4,
            unit="x",
        )
        target("fixed cost of a list page (log, 1 row)", figures["log, 1 row"].ms, 10)
        print(
            "  (wall times include waiting for a core: at a load average above the 2 cores, "
            "read the cpu columns)"
        )
        transaction.set_rollback(True)
    print(f"\nload average after: {' '.join(load_average())}")

    if not args.skip_import:
        print()
        import_benchmark(list(Borough.objects.values_list("name", flat=True)))
    print(f"\n{VERDICTS.count(True)} targets met, {VERDICTS.count(False)} missed")


if __name__ == "__main__":
    main()
