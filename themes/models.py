import datetime
import secrets

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.utils import timezone
from simple_history.models import HistoricalRecords

from dps.models import TimeStampedModel
from dps.visibility import VisibleManager, VisibleQuerySet, visible_manager
from themes import rag as rag_rule
from themes.choices import (
    ActionStatus,
    AssumptionStatus,
    IssueStatus,
    IssueType,
    MilestoneStatus,
    Priority,
    Proximity,
    Rag,
    RiskResponse,
    RiskStatus,
    Scale,
    ThemeRag,
)


class Programme(TimeStampedModel):
    """A strategic programme of development, such as the DPS programme from June 2007."""

    name = models.CharField(max_length=200, unique=True)
    summary = models.TextField(blank=True)
    start_date = models.DateField()
    end_date = models.DateField()
    default_time_tolerance_days = models.PositiveIntegerField(
        default=14,
        help_text="How many days a milestone may slip past its baseline before it turns red.",
    )
    reporting_date = models.DateField(
        "report as at",
        null=True,
        blank=True,
        help_text=(
            "Leave blank to report as at today. Set it to review the programme as it stood on a "
            "date (the 2007-2009 demo programme reports as at spring 2008)."
        ),
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["start_date"]

    def __str__(self):
        return self.name


class Theme(TimeStampedModel):
    programme = models.ForeignKey(Programme, on_delete=models.PROTECT, related_name="themes")
    code = models.SlugField(max_length=40)
    name = models.CharField(max_length=200)
    order = models.PositiveSmallIntegerField(default=0)
    description = models.TextField(blank=True)
    lead = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="led_themes",
    )
    current_state = models.TextField("where it is now", blank=True)
    target_state = models.TextField("where it must be in 24 months", blank=True)
    restricted = models.BooleanField(
        default=False,
        help_text="Only users cleared to see restricted themes may see this theme or its content.",
    )
    time_tolerance_days = models.PositiveIntegerField(
        "time tolerance (days)",
        null=True,
        blank=True,
        help_text="Leave blank to use the programme default.",
    )
    cost_tolerance_percent = models.DecimalField(
        "cost tolerance (%)",
        max_digits=5,
        decimal_places=1,
        null=True,
        blank=True,
        help_text="How far the forecast spend may exceed budget before it is an exception.",
    )
    scope_tolerance = models.TextField(
        blank=True, help_text="What may be left out or changed without escalation, if agreed."
    )
    history = HistoricalRecords()

    # A restricted theme is known to cleared users only (dps.visibility).
    restricted_path = "restricted"
    objects = VisibleManager()

    class Meta:
        ordering = ["programme", "order"]
        constraints = [
            models.UniqueConstraint(fields=["programme", "code"], name="theme_code_unique"),
        ]
        permissions = [("view_restricted_theme", "Can see restricted (covert) themes")]

    def __str__(self):
        return self.name

    @property
    def effective_time_tolerance_days(self):
        if self.time_tolerance_days is not None:
            return self.time_tolerance_days
        return self.programme.default_time_tolerance_days


class SupportingArea(TimeStampedModel):
    """An area that cuts across the themes: stakeholders, finance, IT and so on."""

    programme = models.ForeignKey(
        Programme, on_delete=models.PROTECT, related_name="supporting_areas"
    )
    code = models.SlugField(max_length=40)
    name = models.CharField(max_length=100)
    order = models.PositiveSmallIntegerField(default=0)
    description = models.TextField(blank=True)
    themes = models.ManyToManyField(Theme, related_name="supporting_areas", blank=True)
    history = HistoricalRecords(m2m_fields=[themes])

    class Meta:
        ordering = ["programme", "order"]
        constraints = [
            models.UniqueConstraint(fields=["programme", "code"], name="area_code_unique"),
        ]

    def __str__(self):
        return self.name


class Deliverable(TimeStampedModel):
    """A key deliverable of a theme; its milestones mark progress towards it."""

    theme = models.ForeignKey(Theme, on_delete=models.PROTECT, related_name="deliverables")
    title = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    order = models.PositiveSmallIntegerField(default=0)
    history = HistoricalRecords()

    restricted_path = "theme__restricted"
    objects = VisibleManager()

    class Meta:
        ordering = ["theme__order", "order", "title"]

    def __str__(self):
        return self.title


def milestone_overdue_on(on):
    """The overdue rule as a condition: not complete and forecast to finish before `on`.

    One expression for the lists, the counts and (through `Milestone.is_overdue`) the rows.
    """
    return ~models.Q(status=MilestoneStatus.COMPLETE) & models.Q(forecast_date__lt=on)


def milestone_due_between(start, end):
    """The due-soon rule as a condition: not complete and forecast from `start` to `end`
    inclusive (the lists, and the dashboard's counts today and as at a past date)."""
    return ~models.Q(status=MilestoneStatus.COMPLETE) & models.Q(
        forecast_date__gte=start, forecast_date__lte=end
    )


class MilestoneQuerySet(VisibleQuerySet):
    def open(self):
        return self.exclude(status=MilestoneStatus.COMPLETE)

    def overdue(self, on):
        return self.filter(milestone_overdue_on(on))

    def due_between(self, start, end):
        return self.filter(milestone_due_between(start, end))

    def slipped_since(self, since):
        """Re-forecast to a later date on or after the day `since` (local time)."""
        start = timezone.make_aware(datetime.datetime.combine(since, datetime.time.min))
        later = MilestoneReforecast.objects.filter(
            milestone=models.OuterRef("pk"),
            made_at__gte=start,
            new_forecast__gt=models.F("previous_forecast"),
        )
        return self.filter(models.Exists(later))


class Milestone(TimeStampedModel):
    deliverable = models.ForeignKey(
        Deliverable, on_delete=models.PROTECT, related_name="milestones"
    )
    title = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="owned_milestones",
    )
    baseline_date = models.DateField(
        help_text="Agreed when the milestone is agreed; it never changes afterwards."
    )
    forecast_date = models.DateField(help_text="When it is now expected to be reached.")
    actual_date = models.DateField(null=True, blank=True, help_text="When it was reached.")
    status = models.CharField(
        max_length=20, choices=MilestoneStatus, default=MilestoneStatus.NOT_STARTED
    )
    supporting_areas = models.ManyToManyField(SupportingArea, related_name="milestones", blank=True)
    depends_on = models.ManyToManyField(
        "self",
        symmetrical=False,
        related_name="dependents",
        blank=True,
        help_text="Milestones that must be reached before this one.",
    )
    # Cached from the RAG rule (themes/rag.py) by every write of the dates or status (the services
    # in themes/services.py, the admin), so lists filter and count by RAG in the database. A
    # tolerance change recomputes them (services.theme_refresh_rag).
    slippage_days = models.IntegerField(null=True, blank=True, editable=False)
    rag = models.CharField(max_length=20, choices=Rag, default=Rag.NOT_STARTED, editable=False)
    # Optimistic locking: a save must name the version it was edited from (services).
    version = models.PositiveIntegerField(default=1, editable=False)
    history = HistoricalRecords(m2m_fields=[supporting_areas, depends_on])

    restricted_path = "deliverable__theme__restricted"
    objects = visible_manager(MilestoneQuerySet)

    class Meta:
        ordering = ["forecast_date", "pk"]
        indexes = [
            models.Index(fields=["forecast_date", "status"]),
            models.Index(fields=["rag", "-slippage_days"]),
            # The dashboard's "slipped since" panel walks milestones worst-first.
            models.Index(fields=["-slippage_days", "id"], name="milestone_worst_first"),
        ]

    def __str__(self):
        return self.title

    @property
    def theme(self):
        return self.deliverable.theme

    @property
    def is_complete(self):
        return self.status == MilestoneStatus.COMPLETE

    def is_overdue(self, on):
        """The rule of `milestone_overdue_on`, for one milestone already loaded."""
        return not self.is_complete and self.forecast_date < on

    def compute_rag(self, tolerance_days=None):
        if tolerance_days is None:
            tolerance_days = self.deliverable.theme.effective_time_tolerance_days
        return rag_rule.milestone_rag(
            complete=self.is_complete,
            baseline=self.baseline_date,
            forecast=self.forecast_date,
            tolerance_days=tolerance_days,
        )

    def refresh_rag(self, tolerance_days=None):
        self.slippage_days = rag_rule.slippage_days(self.baseline_date, self.forecast_date)
        self.rag = self.compute_rag(tolerance_days)

    def clean(self):
        if self.status == MilestoneStatus.COMPLETE and not self.actual_date:
            raise ValidationError({"actual_date": "Enter the date the milestone was reached"})
        if self.actual_date and self.status != MilestoneStatus.COMPLETE:
            raise ValidationError(
                {"status": "A milestone with an actual date must be marked complete"}
            )


class MilestoneReforecast(models.Model):
    """One change of a milestone's forecast date: kept for ever, with who, when and why."""

    milestone = models.ForeignKey(Milestone, on_delete=models.CASCADE, related_name="reforecasts")
    previous_forecast = models.DateField()
    new_forecast = models.DateField()
    reason = models.TextField()
    made_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT)
    made_at = models.DateTimeField()
    history = HistoricalRecords()

    read_permission = "themes.view_milestone"
    restricted_path = "milestone__deliverable__theme__restricted"
    objects = VisibleManager()

    class Meta:
        ordering = ["-made_at", "-pk"]
        indexes = [models.Index(fields=["milestone", "made_at"])]

    def __str__(self):
        return f"{self.milestone}: {self.previous_forecast} → {self.new_forecast}"

    @property
    def days_moved(self):
        return (self.new_forecast - self.previous_forecast).days


class ThemeStatusUpdate(models.Model):
    """A dated RAG judgement for a theme; the latest one is the theme's current RAG."""

    theme = models.ForeignKey(Theme, on_delete=models.CASCADE, related_name="status_updates")
    as_at = models.DateField("status as at")
    rag = models.CharField("RAG", max_length=10, choices=ThemeRag)
    reason = models.TextField(help_text="Why the theme has this status.")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT)
    created_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    restricted_path = "theme__restricted"
    objects = VisibleManager()

    class Meta:
        ordering = ["-as_at", "-created_at", "-pk"]

    def __str__(self):
        return f"{self.theme}: {self.get_rag_display()} as at {self.as_at}"


class Risk(TimeStampedModel):
    """A risk on the PRINCE2 risk register: cause, event, effect; assessed before and after."""

    theme = models.ForeignKey(Theme, on_delete=models.PROTECT, related_name="risks")
    title = models.CharField(max_length=200)
    cause = models.TextField(help_text="The source of the risk.")
    event = models.TextField(help_text="The area of uncertainty: what might happen.")
    effect = models.TextField(help_text="The impact on the theme's objectives if it happens.")
    likelihood_before = models.PositiveSmallIntegerField(
        "likelihood before response", choices=Scale
    )
    impact_before = models.PositiveSmallIntegerField("impact before response", choices=Scale)
    likelihood_after = models.PositiveSmallIntegerField("likelihood after response", choices=Scale)
    impact_after = models.PositiveSmallIntegerField("impact after response", choices=Scale)
    proximity = models.CharField(max_length=20, choices=Proximity)
    response_category = models.CharField(max_length=20, choices=RiskResponse)
    response = models.TextField("response actions", blank=True)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="owned_risks"
    )
    actionee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="actioned_risks",
        help_text="Who carries out the response actions, if not the owner.",
    )
    status = models.CharField(max_length=10, choices=RiskStatus, default=RiskStatus.OPEN)
    raised_on = models.DateField()
    review_date = models.DateField()
    supporting_areas = models.ManyToManyField(SupportingArea, related_name="risks", blank=True)
    history = HistoricalRecords(m2m_fields=[supporting_areas])

    restricted_path = "theme__restricted"
    objects = VisibleManager()

    class Meta:
        ordering = ["review_date", "pk"]

    def __str__(self):
        return self.title

    @property
    def score_before(self):
        return self.likelihood_before * self.impact_before

    @property
    def score_after(self):
        return self.likelihood_after * self.impact_after


class Assumption(TimeStampedModel):
    theme = models.ForeignKey(Theme, on_delete=models.PROTECT, related_name="assumptions")
    description = models.TextField()
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT)
    status = models.CharField(
        max_length=10, choices=AssumptionStatus, default=AssumptionStatus.OPEN
    )
    review_date = models.DateField(null=True, blank=True)
    history = HistoricalRecords()

    restricted_path = "theme__restricted"
    objects = VisibleManager()

    class Meta:
        ordering = ["theme__order", "pk"]

    def __str__(self):
        return self.description[:80]


class Issue(TimeStampedModel):
    """A PRINCE2 issue: request for change, off-specification, or problem/concern."""

    theme = models.ForeignKey(Theme, on_delete=models.PROTECT, related_name="issues")
    issue_type = models.CharField("type", max_length=20, choices=IssueType)
    title = models.CharField(max_length=200)
    description = models.TextField()
    priority = models.CharField(max_length=10, choices=Priority, default=Priority.MEDIUM)
    raised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="raised_issues"
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="owned_issues"
    )
    raised_on = models.DateField()
    status = models.CharField(max_length=10, choices=IssueStatus, default=IssueStatus.OPEN)
    resolution = models.TextField(blank=True)
    closed_on = models.DateField(null=True, blank=True)
    history = HistoricalRecords()

    restricted_path = "theme__restricted"
    objects = VisibleManager()

    class Meta:
        ordering = ["-raised_on", "pk"]

    def __str__(self):
        return self.title


class Decision(TimeStampedModel):
    """A decision of the DPS Command Team about a theme."""

    theme = models.ForeignKey(Theme, on_delete=models.PROTECT, related_name="decisions")
    decided_on = models.DateField()
    title = models.CharField(max_length=200)
    description = models.TextField()
    decided_by = models.CharField(max_length=200, default="DPS Command Team")
    history = HistoricalRecords()

    restricted_path = "theme__restricted"
    objects = VisibleManager()

    class Meta:
        ordering = ["-decided_on", "pk"]

    def __str__(self):
        return self.title


class DecisionAction(TimeStampedModel):
    decision = models.ForeignKey(Decision, on_delete=models.CASCADE, related_name="actions")
    description = models.TextField()
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT)
    due_date = models.DateField()
    status = models.CharField(max_length=10, choices=ActionStatus, default=ActionStatus.OPEN)
    history = HistoricalRecords()

    read_permission = "themes.view_decision"
    restricted_path = "decision__theme__restricted"
    objects = VisibleManager()

    class Meta:
        ordering = ["due_date", "pk"]

    def __str__(self):
        return self.description[:80]


class Benefit(TimeStampedModel):
    """An MSP benefit profile: what is measured, from what, to what, by when, owned by whom."""

    theme = models.ForeignKey(Theme, on_delete=models.PROTECT, related_name="benefits")
    title = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    measure = models.CharField(max_length=200, help_text="How the benefit is measured.")
    unit = models.CharField(max_length=40, blank=True, help_text="For example %, £ or sessions.")
    baseline_value = models.DecimalField(max_digits=14, decimal_places=2)
    target_value = models.DecimalField(max_digits=14, decimal_places=2)
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT)
    expected_date = models.DateField(help_text="When the target should be reached.")
    history = HistoricalRecords()

    restricted_path = "theme__restricted"
    objects = VisibleManager()

    class Meta:
        ordering = ["theme__order", "expected_date", "pk"]

    def __str__(self):
        return self.title

    @property
    def latest_measurement(self):
        """The most recent actual (uses prefetched measurements when present)."""
        measurements = list(self.measurements.all())
        return measurements[-1] if measurements else None


class BenefitMeasurement(models.Model):
    """An actual measurement of a benefit."""

    benefit = models.ForeignKey(Benefit, on_delete=models.CASCADE, related_name="measurements")
    measured_on = models.DateField()
    value = models.DecimalField(max_digits=14, decimal_places=2)
    note = models.CharField(max_length=200, blank=True)
    history = HistoricalRecords()

    read_permission = "themes.view_benefit"
    restricted_path = "benefit__theme__restricted"
    objects = VisibleManager()

    class Meta:
        ordering = ["measured_on", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["benefit", "measured_on"], name="one_measurement_per_day"
            )
        ]

    def __str__(self):
        return f"{self.benefit}: {self.value} on {self.measured_on}"


class ThemeFinance(TimeStampedModel):
    """A theme's money for one financial year, in pounds."""

    theme = models.ForeignKey(Theme, on_delete=models.PROTECT, related_name="finances")
    financial_year = models.CharField(
        max_length=7,
        help_text="For example 2007/08.",
        validators=[RegexValidator(r"^20\d\d/\d\d$", "Enter the year like 2007/08")],
    )
    budget = models.DecimalField(max_digits=12, decimal_places=0)
    forecast = models.DecimalField(max_digits=12, decimal_places=0)
    actual = models.DecimalField(max_digits=12, decimal_places=0, null=True, blank=True)
    savings_committed = models.DecimalField(
        max_digits=12, decimal_places=0, default=0, help_text="Savings DPS has committed to."
    )
    history = HistoricalRecords()

    restricted_path = "theme__restricted"
    objects = VisibleManager()

    class Meta:
        ordering = ["theme__order", "financial_year"]
        constraints = [
            models.UniqueConstraint(fields=["theme", "financial_year"], name="one_finance_row")
        ]

    def __str__(self):
        return f"{self.theme} {self.financial_year}"


class CalendarFeed(models.Model):
    """A person's secret calendar address. Calendar apps cannot sign in, so the token is the key;
    the person can reset it at any time, which stops the old address working."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="milestone_feed"
    )
    token = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now=True)

    def __str__(self):
        return f"Calendar feed of {self.user}"

    @staticmethod
    def new_token():
        return secrets.token_urlsafe(32)
