import datetime

import pytest

from pssp import services
from pssp.choices import EventKind, EventStatus
from pssp.models import Event, Source, SourceReview
from tests.factories import borough

pytestmark = pytest.mark.django_db


def review_values(**overrides):
    return {
        "borough": borough("Camden"),
        "period_start": datetime.date(2007, 1, 1),
        "period_end": datetime.date(2007, 6, 30),
        "reviewed_on": datetime.date(2007, 7, 10),
        "analyst": "PAU analyst",
        **overrides,
    }


def event_values(**overrides):
    return {
        "title": "Professional standards seminar",
        "kind": EventKind.SEMINAR,
        "status": EventStatus.HELD,
        "starts_on": datetime.date(2007, 3, 22),
        "venue": "New Scotland Yard",
        **overrides,
    }


def test_it_saves_a_review_with_its_figure_per_source():
    source = Source.objects.first()
    review = services.source_review_save(figures={source: 7}, **review_values())
    assert review.figures.get().count == 7
    services.source_review_save(review=review, figures={source: None}, analyst="Another analyst")
    review.refresh_from_db()
    assert review.analyst == "Another analyst"
    assert not review.figures.exists()


def test_a_review_whose_figures_fail_is_not_saved_either(monkeypatch):
    def broken(**kwargs):
        raise RuntimeError("figures could not be saved")

    monkeypatch.setattr(services, "review_save_figures", broken)
    with pytest.raises(RuntimeError):
        services.source_review_save(figures={}, **review_values())
    assert not SourceReview.objects.exists()


def test_it_saves_an_event_with_its_audience():
    event = services.event_save(audiences={"ipcc": 4, "coroners": 0}, **event_values())
    assert {a.category: a.number for a in event.audiences.all()} == {"ipcc": 4}


def test_an_event_whose_audience_fails_is_not_saved_either(monkeypatch):
    def broken(**kwargs):
        raise RuntimeError("audience could not be saved")

    monkeypatch.setattr(services, "event_save_audiences", broken)
    with pytest.raises(RuntimeError):
        services.event_save(audiences={}, **event_values())
    assert not Event.objects.exists()
