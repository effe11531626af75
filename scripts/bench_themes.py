"""Benchmark: the planning manager's dashboard with 5 themes × 2,000 milestones on PostgreSQL.

Run:
  DATABASE_URL=postgres://postgres@127.0.0.1:5432/dps_bench4 \
    .venv/bin/python scripts/bench_themes.py
It creates its own throw-away database (test_<name>), seeds it, times the pages in-process
(server time: request in, response out, no network) and drops the database again.
Target: dashboard median ≤ 100 ms.
"""

import datetime
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "dps.settings")
# As served: DEBUG off (cached templates, no debug machinery). The test client talks plain HTTP
# in-process, so the HTTPS redirect and secure cookies are off for this run only.
os.environ["DEBUG"] = "false"
os.environ.setdefault("SECRET_KEY", "bench-themes-" + "x" * 50)
os.environ["SECURE_SSL_REDIRECT"] = "false"
os.environ["SECURE_COOKIES"] = "false"
os.environ["ALLOWED_HOSTS"] = "localhost,testserver"
# Pages are timed, not the sign-in: a password alone, as the load run does.
os.environ["REQUIRE_SECOND_FACTOR"] = "false"

import django  # noqa: E402

django.setup()

from benchkit import profile_queries, time_page  # noqa: E402
from django.conf import settings  # noqa: E402
from django.db import connection  # noqa: E402
from django.test.utils import setup_test_environment  # noqa: E402

THEMES = 5
MILESTONES_PER_THEME = 2000
RUNS = 9


def seed():
    from django.contrib.auth.models import Group, Permission
    from django.utils import timezone

    from dps.roles import PLANNING_MANAGER
    from themes.models import (
        Deliverable,
        Milestone,
        MilestoneReforecast,
        Risk,
        SupportingArea,
        Theme,
    )

    user_model = django.contrib.auth.get_user_model()
    planner = user_model.objects.create_user("bench.planner", first_name="Bench")
    planner.groups.add(Group.objects.get(name=PLANNING_MANAGER))
    planner.user_permissions.add(
        Permission.objects.get(content_type__app_label="themes", codename="view_restricted_theme")
    )
    themes = list(Theme.objects.select_related("programme")[:THEMES])
    areas = list(SupportingArea.objects.all())
    start = datetime.date(2007, 6, 1)
    milestones = []
    for theme in themes:
        deliverables = Deliverable.objects.bulk_create(
            [Deliverable(theme=theme, title=f"{theme.code} deliverable {n}") for n in range(20)]
        )
        tolerance = theme.effective_time_tolerance_days
        for n in range(MILESTONES_PER_THEME):
            baseline = start + datetime.timedelta(days=(n * 7) % 730)
            slip = (n * 13) % 60 - 10
            complete = n % 4 == 0
            milestone = Milestone(
                deliverable=deliverables[n % 20],
                title=f"{theme.code} milestone {n}",
                owner=planner,
                baseline_date=baseline,
                forecast_date=baseline + datetime.timedelta(days=slip),
                actual_date=baseline + datetime.timedelta(days=slip) if complete else None,
                status="complete" if complete else "in-progress",
            )
            milestone.refresh_rag(tolerance)
            milestones.append(milestone)
    # Bench data only, in a throw-away database: plain bulk_create, no audit rows needed.
    milestones = Milestone.objects.bulk_create(milestones, batch_size=2000)
    through = Milestone.supporting_areas.through
    through.objects.bulk_create(
        [
            through(milestone_id=m.pk, supportingarea_id=areas[i % len(areas)].pk)
            for i, m in enumerate(milestones)
        ],  # fmt: skip
        batch_size=5000,
    )
    depends = Milestone.depends_on.through
    depends.objects.bulk_create(
        [
            depends(from_milestone_id=milestones[i].pk, to_milestone_id=milestones[i - 1].pk)
            for i in range(1, len(milestones), 5)
        ],  # fmt: skip
        batch_size=5000,
    )
    now = timezone.now()
    MilestoneReforecast.objects.bulk_create(
        [
            MilestoneReforecast(
                milestone=m,
                previous_forecast=m.baseline_date,
                new_forecast=m.forecast_date,
                reason="Bench re-forecast",
                made_by=planner,
                made_at=now - datetime.timedelta(days=i % 400),
            )
            for i, m in enumerate(milestones)
            if m.forecast_date != m.baseline_date
        ],
        batch_size=5000,
    )
    Risk.objects.bulk_create(
        [
            Risk(
                theme=themes[i % len(themes)],
                title=f"Risk {i}",
                cause="c",
                event="e",
                effect="f",
                likelihood_before=3,
                impact_before=3,
                likelihood_after=2,
                impact_after=2,
                proximity="within-stage",
                response_category="reduce",
                owner=planner,
                raised_on=start,
                review_date=start + datetime.timedelta(days=i % 700),
            )
            for i in range(500)
        ]
    )
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    return planner


def main():
    if connection.vendor != "postgresql":
        sys.exit("Set DATABASE_URL to a PostgreSQL database of your own (e.g. dps_bench4).")
    setup_test_environment()
    settings.ALLOWED_HOSTS = ["localhost", "testserver"]
    old_name = connection.settings_dict["NAME"]
    connection.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        from django.test import Client

        from themes.models import Milestone

        began = time.perf_counter()
        planner = seed()
        print(
            f"Seeded {Milestone.objects.count():,} milestones in {THEMES} themes "
            f"in {time.perf_counter() - began:.1f} s"
        )
        client = Client()
        client.force_login(planner)
        pages = {
            "dashboard (as at 2008-04-15)": (
                "/themes/dashboard/?as_at=2008-04-15&slipped_since=2026-01-01"
            ),
            "dashboard (today)": "/themes/dashboard/",
            "milestone list, page 1": "/themes/milestones/",
            "milestone list, red & open, filtered": "/themes/milestones/?rag=red&open_only=on",
            "programme page": "/themes/",
            "supporting areas grid": "/themes/supporting-areas/",
        }
        print(f"{'page':40} {'median':>9} {'min':>9} {'max':>9}   ({RUNS} runs)")
        for label, url in pages.items():
            median, low, high = time_page(client, url, RUNS)
            print(f"{label:40} {median:7.1f}ms {low:7.1f}ms {high:7.1f}ms")
        # The same dashboard for a planner not cleared for the restricted theme (extra joins).
        uncleared = django.contrib.auth.get_user_model().objects.create_user("bench.uncleared")
        from django.contrib.auth.models import Group

        from dps.roles import PLANNING_MANAGER

        uncleared.groups.add(Group.objects.get(name=PLANNING_MANAGER))
        other = Client()
        other.force_login(uncleared)
        median, low, high = time_page(other, pages["dashboard (as at 2008-04-15)"], RUNS)
        label = "dashboard, uncleared planner"
        print(f"{label:40} {median:7.1f}ms {low:7.1f}ms {high:7.1f}ms")
        dashboard = time_page(client, pages["dashboard (as at 2008-04-15)"], RUNS)[0]
        verdict = "PASS" if dashboard <= 100 and median <= 100 else "FAIL"
        print(
            f"  {verdict}  dashboard median, cleared {dashboard:.1f} ms and uncleared "
            f"{median:.1f} ms (target <= 100 ms; DEBUG {settings.DEBUG}; load average "
            f"{' '.join(Path('/proc/loadavg').read_text().split()[:3])})"
        )
        if "--profile" in sys.argv:
            profile_queries(client, pages["dashboard (as at 2008-04-15)"])
        if "--cprofile" in sys.argv:
            import cProfile
            import pstats

            profiler = cProfile.Profile()
            profiler.enable()
            client.get(pages["dashboard (as at 2008-04-15)"], HTTP_HOST="localhost")
            profiler.disable()
            pstats.Stats(profiler).sort_stats("cumulative").print_stats(25)
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)


if __name__ == "__main__":
    main()
