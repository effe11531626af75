"""Committees, their meetings, the reports put to them and the PDF jobs that render them."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from simple_history.models import HistoricalRecords

from dps.models import TimeStampedModel
from dps.visibility import VisibleQuerySet, visible_manager
from reports.choices import (
    BlockKind,
    JobPurpose,
    JobState,
    ProtectiveMarking,
    ReportKind,
    ReportStatus,
)


class Committee(TimeStampedModel):
    name = models.CharField(max_length=200, unique=True)
    short_name = models.CharField(max_length=20, blank=True, help_text="For example PSC.")
    organisation = models.CharField(
        max_length=200,
        default="Metropolitan Police Authority",
        help_text="Printed in the header of every page of the committee's reports.",
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name


class Meeting(TimeStampedModel):
    committee = models.ForeignKey(Committee, on_delete=models.PROTECT, related_name="meetings")
    date = models.DateField()
    history = HistoricalRecords()

    class Meta:
        ordering = ["-date", "committee"]
        constraints = [
            models.UniqueConstraint(fields=["committee", "date"], name="meeting_unique_date"),
        ]

    def __str__(self):
        return f"{self.committee} – {self.date:%-d %B %Y}"


class ReportQuerySet(VisibleQuerySet):
    def readable_by(self, user):
        """Planning managers read every report; committee members only published ones. A report
        that embeds restricted (covert) content is only for users cleared to see it."""
        if user.has_perm("reports.view_report"):
            reports = self
        elif user.has_perm("reports.view_published_report"):
            reports = self.filter(status=ReportStatus.PUBLISHED)
        else:
            return self.none()
        return reports.within_clearance(user)


class Report(TimeStampedModel):
    """One paper to a committee meeting, in the committee's standard form (sections A to F)."""

    meeting = models.ForeignKey(Meeting, on_delete=models.PROTECT, related_name="reports")
    agenda_order = models.PositiveSmallIntegerField(
        default=1, help_text="Where the report comes on the meeting's agenda."
    )
    number = models.CharField("report number", max_length=20)
    version = models.PositiveSmallIntegerField(default=1, editable=False)
    supersedes = models.OneToOneField(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        editable=False,
        related_name="superseded_by",
    )
    kind = models.CharField(max_length=20, choices=ReportKind, default=ReportKind.COMMITTEE)
    report_date = models.DateField("date", help_text="The date printed on the report.")
    title = models.CharField(max_length=300)
    by = models.CharField(
        "by",
        max_length=300,
        help_text="Who presents it, e.g. Assistant Commissioner Operational Services on behalf "
        "of the Commissioner.",
    )
    protective_marking = models.CharField(
        max_length=30,
        choices=ProtectiveMarking,
        default=ProtectiveMarking.OFFICIAL,
        help_text="Printed at the top and bottom of every page.",
    )
    summary = models.TextField()
    recommendations = models.TextField("A. Recommendations")
    supporting_information = models.TextField(
        "B. Supporting information",
        blank=True,
        help_text="Paragraphs separated by a blank line. '1. ' numbers a paragraph; '- ' starts a "
        "bullet; **bold**, *emphasis*, [text](https://…) links. Put [block 1] on its own line "
        "to place the first live block there.",
    )
    race_equality_impact = models.TextField("C. Race and equality impact", blank=True)
    financial_implications = models.TextField("D. Financial implications", blank=True)
    background_papers = models.TextField("E. Background papers", blank=True, default="None")
    contact_details = models.TextField(
        "F. Contact details", blank=True, help_text="Report author(s), one per line."
    )
    theme = models.ForeignKey(
        "themes.Theme",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="highlight_reports",
        help_text="For a theme highlight report: the theme it reports on.",
    )
    period_start = models.DateField(null=True, blank=True)
    period_end = models.DateField(null=True, blank=True)
    status = models.CharField(
        max_length=20, choices=ReportStatus, default=ReportStatus.DRAFT, db_index=True
    )
    restricted = models.BooleanField(
        default=False,
        editable=False,
        help_text="Embeds restricted (covert) content: only cleared users may see it.",
    )
    marked_restricted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
        editable=False,
        help_text="The cleared approver who kept this report for cleared readers only.",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True
    )
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    approved_at = models.DateTimeField(null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    published_at = models.DateTimeField(null=True, blank=True)
    pdf = models.FileField(upload_to="reports/published/", blank=True, editable=False)
    pdf_sha256 = models.CharField("PDF SHA-256", max_length=64, blank=True, editable=False)
    history = HistoricalRecords()

    restricted_path = "restricted"
    objects = visible_manager(ReportQuerySet)

    class Meta:
        ordering = ["-meeting__date", "meeting__committee", "agenda_order", "-version"]
        permissions = [
            ("view_published_report", "Can read and download published committee reports"),
            ("publish_report", "Can approve and publish committee reports"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(period_start__isnull=True)
                | models.Q(period_end__isnull=True)
                | models.Q(period_start__lte=models.F("period_end")),
                name="report_period_in_order",
            ),
        ]

    def __str__(self):
        return f"Report {self.number}: {self.title}"

    def get_absolute_url(self):
        return reverse("reports:report-detail", args=[self.pk])

    @property
    def is_published(self):
        return self.status == ReportStatus.PUBLISHED

    @property
    def is_editable(self):
        return self.status != ReportStatus.PUBLISHED

    def clean(self):
        if self.period_start and self.period_end and self.period_start > self.period_end:
            raise ValidationError({"period_end": "The period must end on or after its start."})


class ReportBlock(TimeStampedModel):
    """A live block in section B; publishing freezes its figures into `frozen_data`."""

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="blocks")
    position = models.PositiveSmallIntegerField(
        help_text="Block number: '[block 1]' in the supporting information places block 1."
    )
    kind = models.CharField(max_length=30, choices=BlockKind)
    title = models.CharField(max_length=200, blank=True, help_text="Optional heading above it.")
    theme = models.ForeignKey(
        "themes.Theme", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    period_start = models.DateField(null=True, blank=True)
    period_end = models.DateField(null=True, blank=True)
    frozen_data = models.JSONField(null=True, blank=True, editable=False)
    frozen_at = models.DateTimeField(null=True, blank=True, editable=False)
    history = HistoricalRecords()

    class Meta:
        ordering = ["report", "position"]
        constraints = [
            models.UniqueConstraint(fields=["report", "position"], name="block_unique_position"),
        ]

    def __str__(self):
        return f"Block {self.position}: {self.get_kind_display()}"

    @property
    def is_frozen(self):
        return self.frozen_at is not None


class ReportJobQuerySet(VisibleQuerySet):
    def readable_by(self, user):
        """Jobs this user may follow and download: jobs of reports they may read, except
        restricted ones (a proof rendered for a cleared requester) unless they are cleared too."""
        return self.filter(report__in=Report.objects.visible_to(user)).within_clearance(user)


class ReportJob(TimeStampedModel):
    """One request to render a report to PDF: the source of truth for its progress."""

    report = models.ForeignKey(Report, on_delete=models.PROTECT, related_name="jobs")
    purpose = models.CharField(max_length=20, choices=JobPurpose, default=JobPurpose.PROOF)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    state = models.CharField(
        max_length=20, choices=JobState, default=JobState.QUEUED, db_index=True
    )
    task_id = models.CharField(max_length=50, blank=True)
    enqueued_at = models.DateTimeField(
        null=True, blank=True, help_text="Empty while the job queue could not be reached."
    )
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    error = models.TextField(blank=True)
    pdf = models.FileField(upload_to="reports/jobs/", blank=True)
    pdf_sha256 = models.CharField("PDF SHA-256", max_length=64, blank=True)
    restricted = models.BooleanField(
        default=False,
        editable=False,
        help_text="Rendered as a cleared user sees the report: only cleared users may read it.",
    )
    history = HistoricalRecords()

    restricted_path = "restricted"
    objects = visible_manager(ReportJobQuerySet)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self):
        return f"PDF job {self.pk} for {self.report} ({self.get_state_display()})"

    def get_absolute_url(self):
        return reverse("reports:job-detail", args=[self.pk])

    @property
    def is_finished(self):
        return self.state in (JobState.DONE, JobState.FAILED)

    @property
    def is_delayed(self):
        """Queued but never handed to the job queue (the broker was down)."""
        return self.state == JobState.QUEUED and self.enqueued_at is None


class RestrictedCodeWord(models.Model):
    """A word restricted work goes by (an operation's code word, a team's covert name) that a
    report read by the uncleared must not contain; the publication guard looks for it."""

    theme = models.ForeignKey(
        "themes.Theme", on_delete=models.CASCADE, related_name="restricted_code_words"
    )
    word = models.CharField(max_length=100, help_text="Matched as a whole word, in any case.")

    restricted_path = "theme__restricted"
    objects = visible_manager()

    class Meta:
        ordering = ["word"]
        constraints = [
            models.UniqueConstraint(fields=["theme", "word"], name="code_word_unique_per_theme"),
        ]

    def __str__(self):
        return self.word
