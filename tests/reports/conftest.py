import datetime

import pytest

from reports import services
from tests.factories import DeliveryFactory
from tests.reports.factories import ReportFactory, publish

JANUARY_2007 = (datetime.date(2007, 1, 1), datetime.date(2007, 1, 31))


@pytest.fixture(autouse=True)
def private_media(settings, tmp_path):
    """Each test stores its PDFs in its own private directory."""
    settings.MEDIA_ROOT = tmp_path / "private"


@pytest.fixture(autouse=True)
def _tasks_in_process(celery_in_process):
    """Every reports test renders its PDFs in-process."""


@pytest.fixture
def january_deliveries(db):
    """Three sessions in January 2007: 30 + 25 PSSP people (one covering computer misuse)."""
    return [
        DeliveryFactory(delivered_on=datetime.date(2007, 1, 10), attendees=30),
        DeliveryFactory(
            delivered_on=datetime.date(2007, 1, 17), attendees=25, products=["computer-misuse"]
        ),
        DeliveryFactory(delivered_on=datetime.date(2007, 1, 24), attendees=12, stream="non-pssp"),
    ]


@pytest.fixture
def draft_report(planner):
    return ReportFactory(created_by=planner)


@pytest.fixture
def tables_report(planner, january_deliveries):
    """A draft whose supporting information embeds the monthly tables for January 2007."""
    report = ReportFactory(
        created_by=planner,
        supporting_information="8. The tables below show the presentations given.\n\n[block 1]",
    )
    start, end = JANUARY_2007
    services.block_add(
        report, user=planner, kind="monthly-tables", period_start=start, period_end=end
    )
    return report


@pytest.fixture
def published_report(planner, tables_report, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        publish(tables_report, planner)
    tables_report.refresh_from_db()
    return tables_report
