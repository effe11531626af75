"""Benchmark the tasking and engagement reads over a large delivery log.

Run: DATABASE_URL=postgres://postgres@127.0.0.1:5432/<db> .venv/bin/python scripts/bench_pssp.py
It creates its own test database (test_<name>), seeds it, prints timings and drops it again.
BENCH_DELIVERIES sets the size of the delivery log (default 200000).
"""

import os
import random
import statistics
import sys
import time
from datetime import date, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "dps.settings")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.test.utils import setup_databases, teardown_databases  # noqa: E402

DELIVERIES = int(os.environ.get("BENCH_DELIVERIES", "200000"))
RUNS = 5


def timed(label, function):
    durations = []
    for _ in range(RUNS):
        started = time.perf_counter()
        function()
        durations.append((time.perf_counter() - started) * 1000)
    print(
        f"{label:<55} median {statistics.median(durations):8.1f} ms  max {max(durations):8.1f} ms"
    )


def seed():
    from dps.models import Borough
    from presentations.choices import Stream
    from presentations.models import Delivery
    from pssp.choices import MeetingKind
    from pssp.models import EngagementMeeting, Source, SourceFigure, SourceReview

    rng = random.Random(5)
    boroughs = list(Borough.objects.all())
    streams = [
        Stream.PSSP,
        Stream.PSSP,
        Stream.NON_PSSP,
        Stream.CIVIL_ACTIONS,
        Stream.ACCIDENT_CLAIMS,
    ]
    start = date(2005, 1, 1)
    batch = []
    # Plain bulk_create: throwaway benchmark rows in a throwaway database need no audit trail.
    for _ in range(DELIVERIES):
        batch.append(
            Delivery(
                delivered_on=start + timedelta(days=rng.randrange(365 * 4)),
                borough=rng.choice(boroughs),
                stream=rng.choice(streams),
                attendees=rng.randint(5, 60),
                presenters="Bench",
            )
        )
        if len(batch) == 10000:
            Delivery.objects.bulk_create(batch)
            batch = []
    Delivery.objects.bulk_create(batch)
    meetings = [
        EngagementMeeting(
            borough=rng.choice(boroughs),
            kind=rng.choice(list(MeetingKind)),
            met_on=start + timedelta(days=rng.randrange(365 * 4)),
        )
        for _ in range(5000)
    ]
    EngagementMeeting.objects.bulk_create(meetings)
    sources = list(Source.objects.all())
    for borough in boroughs:
        for quarter in range(16):
            first = date(2005 + quarter // 4, 1 + 3 * (quarter % 4), 1)
            review = SourceReview.objects.create(
                borough=borough,
                period_start=first,
                period_end=first + timedelta(days=89),
                reviewed_on=first + timedelta(days=100),
            )
            SourceFigure.objects.bulk_create(
                SourceFigure(review=review, source=source, count=rng.randint(0, 80))
                for source in sources
            )


def main():
    if not settings.DATABASES["default"]["ENGINE"].endswith("postgresql"):
        sys.exit("Set DATABASE_URL to a PostgreSQL database of your own.")
    old_config = setup_databases(verbosity=0, interactive=False)
    try:
        from django.contrib.auth.models import Group
        from django.db import connection
        from django.test import Client

        from dps.models import Borough
        from dps.roles import PLANNING_MANAGER
        from pssp.coverage import engagement_coverage
        from pssp.selectors import borough_comparison, borough_overview
        from tests.factories import UserFactory

        started = time.perf_counter()
        seed()
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
        print(f"seeded {DELIVERIES} deliveries in {time.perf_counter() - started:.1f} s")
        planner = UserFactory(username="bench.planner")
        planner.groups.add(Group.objects.get(name=PLANNING_MANAGER))
        year = (date(2007, 1, 1), date(2007, 12, 31))
        camden = Borough.objects.get(name="Camden")
        timed(
            "engagement_coverage(2007) for 32 boroughs",
            lambda: engagement_coverage(planner, *year),
        )
        timed("borough_comparison(2007)", lambda: borough_comparison(*year, planner))
        timed("borough_overview(Camden), all months", lambda: borough_overview(camden, planner))
        client = Client()
        client.force_login(planner)
        timed(
            "GET borough page (Camden)",
            lambda: client.get(f"/pssp/boroughs/{camden.pk}/", HTTP_HOST="localhost"),
        )
        timed(
            "GET coverage page 2007",
            lambda: client.get(
                "/pssp/engagement/coverage/?start=2007-01-01&end=2007-12-31", HTTP_HOST="localhost"
            ),
        )
        timed(
            "GET comparison page 2007",
            lambda: client.get(
                "/pssp/reviews/comparison/?start=2007-01-01&end=2007-12-31", HTTP_HOST="localhost"
            ),
        )
    finally:
        teardown_databases(old_config, verbosity=0)


if __name__ == "__main__":
    main()
