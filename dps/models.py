from django.conf import settings
from django.db import models


class TimeStampedModel(models.Model):
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        abstract = True


class AccessRecord(models.Model):
    """One export or download: who took which data out of the app, and when."""

    class Kind(models.TextChoices):
        EXPORT = "export", "Export"
        DOWNLOAD = "download", "Download"

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT)
    at = models.DateTimeField(auto_now_add=True, db_index=True)
    kind = models.CharField(max_length=10, choices=Kind)
    what = models.CharField(max_length=200, help_text="The list, report or file taken.")
    path = models.CharField(max_length=2000, help_text="The address asked for, with its filters.")
    rows = models.PositiveIntegerField(null=True, blank=True)

    class Meta:
        ordering = ["-at"]

    def __str__(self):
        return f"{self.user} {self.kind} {self.what} at {self.at:%Y-%m-%d %H:%M}"


def record_access(request, *, kind, what, rows=None):
    return AccessRecord.objects.create(
        user=request.user, kind=kind, what=what, path=request.get_full_path()[:2000], rows=rows
    )
