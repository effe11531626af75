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

SESSIONS = 1_000_000
FIRST_YEAR = 2006
YEARS = 20
IMPORT_ROWS = 100_000
STREAMS = ("pssp", "pssp", "non-pssp", "civil-actions", "accident-claims")
OCCASIONS = ("mandatory-training", "supervisors-meeting", "management-meeting", "seminar")
PRESENTERS = ("PS Karen Doyle", "DS Martin Achebe", "Insp Ruth Kellner", "PC Imran Shah")


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

    from dps.models import Borough, Product
    from presentations.models import Delivery

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT reltuples::bigint FROM pg_class WHERE relname = %s", [Delivery._meta.db_table]
        )
        estimate = cursor.fetchone()[0]
    if not force and estimate >= SESSIONS * 0.99 and Delivery.objects.count() == SESSIONS:
        print(f"reusing {SESSIONS:,} seeded sessions")
        return
    boroughs = list(Borough.objects.order_by("id").values_list("id", flat=True))
    products = dict(Product.objects.values_list("code", "id"))
    codes = ["computer-misuse", "deaths-in-custody", "complaints-misconduct", "taylor-reforms"]
    started = time.perf_counter()
    delivery_table = Delivery._meta.db_table
    through_table = Delivery.products.through._meta.db_table
    history_table = Delivery.history.model._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f"TRUNCATE {through_table}, {delivery_table}, {history_table} RESTART IDENTITY"
        )
    raw = connection.connection
    now = datetime.datetime.now(datetime.UTC)
    days = YEARS * 365
    first_day = datetime.date(FIRST_YEAR, 1, 1)
    columns = (
        "created_at, updated_at, delivered_on, borough_id, stream, attendees, occasion, "
        "presenters, staff_associations_briefed, feedback_very_satisfied, feedback_satisfied, "
        "feedback_neutral, feedback_dissatisfied, feedback_very_dissatisfied, notes"
    )
    with raw.cursor() as cursor:
        with cursor.copy(f"COPY {delivery_table} ({columns}) FROM STDIN") as copy:
            for index in range(SESSIONS):
                attendees = 5 + (index * 7) % 40
                copy.write_row(
                    (
                        now,
                        now,
                        first_day + datetime.timedelta(days=(index * days) // SESSIONS),
                        boroughs[(index * 7) % len(boroughs)],
                        STREAMS[index % len(STREAMS)],
                        attendees,
                        OCCASIONS[index % len(OCCASIONS)],
                        PRESENTERS[index % len(PRESENTERS)],
                        index % 9 != 0,
                        attendees // 3,
                        attendees // 4,
                        attendees // 20,
                        0,
                        0,
                        "",
                    )
                )
        # Ids are 1..SESSIONS in COPY order (the identity was restarted), so products follow.
        with cursor.copy(f"COPY {through_table} (delivery_id, product_id) FROM STDIN") as copy:
            for index in range(SESSIONS):
                stream = STREAMS[index % len(STREAMS)]
                if stream in ("civil-actions", "accident-claims"):
                    copy.write_row((index + 1, products[stream]))
                    continue
                copy.write_row((index + 1, products[codes[index % 2]]))
                if index % 3 == 0:
                    copy.write_row((index + 1, products[codes[2 + index % 2]]))
    raw.commit()
    with connection.cursor() as cursor:
        cursor.execute(f"VACUUM ANALYZE {delivery_table}")
        cursor.execute(f"VACUUM ANALYZE {through_table}")
    print(f"seeded {SESSIONS:,} sessions in {time.perf_counter() - started:.1f} s")


def measure(label, action, runs):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    timings, queries, status = [], None, None
    action()  # warm up caches (templates, permission lookups, plans)
    for _ in range(runs):
        with CaptureQueriesContext(connection) as captured:
            started = time.perf_counter()
            status = action()
            timings.append((time.perf_counter() - started) * 1000)
        # The users live in a transaction rolled back at the end, so the session save adds a
        # SAVEPOINT pair a real request would not have: leave those out of the count.
        queries = sum(
            not query["sql"].startswith(("SAVEPOINT", "RELEASE SAVEPOINT"))
            for query in captured.captured_queries
        )
    median = statistics.median(timings)
    print(f"{label:<58} median {median:8.1f} ms  {queries:3d} queries  (status {status})")
    return median


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
    from presentations.models import Delivery

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
    imported._raw_delete(imported.db)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--reseed", action="store_true")
    parser.add_argument("--skip-import", action="store_true")
    parser.add_argument("--only-import", action="store_true")
    args = parser.parse_args()
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith(("postgres://", "postgresql://")):
        sys.exit("Set DATABASE_URL to a PostgreSQL database of its own, e.g. .../dps_bench3")
    ensure_database(url)

    import django

    django.setup()
    from django.core.management import call_command
    from django.db import transaction
    from django.test import Client
    from django.test.utils import setup_test_environment
    from django.urls import reverse

    from dps.models import Borough
    from presentations import stats
    from presentations.models import Delivery

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
    print(f"PostgreSQL, {Delivery.objects.count():,} sessions; medians of {args.runs} runs\n")

    # Users are created inside a transaction rolled back at the end: the data set stays as is.
    with transaction.atomic():
        planner, admin = users()
        client = Client()
        client.force_login(planner)
        admin_client = Client()
        admin_client.force_login(admin)
        log = reverse("presentations:delivery-list")
        changelist = reverse("admin:presentations_delivery_changelist")

        def get(c, url):
            def action():
                response = c.get(url)
                assert response.status_code == 200, (url, response.status_code)
                return response.status_code

            return action

        measure(
            f"statistics functions, {year} (tables+coverage+satisfaction)",
            lambda: (
                (
                    stats.monthly_tables(deliveries, start, end),
                    stats.borough_coverage(planner, start, end),
                    stats.satisfaction_rates(deliveries, start, end),
                )
                and "ok"
            ),
            args.runs,
        )
        measure(
            f"monthly_tables only, {year}",
            lambda: stats.monthly_tables(deliveries, start, end) and "ok",
            args.runs,
        )
        measure(
            f"statistics page, {year}",
            get(client, reverse("presentations:statistics") + f"?year={year}"),
            args.runs,
        )
        print()
        log_first = measure(
            "log: first page, borough=Camden, sorted by date",
            get(client, f"{log}?borough={camden.pk}&sort=-delivered_on"),
            args.runs,
        )
        measure(
            "log: first page, borough=Camden, 100 per page",
            get(client, f"{log}?borough={camden.pk}&sort=-delivered_on&per_page=100"),
            args.runs,
        )
        measure(
            "log: deep page (page 1000), borough=Camden",
            get(client, f"{log}?borough={camden.pk}&sort=-delivered_on&page=1000"),
            args.runs,
        )
        log_unfiltered = measure("log: first page, unfiltered", get(client, log), args.runs)
        measure(
            "log: deep page (page 20000), unfiltered", get(client, f"{log}?page=20000"), args.runs
        )
        print()
        admin_first = measure(
            "admin changelist: first page, borough=Camden",
            get(admin_client, f"{changelist}?borough__id__exact={camden.pk}"),
            args.runs,
        )
        admin_unfiltered = measure(
            "admin changelist: first page, unfiltered", get(admin_client, changelist), args.runs
        )
        print(
            f"\nlog vs admin: {admin_first / log_first:.1f}x faster filtered by borough, "
            f"{admin_unfiltered / log_unfiltered:.1f}x unfiltered"
        )
        transaction.set_rollback(True)

    if not args.skip_import:
        print()
        import_benchmark(list(Borough.objects.values_list("name", flat=True)))


if __name__ == "__main__":
    main()
