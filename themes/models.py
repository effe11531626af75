from django.conf import settings
from django.db import models
from simple_history.models import HistoricalRecords

from dps.models import TimeStampedModel
from dps.permissions import can_see_restricted


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
    history = HistoricalRecords()

    class Meta:
        ordering = ["start_date"]

    def __str__(self):
        return self.name


class ThemeQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Themes this user may know exist: restricted ones only for cleared users."""
        if not user.is_authenticated or not user.has_perm("themes.view_theme"):
            return self.none()
        if can_see_restricted(user):
            return self
        return self.filter(restricted=False)


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
    history = HistoricalRecords()

    objects = ThemeQuerySet.as_manager()

    class Meta:
        ordering = ["programme", "order"]
        constraints = [
            models.UniqueConstraint(fields=["programme", "code"], name="theme_code_unique"),
        ]
        permissions = [("view_restricted_theme", "Can see restricted (covert) themes")]

    def __str__(self):
        return self.name


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
