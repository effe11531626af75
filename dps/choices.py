"""Choices of the reference data every app shares."""

from django.db import models


class UnitKind(models.TextChoices):
    BOROUGH = "borough", "London borough"
    UNIT = "unit", "Other unit"
