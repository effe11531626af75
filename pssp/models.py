import uuid

from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils.text import slugify
from simple_history.models import HistoricalRecords

from dps.models import Borough, Product, TimeStampedModel
from dps.visibility import VisibleManager, VisibleQuerySet, visible_manager
from pssp.choices import (
    AudienceCategory,
    BoroughReportStatus,
    DecisionStatus,
    EventKind,
    EventStatus,
    MeetingKind,
    PlanActionStatus,
    PlanStatus,
)

# --- Source reviews (Performance Analysis Unit) -------------------------------------------------


class Source(TimeStampedModel):
    """A source the Performance Analysis Unit reviews per borough (reference data)."""

    code = models.SlugField(max_length=40, unique=True)
    name = models.CharField(max_length=100, unique=True)
    order = models.PositiveSmallIntegerField(default=0)
    active = models.BooleanField(default=True)
    history = HistoricalRecords()

    objects = VisibleManager()

    class Meta:
        ordering = ["order", "name"]

    def __str__(self):
        return self.name


class SourceReview(TimeStampedModel):
    """The analyst's review of one borough over one period: a figure per source and commentary."""

    borough = models.ForeignKey(
        Borough, on_delete=models.PROTECT, related_name="source_reviews", verbose_name="borough"
    )
    period_start = models.DateField("period from")
    period_end = models.DateField("period to")
    reviewed_on = models.DateField("date of review")
    analyst = models.CharField(max_length=100, blank=True)
    commentary = models.TextField("analyst's commentary", blank=True)
    history = HistoricalRecords()

    objects = VisibleManager()

    class Meta:
        ordering = ["-period_end", "borough__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["borough", "period_start", "period_end"], name="review_borough_period"
            ),
            models.CheckConstraint(
                condition=models.Q(period_end__gte=models.F("period_start")),
                name="review_period_in_order",
            ),
        ]

    def __str__(self):
        return f"{self.borough}: {self.period_start:%d %b %Y} to {self.period_end:%d %b %Y}"

    def get_absolute_url(self):
        return reverse("pssp:review-detail", args=[self.pk])

    def clean(self):
        if self.period_start and self.period_end and self.period_end < self.period_start:
            raise ValidationError({"period_end": "The period must end on or after its start."})


class SourceFigure(TimeStampedModel):
    review = models.ForeignKey(SourceReview, on_delete=models.CASCADE, related_name="figures")
    source = models.ForeignKey(Source, on_delete=models.PROTECT, related_name="figures")
    count = models.PositiveIntegerField()
    history = HistoricalRecords()

    class Meta:
        ordering = ["source__order"]
        constraints = [
            models.UniqueConstraint(fields=["review", "source"], name="figure_review_source"),
        ]

    def __str__(self):
        return f"{self.source}: {self.count}"


# --- Tasking ------------------------------------------------------------------------------------


class TaskingMeeting(TimeStampedModel):
    """The meeting that directs DPS resources to the boroughs of greater need."""

    held_on = models.DateField("date", db_index=True)
    chair = models.CharField(max_length=100, blank=True)
    attendees = models.TextField(help_text="Who attended, one per line or separated by commas.")
    notes = models.TextField(blank=True)
    history = HistoricalRecords()

    objects = VisibleManager()

    class Meta:
        ordering = ["-held_on", "-id"]

    def __str__(self):
        return f"Tasking meeting {self.held_on:%d %b %Y}"

    def get_absolute_url(self):
        return reverse("pssp:tasking-detail", args=[self.pk])


class TaskingDecisionQuerySet(VisibleQuerySet):
    def outstanding(self):
        return self.filter(status=DecisionStatus.OPEN)

    def overdue(self, today):
        return self.outstanding().filter(due_on__lt=today)


class TaskingDecision(TimeStampedModel):
    """One decision of a tasking meeting, followed up until done."""

    meeting = models.ForeignKey(TaskingMeeting, on_delete=models.CASCADE, related_name="decisions")
    decision = models.TextField(help_text="What was decided.")
    boroughs = models.ManyToManyField(Borough, related_name="tasking_decisions", blank=True)
    product = models.ForeignKey(
        Product, on_delete=models.PROTECT, null=True, blank=True, related_name="tasking_decisions"
    )
    resource = models.CharField(
        "resource",
        max_length=150,
        blank=True,
        help_text="A resource other than a product, such as 'Civil Actions team' or 'PAU analyst'.",
    )
    owner = models.CharField("by whom", max_length=100)
    due_on = models.DateField("by when")
    status = models.CharField(max_length=10, choices=DecisionStatus, default=DecisionStatus.OPEN)
    completed_on = models.DateField("done on", null=True, blank=True)
    follow_up = models.TextField("follow-up", blank=True)
    history = HistoricalRecords(m2m_fields=[boroughs])

    objects = visible_manager(TaskingDecisionQuerySet)

    class Meta:
        ordering = ["due_on", "id"]
        indexes = [models.Index(fields=["status", "due_on"], name="decision_status_due")]

    def __str__(self):
        return self.decision[:80]

    def clean(self):
        errors = {}
        if not self.product_id and not self.resource:
            errors["resource"] = "Give the product or the resource this decision directs."
        if self.status == DecisionStatus.DONE and not self.completed_on:
            errors["completed_on"] = "Give the date the decision was done."
        if self.status != DecisionStatus.DONE and self.completed_on:
            errors["completed_on"] = "Only a decision marked done has a done date."
        if errors:
            raise ValidationError(errors)

    def is_overdue(self, today):
        return self.status == DecisionStatus.OPEN and self.due_on < today


# --- Commissioned borough reports ---------------------------------------------------------------

REPORT_DOCUMENT_DIR = "borough-reports"


def report_document_path(instance, filename):
    """Stored name: a random name plus the checked extension. Nothing the user typed is used."""
    from pssp.uploads import ALLOWED_KINDS

    extension = filename.rsplit(".", 1)[-1].lower() if "." in filename else ""
    if extension not in ALLOWED_KINDS:
        raise ValueError(f"Refusing to store a document of type {extension!r}.")
    return f"{REPORT_DOCUMENT_DIR}/{uuid.uuid4().hex}.{extension}"


class BoroughReport(TimeStampedModel):
    """An in-depth report on one borough, commissioned at tasking.

    Moves commissioned → drafted → discussed with the Borough Command Team → distributed (to the
    MPA link member and the Area Commander) → closed, only through `pssp.services`. The workflow
    and document fields stay editable in the model sense so the audit trail diffs them; no form
    offers them (forms list their fields explicitly and admin shows them read-only).
    """

    borough = models.ForeignKey(
        Borough, on_delete=models.PROTECT, related_name="commissioned_reports"
    )
    title = models.CharField(max_length=200)
    status = models.CharField(
        max_length=15, choices=BoroughReportStatus, default=BoroughReportStatus.COMMISSIONED
    )
    commissioned_on = models.DateField()
    commissioned_at = models.ForeignKey(
        TaskingMeeting,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="commissioned_reports",
        verbose_name="commissioned at tasking meeting",
    )
    author = models.CharField(max_length=100, blank=True)
    scope = models.TextField(blank=True, help_text="What the report is to look at, and why.")
    drafted_on = models.DateField(null=True, blank=True)
    discussed_on = models.DateField(
        "discussed with the Borough Command Team on", null=True, blank=True
    )
    discussion_notes = models.TextField("Borough Command Team response", blank=True)
    mpa_link_member = models.CharField("MPA link member", max_length=100, blank=True)
    mpa_link_member_sent_on = models.DateField(
        "copy sent to the MPA link member on", null=True, blank=True
    )
    area_commander = models.CharField("MPS Area Commander", max_length=100, blank=True)
    area_commander_sent_on = models.DateField(
        "copy sent to the Area Commander on", null=True, blank=True
    )
    closed_on = models.DateField(null=True, blank=True)
    closing_note = models.TextField(blank=True)
    document = models.FileField(upload_to=report_document_path, blank=True, max_length=200)
    document_kind = models.CharField(max_length=4, blank=True)
    document_original_name = models.CharField(
        "document name as uploaded", max_length=150, blank=True
    )
    document_uploaded_at = models.DateTimeField(null=True, blank=True)
    history = HistoricalRecords()

    objects = VisibleManager()

    class Meta:
        ordering = ["-commissioned_on", "-id"]
        permissions = [
            ("download_boroughreport", "Can download commissioned borough report documents"),
        ]

    def __str__(self):
        return f"{self.title} ({self.borough})"

    def get_absolute_url(self):
        return reverse("pssp:report-detail", args=[self.pk])

    @property
    def download_name(self):
        """The name offered on download: built from the record, never from the upload."""
        return f"borough-report-{slugify(self.borough.name)}-{self.pk}.{self.document_kind}"


class ActionPlan(TimeStampedModel):
    """The action plan a borough agrees in response to its commissioned report."""

    report = models.OneToOneField(
        BoroughReport, on_delete=models.CASCADE, related_name="action_plan"
    )
    status = models.CharField(max_length=15, choices=PlanStatus, default=PlanStatus.IN_PREPARATION)
    summary = models.TextField(blank=True)
    agreed_on = models.DateField(null=True, blank=True)
    history = HistoricalRecords()

    objects = VisibleManager()

    def __str__(self):
        return f"Action plan: {self.report}"

    def clean(self):
        if self.status != PlanStatus.IN_PREPARATION and not self.agreed_on:
            raise ValidationError({"agreed_on": "Give the date the borough agreed the plan."})


class PlanAction(TimeStampedModel):
    plan = models.ForeignKey(ActionPlan, on_delete=models.CASCADE, related_name="actions")
    description = models.TextField("action")
    owner = models.CharField(max_length=100)
    due_on = models.DateField("due date")
    status = models.CharField(
        max_length=15, choices=PlanActionStatus, default=PlanActionStatus.NOT_STARTED
    )
    completed_on = models.DateField("done on", null=True, blank=True)
    notes = models.TextField("progress notes", blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["due_on", "id"]

    def __str__(self):
        return self.description[:80]

    def clean(self):
        if self.status == PlanActionStatus.DONE and not self.completed_on:
            raise ValidationError({"completed_on": "Give the date the action was done."})
        if self.status != PlanActionStatus.DONE and self.completed_on:
            raise ValidationError({"completed_on": "Only an action marked done has a done date."})


# --- Engagement ---------------------------------------------------------------------------------


class EngagementMeeting(TimeStampedModel):
    """A meeting with a Borough Command Team or with the staff associations of a borough."""

    borough = models.ForeignKey(
        Borough, on_delete=models.PROTECT, related_name="engagement_meetings"
    )
    kind = models.CharField("met with", max_length=20, choices=MeetingKind)
    met_on = models.DateField("date")
    attendees = models.CharField(
        "who was there", max_length=250, blank=True, help_text="Names and roles, both sides."
    )
    notes = models.TextField(blank=True)
    history = HistoricalRecords()

    objects = VisibleManager()

    class Meta:
        ordering = ["-met_on", "borough__name"]
        indexes = [models.Index(fields=["kind", "met_on"], name="engagement_kind_date")]

    def __str__(self):
        return f"{self.get_kind_display()}, {self.borough}, {self.met_on:%d %b %Y}"

    def get_absolute_url(self):
        return reverse("pssp:meeting-detail", args=[self.pk])


# --- Outcomes -----------------------------------------------------------------------------------


class Outcome(TimeStampedModel):
    """Something PSSP led to, with the evidence for attributing it."""

    title = models.CharField(max_length=200)
    description = models.TextField(help_text="What PSSP found and what followed.")
    occurred_on = models.DateField("date")
    borough = models.ForeignKey(
        Borough,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="outcomes",
        help_text="Leave empty for a force-wide outcome.",
    )
    product = models.ForeignKey(
        Product, on_delete=models.PROTECT, null=True, blank=True, related_name="outcomes"
    )
    theme = models.ForeignKey(
        "themes.Theme", on_delete=models.PROTECT, null=True, blank=True, related_name="outcomes"
    )
    evidence = models.TextField(help_text="What shows the outcome and that PSSP led to it.")
    evidence_reference = models.CharField(
        max_length=150, blank=True, help_text="Document or file reference, such as a Police Notice."
    )
    history = HistoricalRecords()

    # Outcomes of a restricted theme are for cleared users; those of no theme for all readers.
    restricted_path = "theme__restricted"
    objects = VisibleManager()

    class Meta:
        ordering = ["-occurred_on", "-id"]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("pssp:outcome-detail", args=[self.pk])


# --- Events -------------------------------------------------------------------------------------


class Event(TimeStampedModel):
    """A seminar or conference run by DPS, alone or with partners, planned or held."""

    title = models.CharField(max_length=200)
    kind = models.CharField(max_length=15, choices=EventKind, default=EventKind.SEMINAR)
    status = models.CharField(max_length=10, choices=EventStatus, default=EventStatus.PLANNED)
    starts_on = models.DateField(
        "date", null=True, blank=True, help_text="Leave empty for a planned event not yet dated."
    )
    timing_note = models.CharField(
        "when, if not yet dated", max_length=100, blank=True, help_text="For example 'Spring 2008'."
    )
    venue = models.CharField(max_length=150, blank=True)
    partners = models.CharField(
        max_length=250,
        blank=True,
        help_text="Business groups or organisations running it with DPS.",
    )
    product = models.ForeignKey(
        Product, on_delete=models.PROTECT, null=True, blank=True, related_name="events"
    )
    description = models.TextField(blank=True)
    history = HistoricalRecords()

    objects = VisibleManager()

    class Meta:
        ordering = [models.F("starts_on").desc(nulls_first=True), "title"]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("pssp:event-detail", args=[self.pk])

    def clean(self):
        if self.status == EventStatus.HELD and not self.starts_on:
            raise ValidationError({"starts_on": "Give the date of an event that was held."})


class EventAudience(TimeStampedModel):
    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="audiences")
    category = models.CharField(max_length=25, choices=AudienceCategory)
    number = models.PositiveIntegerField()
    history = HistoricalRecords()

    class Meta:
        ordering = ["category"]
        constraints = [
            models.UniqueConstraint(fields=["event", "category"], name="audience_event_category"),
        ]

    def __str__(self):
        return f"{self.get_category_display()}: {self.number}"
