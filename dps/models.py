from django.conf import settings
from django.db import models
from simple_history.models import HistoricalRecords

from dps.choices import UnitKind
from dps.visibility import VisibleManager, VisibleQuerySet, visible_manager


class TimeStampedModel(models.Model):
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        abstract = True


# --- Reference data: the units PSSP reaches and the menu it offers (every app reads these) ---


class BoroughQuerySet(VisibleQuerySet):
    """Reference data: every role that may read PSSP data sees all boroughs and units."""

    def boroughs(self):
        return self.filter(kind=UnitKind.BOROUGH)

    def active(self):
        """The boroughs and units a new record may name, in the order every picker lists them."""
        return self.filter(active=True).order_by("kind", "name")


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
    history = HistoricalRecords(table_name="pssp_historicalborough")

    objects = visible_manager(BoroughQuerySet)

    class Meta:
        # Moved from pssp, which created the table: the name stays.
        db_table = "pssp_borough"
        ordering = ["kind", "name"]
        verbose_name = "borough or unit"
        verbose_name_plural = "boroughs and units"

    def __str__(self):
        return self.name


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
    history = HistoricalRecords(table_name="pssp_historicalproduct")

    objects = VisibleManager()

    class Meta:
        db_table = "pssp_product"
        ordering = ["order", "name"]

    def __str__(self):
        return self.name


class AccessRecord(models.Model):
    """One opening, export or download: who took which data out of the app, and when."""

    class Kind(models.TextChoices):
        OPEN = "open", "Opened"
        EXPORT = "export", "Export"
        DOWNLOAD = "download", "Download"

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT)
    at = models.DateTimeField(auto_now_add=True, db_index=True)
    kind = models.CharField(max_length=10, choices=Kind)
    what = models.CharField(max_length=200, help_text="The list, report or file taken.")
    path = models.CharField(max_length=2000, help_text="The address asked for, with its filters.")
    rows = models.PositiveIntegerField(null=True, blank=True)
    # Whose record was opened (a report's author): the planning manager reads the access
    # records of their own reports.
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    # The thing taken was restricted (covert) content: a reader not cleared sees that
    # someone took something, never what.
    restricted = models.BooleanField(default=False)

    class Meta:
        ordering = ["-at"]

    def __str__(self):
        return f"{self.user} {self.kind} {self.what} at {self.at:%Y-%m-%d %H:%M}"


def record_access(request, *, kind, what, rows=None, owner=None, restricted=False):
    return AccessRecord.objects.create(
        user=request.user,
        kind=kind,
        what=what[:200],
        path=request.get_full_path()[:2000],
        rows=rows,
        owner=owner,
        restricted=restricted,
    )


# Email notices live with their framework (dps/notices.py); imported here so Django finds them.
from dps.notices import Notice, NoticePreference  # noqa: E402, F401

# --- Sign-in: identities from the force's provider, and the record of every sign-in ----------


class ExternalIdentity(models.Model):
    """The force identity provider's account a user signs in with (OpenID Connect `iss`+`sub`).

    A user without one is a local account (the embedded demo's, a break-glass administrator's):
    the provider can never sign in as a local account by sharing its username.
    """

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="external_identity"
    )
    issuer = models.CharField(max_length=300)
    subject = models.CharField(max_length=255)
    first_seen = models.DateTimeField(auto_now_add=True)
    last_seen = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["issuer", "subject"], name="external_identity_unique")
        ]
        verbose_name_plural = "external identities"

    def __str__(self):
        return f"{self.subject} at {self.issuer}"


class SignInRecord(models.Model):
    """One sign-in, sign-out or refused sign-in, local or through the identity provider."""

    class Event(models.TextChoices):
        SIGNED_IN = "signed-in", "Signed in"
        SIGNED_OUT = "signed-out", "Signed out"
        REFUSED = "refused", "Refused"

    class Method(models.TextChoices):
        LOCAL = "local", "Local account"
        OIDC = "oidc", "Identity provider"

    at = models.DateTimeField(auto_now_add=True, db_index=True)
    event = models.CharField(max_length=12, choices=Event)
    method = models.CharField(max_length=8, choices=Method)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True
    )
    username = models.CharField(max_length=150, blank=True)
    address = models.GenericIPAddressField(null=True, blank=True)
    detail = models.CharField(max_length=300, blank=True, help_text="Why a sign-in was refused.")

    class Meta:
        ordering = ["-at"]

    def __str__(self):
        return f"{self.get_event_display()} ({self.get_method_display()}) {self.username} {self.at}"
