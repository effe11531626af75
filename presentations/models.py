from django.conf import settings
from django.contrib.postgres.search import SearchVectorField
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from simple_history.models import HistoricalRecords

from dps import dates
from dps.models import Borough, Product, TimeStampedModel
from dps.visibility import VisibleQuerySet, visible_manager
from presentations.choices import PRESENTATION_STREAMS, PSSP_INPUT_STREAMS, Occasion, Stream

# The log starts with the sessions of the 1990s; anything earlier is a mistyped date.


def validate_session_date(day, *, today=None):
    """A session date is on or after 1 January 1990 and not after today.

    The logging form and the import both apply it, so a date one refuses the other refuses too
    (an Excel date cell of 1, day one of the 1900 date system, is refused like any early date).
    """
    today = today or timezone.localdate()
    if day > today:
        raise ValidationError(
            "The date of the session must be today or in the past.", code="future"
        )
    if day < dates.EARLIEST:
        raise ValidationError(
            "The date of the session must be on or after 1 January 1990.", code="too_early"
        )


class DeliveryQuerySet(VisibleQuerySet):
    """The whole log, for anyone with the view permission (dps.visibility)."""

    def pssp_input(self):
        """Sessions that count as a borough having received PSSP input (see PSSP_INPUT_STREAMS)."""
        return self.filter(stream__in=PSSP_INPUT_STREAMS)

    def presentations(self):
        """Sessions counted in the report's presentations table: PSSP and non-PSSP."""
        return self.filter(stream__in=PRESENTATION_STREAMS)


class Delivery(TimeStampedModel):
    """One session delivered: the record every committee figure is counted from."""

    delivered_on = models.DateField("date", db_index=True)
    borough = models.ForeignKey(
        Borough, on_delete=models.PROTECT, related_name="deliveries", verbose_name="borough or unit"
    )
    stream = models.CharField(max_length=20, choices=Stream, db_index=True)
    attendees = models.PositiveIntegerField()
    products = models.ManyToManyField(
        Product, related_name="deliveries", blank=True, verbose_name="products covered"
    )
    occasion = models.CharField(max_length=30, choices=Occasion, default=Occasion.OTHER)
    presenters = models.CharField(max_length=200, db_index=True)
    staff_associations_briefed = models.BooleanField(
        "Police Federation and Trade Union Side briefed beforehand", null=True, blank=True
    )
    feedback_very_satisfied = models.PositiveIntegerField(default=0)
    feedback_satisfied = models.PositiveIntegerField(default=0)
    feedback_neutral = models.PositiveIntegerField(default=0)
    feedback_dissatisfied = models.PositiveIntegerField(default=0)
    feedback_very_dissatisfied = models.PositiveIntegerField(default=0)
    notes = models.TextField(blank=True)
    reference = models.CharField(
        max_length=100,
        unique=True,
        null=True,
        blank=True,
        help_text="The source's own id for an imported session; re-importing updates it.",
    )
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="deliveries_entered",
    )
    # The search's words (dps/search.py), kept by a PostgreSQL trigger from presenters and notes
    # (migration 0005) so a million sessions are ranked without re-reading their text; always
    # empty on SQLite, where the search matches the fields themselves.
    search_vector = SearchVectorField(null=True, editable=False)
    history = HistoricalRecords(m2m_fields=[products], excluded_fields=["search_vector"])

    objects = visible_manager(DeliveryQuerySet)

    class Meta:
        ordering = ["-delivered_on", "-id"]
        verbose_name_plural = "deliveries"
        # Staff get only view/add/change/delete (their own entries, checked in the views);
        # bulk import/export and editing anyone's entries belong to the planning manager.
        permissions = [
            ("export_delivery", "Can export the delivery log (CSV/XLSX)"),
            ("import_delivery", "Can import sessions in bulk"),
            ("change_any_delivery", "Can edit and delete anyone's sessions"),
        ]
        indexes = [
            models.Index(fields=["delivered_on", "stream"], name="delivery_date_stream"),
            # The log's pages: by borough or not, newest first with id as the tie-break, so
            # even a deep page is an index-only walk.
            models.Index(fields=["borough", "delivered_on", "id"], name="delivery_borough_date_id"),
            models.Index(fields=["delivered_on", "id"], name="delivery_date_id"),
        ]

    def may_be_changed_by(self, user):
        """Staff may correct their own entries; the planning manager anyone's."""
        return user.has_perm("presentations.change_any_delivery") or (
            self.entered_by_id is not None and self.entered_by_id == user.pk
        )

    @property
    def feedback_returns(self):
        return (
            self.feedback_very_satisfied
            + self.feedback_satisfied
            + self.feedback_neutral
            + self.feedback_dissatisfied
            + self.feedback_very_dissatisfied
        )

    def __str__(self):
        return f"{self.get_stream_display()} at {self.borough} on {self.delivered_on:%d %b %Y}"
