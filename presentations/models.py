from django.conf import settings
from django.contrib.postgres.search import SearchVectorField
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models.signals import m2m_changed, post_delete, post_save, pre_save
from django.dispatch import receiver
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
    # Blank only on imported sessions whose sheet did not record it (shown as "Not recorded");
    # the logging form requires it (presentations.forms.DeliveryForm).
    presenters = models.CharField(max_length=200, db_index=True, blank=True)
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


class MonthFigures(models.Model):
    """One month's statistics as last counted, and a version that every write to the month bumps.

    The statistics (presentations.stats) count each month once and keep the result here; a
    closed month is then served again without reading its sessions. Every write to a session
    bumps the version of its month (and of the month it moved from) in the same transaction:
    single saves and deletions through the signals below, bulk writes through
    `note_months_changed` (presentations.services). Figures counted for an older version are
    not used, so a write shows up at once.

    Race-free by construction: a reader notes the version BEFORE counting and stores its figures
    for that version only; a write that commits meanwhile has bumped the version, so those
    figures are never served.
    """

    month = models.DateField(primary_key=True, help_text="The first day of the month.")
    version = models.PositiveBigIntegerField(default=0)
    counted_version = models.PositiveBigIntegerField(null=True, blank=True)
    figures = models.JSONField(null=True, blank=True)
    # Borough coverage's part of the month, counted with `figures` for the same version: each
    # borough's PSSP input as {"<borough id>": [sessions, attendees, "first date"]}. Sessions are
    # never restricted, so this is what every reader of the log sees (presentations.stats).
    boroughs = models.JSONField(null=True, blank=True)

    class Meta:
        verbose_name_plural = "month figures"

    def __str__(self):
        return f"{self.month:%B %Y} (version {self.version})"

    @property
    def is_current(self):
        return self.is_counted_for(self.version)

    def is_counted_for(self, version):
        """True when the figures kept are those of this version of the month."""
        return (
            self.figures is not None
            and self.boroughs is not None
            and self.counted_version == version
        )


def first_of_month(day):
    return day.replace(day=1)


def note_months_changed(days):
    """Bump the version of each month these session dates fall in (one statement).

    Call it in the transaction of the write. Months are locked in date order, so two writers
    touching the same months cannot deadlock.
    """
    months = sorted({first_of_month(day) for day in days if day is not None})
    if not months:
        return
    from django.db import connection

    table = connection.ops.quote_name(MonthFigures._meta.db_table)
    values = ", ".join(["(%s, 1)"] * len(months))
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} (month, version) VALUES {values} "  # noqa: S608 - table name from the model
            f"ON CONFLICT (month) DO UPDATE SET version = {table}.version + 1",
            months,
        )


# Single-session writes (the logging form, corrections, deletions, the admin) go through
# save()/delete() and the products relation: these keep the month versions current.


@receiver(pre_save, sender=Delivery)
def _note_month_left(sender, instance, raw=False, **kwargs):
    if raw or instance.pk is None:
        return
    before = Delivery.objects.filter(pk=instance.pk).values_list("delivered_on", flat=True).first()
    if before is not None and (
        instance.delivered_on is None
        or first_of_month(before) != first_of_month(instance.delivered_on)
    ):
        note_months_changed([before])


@receiver(post_save, sender=Delivery)
@receiver(post_delete, sender=Delivery)
def _note_month_written(sender, instance, raw=False, **kwargs):
    if not raw:
        note_months_changed([instance.delivered_on])


@receiver(m2m_changed, sender=Delivery.products.through)
def _note_products_changed(sender, instance, action, reverse, pk_set, **kwargs):
    if action not in ("post_add", "post_remove", "pre_clear"):
        return
    if not reverse:
        note_months_changed([instance.delivered_on])
        return
    # From the product's side: the sessions are the pk_set (or, on clear, all of the product's).
    sessions = Delivery.objects.filter(products=instance) if pk_set is None else None
    if sessions is None:
        sessions = Delivery.objects.filter(pk__in=pk_set)
    note_months_changed(sessions.order_by().values_list("delivered_on", flat=True).distinct())
