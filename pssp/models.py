from django.db import models
from simple_history.models import HistoricalRecords

from dps.models import TimeStampedModel
from pssp.choices import UnitKind


class BoroughQuerySet(models.QuerySet):
    def visible_to(self, user):
        # Reference data: every signed-in role that may read PSSP data sees all boroughs and units.
        return self if user.has_perm("pssp.view_borough") else self.none()

    def boroughs(self):
        return self.filter(kind=UnitKind.BOROUGH)


class Borough(TimeStampedModel):
    """A London borough (a BOCU) or another unit that can receive PSSP input."""

    name = models.CharField(max_length=100, unique=True)
    kind = models.CharField(max_length=10, choices=UnitKind, default=UnitKind.BOROUGH)
    gss_code = models.CharField(
        "GSS code",
        max_length=9,
        unique=True,
        null=True,
        blank=True,
        help_text="The ONS code of a London borough, such as E09000002. Empty for other units.",
    )
    family_group = models.CharField(
        max_length=50,
        blank=True,
        help_text="The MPS family group the borough is compared within, such as 'Family group 2'.",
    )
    active = models.BooleanField(default=True)
    history = HistoricalRecords()

    objects = BoroughQuerySet.as_manager()

    class Meta:
        ordering = ["kind", "name"]
        verbose_name = "borough or unit"
        verbose_name_plural = "boroughs and units"

    def __str__(self):
        return self.name


class ProductQuerySet(models.QuerySet):
    def visible_to(self, user):
        return self if user.has_perm("pssp.view_product") else self.none()


class Product(TimeStampedModel):
    """One presentation on the PSSP menu of options."""

    code = models.SlugField(max_length=40, unique=True)
    name = models.CharField(max_length=150, unique=True)
    description = models.TextField(blank=True)
    diversity_reviewed_on = models.DateField(
        "last reviewed by the diversity co-ordinator", null=True, blank=True
    )
    active = models.BooleanField(default=True)
    order = models.PositiveSmallIntegerField(default=0)
    history = HistoricalRecords()

    objects = ProductQuerySet.as_manager()

    class Meta:
        ordering = ["order", "name"]

    def __str__(self):
        return self.name
