"""Dating audit history in tests: a change made today is recorded as made on a chosen day."""

import datetime

from django.utils import timezone


def aware(date, hour=10):
    return timezone.make_aware(datetime.datetime.combine(date, datetime.time(hour)))


class dated:  # noqa: N801 - used as a context manager
    """Every version written inside the block for these models is dated at `date` (10:00)."""

    def __init__(self, date, *models):
        self.date = date
        self.models = models

    def __enter__(self):
        self.marks = {
            model: model.history.order_by("-history_id").values_list("history_id", flat=True)[:1]
            for model in self.models
        }
        self.marks = {model: (list(mark) or [0])[0] for model, mark in self.marks.items()}
        return self

    def __exit__(self, *exc):
        if exc[0] is None:
            for model, mark in self.marks.items():
                model.history.filter(history_id__gt=mark).update(history_date=aware(self.date))
