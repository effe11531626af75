"""Benchmark: the past dashboard's dependency links, as they stood (themes.asat.dependencies_as_at)
against today's links read from the through table (what the past dashboard read before).

The bench_asat programme (10,000 milestones, 100,000 history rows), with 2,000 links (every fifth
milestone depends on the one before, as bench_themes seeds them): each link is copied into every
version of its dependent written since it was made (half made with the milestone, half at its
sixth version), as django-simple-history writes them, so 15,000 historical link rows.
CPU per call, interleaved, medians: Django's (time.process_time) and the PostgreSQL backend's
(/proc/PID/schedstat; the server must run on this machine).

Run:
  DATABASE_URL=postgres://postgres@127.0.0.1:5432/dps_asat .venv/bin/python \
    scripts/bench_asat_dependencies.py
It creates its own throw-away database (test_<name>), seeds it, times and drops it again.
"""

import datetime
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import bench_asat  # noqa: E402  (sets Django up)
from django.db import connection  # noqa: E402
from django.test.utils import setup_test_environment  # noqa: E402

RUNS = 15
LINK_FROM_VERSION = 5  # half the links were made at the dependent's sixth version


def seed_links():
    from themes.models import Milestone

    through = Milestone.depends_on.through
    versions = Milestone.history.model
    links = versions.depends_on.model
    ids = list(Milestone.objects.order_by("pk").values_list("pk", flat=True))
    pairs = [(ids[i], ids[i - 1]) for i in range(1, len(ids), 5)]
    made = through.objects.bulk_create(
        [through(from_milestone_id=a, to_milestone_id=b) for a, b in pairs], batch_size=5000
    )
    history = {}
    for history_id, pk in versions.objects.order_by("history_id").values_list("history_id", "id"):
        history.setdefault(pk, []).append(history_id)
    rows = []
    for n, link in enumerate(made):
        dependent_versions = history[link.from_milestone_id]
        since = 0 if n % 2 else LINK_FROM_VERSION
        rows += [
            links(
                id=link.pk,
                from_milestone_id=link.from_milestone_id,
                to_milestone_id=link.to_milestone_id,
                history_id=history_id,
            )
            for history_id in dependent_versions[since:]
        ]
    links.objects.bulk_create(rows, batch_size=5000)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    return len(pairs), len(rows)


def backend_cpu_ns(pid):
    with open(f"/proc/{pid}/schedstat") as stat:
        return int(stat.read().split()[0])


def today_links(by_id):
    """The past dashboard's read before: today's links, kept between the milestones shown."""
    from themes.models import Milestone

    return [
        (a, b)
        for a, b in Milestone.depends_on.through.objects.values_list(
            "from_milestone_id", "to_milestone_id"
        )
        if a in by_id and b in by_id
    ]


def main():
    if connection.vendor != "postgresql":
        sys.exit("Set DATABASE_URL to a PostgreSQL database of your own (e.g. dps_asat).")
    setup_test_environment()
    old_name = connection.settings_dict["NAME"]
    connection.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        from themes.asat import dependencies_as_at, programme_as_at

        planner, history_rows = bench_asat.seed()
        links, link_rows = seed_links()
        print(f"{history_rows:,} milestone versions, {links:,} links, {link_rows:,} link rows")
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_backend_pid()")
            pid = cursor.fetchone()[0]
        past = datetime.date.fromisoformat(bench_asat.PAST)
        by_id = {m.pk: m for m in programme_as_at(planner, past).milestones}
        calls = {
            "today's links (before)": lambda: today_links(by_id),
            "dependencies_as_at (after)": lambda: dependencies_as_at(past, by_id),
        }
        found = {label: len(call()) for label, call in calls.items()}  # and warm-up
        cpu = {label: ([], []) for label in calls}
        for _ in range(RUNS):
            for label, call in calls.items():
                django_began, backend_began = time.process_time(), backend_cpu_ns(pid)
                call()
                cpu[label][0].append((time.process_time() - django_began) * 1000)
                cpu[label][1].append((backend_cpu_ns(pid) - backend_began) / 1e6)
        print(f"{'read':30} {'links':>6} {'Django CPU':>11} {'PG CPU':>9}   (medians, {RUNS} runs)")
        for label, (django_ms, backend_ms) in cpu.items():
            print(
                f"{label:30} {found[label]:6} {statistics.median(django_ms):9.1f}ms"
                f" {statistics.median(backend_ms):7.1f}ms"
            )
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)


if __name__ == "__main__":
    main()
