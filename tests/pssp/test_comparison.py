import datetime

import pytest

from presentations.choices import Stream
from pssp import services
from pssp.models import Source
from pssp.selectors import borough_comparison
from tests.factories import DeliveryFactory, borough
from tests.pssp.factories import SourceReviewFactory

pytestmark = pytest.mark.django_db

D = datetime.date


def review(name, counts, **fields):
    record = SourceReviewFactory(borough=borough(name), **fields)
    sources = Source.objects.order_by("order")
    services.review_save_figures(review=record, figures=dict(zip(sources, counts, strict=False)))
    return record


def test_boroughs_are_ranked_by_need_beside_the_input_they_received(planner):
    review("Croydon", [50, 20, 10, 5, 15])
    review("Lambeth", [10, 5, 5, 5, 5])
    review("Lambeth", [1, 1, 1, 1, 1], period_start=D(2007, 7, 1), period_end=D(2007, 12, 31))
    review("Camden", [1, 1, 1, 1, 1], period_start=D(2008, 1, 1), period_end=D(2008, 6, 30))
    DeliveryFactory(borough=borough("Lambeth"), attendees=30)
    DeliveryFactory(borough=borough("Lambeth"), attendees=12, stream=Stream.ACCIDENT_CLAIMS)
    DeliveryFactory(borough=borough("Lambeth"), attendees=99, stream=Stream.NON_PSSP)
    sources, rows = borough_comparison(D(2007, 1, 1), D(2007, 12, 31), planner)
    assert [source.code for source in sources][0] == "public-complaints"
    croydon, lambeth = rows[0], rows[1]
    assert (croydon.borough, croydon.need, croydon.need_rank) == ("Croydon", 100, 1)
    assert (lambeth.borough, lambeth.need, lambeth.need_rank) == ("Lambeth", 35, 2)
    assert lambeth.figures == [11, 6, 6, 6, 6]
    assert (lambeth.sessions, lambeth.attendees, lambeth.delivery_rank) == (2, 42, 1)
    assert (croydon.sessions, croydon.attendees) == (0, 0)
    camden = next(row for row in rows if row.borough == "Camden")
    assert camden.need_rank is None and not camden.reviewed  # its review is outside the period
    assert len(rows) == 32


def test_the_comparison_page_and_its_export(client_as, staff_user):
    review("Croydon", [50, 20, 10, 5, 15])
    client = client_as(staff_user)
    page = client.get("/pssp/reviews/comparison/?start=2007-01-01&end=2007-12-31")
    assert page.status_code == 200
    assert "Croydon" in page.content.decode()
    export = client.get("/pssp/reviews/comparison/?start=2007-01-01&end=2007-12-31&_export=csv")
    first_row = export.content.decode().splitlines()[1]
    assert first_row.startswith("1,Croydon,50,20,10,5,15,100,0,0,")


def test_a_period_ending_before_it_starts_is_refused_on_the_field(client_as, staff_user):
    page = client_as(staff_user).get("/pssp/reviews/comparison/?start=2007-12-01&end=2007-01-01")
    assert "The period must end on or after its start." in page.content.decode()


def test_the_planner_can_rank_by_one_source_or_by_delivery(client_as, staff_user):
    review("Croydon", [50, 1, 1, 1, 1])
    review("Lambeth", [10, 30, 30, 1, 1])
    DeliveryFactory(borough=borough("Barnet"), attendees=80)
    client = client_as(staff_user)
    period = "start=2007-01-01&end=2007-12-31"

    def first_rows(rank_by):
        export = client.get(f"/pssp/reviews/comparison/?{period}&rank_by={rank_by}&_export=csv")
        return [line.split(",")[1] for line in export.content.decode().splitlines()[1:3]]

    assert first_rows("need") == ["Lambeth", "Croydon"]
    assert first_rows("source:public-complaints") == ["Croydon", "Lambeth"]
    assert first_rows("attendees")[0] == "Barnet"
    assert first_rows("nonsense") == ["Lambeth", "Croydon"]
