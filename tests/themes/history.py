"""Dating audit history in tests: a change made today is recorded as made on a chosen day."""

import datetime

from django.utils import timezone

from themes.models import MilestoneReforecast


def aware(date, hour=10):
    return timezone.make_aware(datetime.datetime.combine(date, datetime.time(hour)))


def _last(queryset, field):
    return (list(queryset.order_by(f"-{field}").values_list(field, flat=True)[:1]) or [0])[0]


class dated:  # noqa: N801 - used as a context manager
    """Every version written inside the block for these models is dated at `date` (10:00), and
    every re-forecast made inside it is made then."""

    def __init__(self, date, *models):
        self.date = date
        self.models = models

    def __enter__(self):
        self.marks = {model: _last(model.history, "history_id") for model in self.models}
        self.reforecasts = _last(MilestoneReforecast.objects.every_row("test dating"), "pk")
        return self

    def __exit__(self, *exc):
        if exc[0] is None:
            when = aware(self.date)
            for model, mark in self.marks.items():
                model.history.filter(history_id__gt=mark).update(history_date=when)
            MilestoneReforecast.objects.every_row("test dating").filter(
                pk__gt=self.reforecasts
            ).update(made_at=when)
            MilestoneReforecast.history.filter(id__gt=self.reforecasts).update(history_date=when)
