"""Notices by email: the record of each, each person's choices, and the run that sends them.

dps knows no notice of its own. Each app registers its kinds from its AppConfig.ready()
(`register(NoticeKind(...))`); a kind's `source(as_at)` yields one `Draft` per message, its
content read through `visible_to(recipient)`, so that what a person is mailed is what they could
read on a page: nothing restricted ever reaches someone not cleared.

A draft is identified by (recipient, kind, subject key, occasion). One `Notice` row per identity
records it: once sent it is never sent again; a send that failed leaves it unsent with the error,
and the next run tries again (a source goes on yielding a draft for as long as its occasion
lasts: "due in 3 days" until the day, "overdue" until it is done).
"""

import datetime
import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.db import models, transaction
from django.urls import reverse
from django.utils import timezone

from dps.permissions import role_names
from dps.visibility import VisibleQuerySet, visible_manager

logger = logging.getLogger(__name__)

# Kept short in the record: an SMTP reply or an exception's first line is enough to act on.
MAX_ERROR_LENGTH = 500


# --- The records -----------------------------------------------------------------------------


class NoticeQuerySet(VisibleQuerySet):
    def readable_by(self, user):
        """Each person reads the notices sent to them; whoever may view notices (the
        administrator) reads everyone's, except those about restricted content unless cleared."""
        notices = self if user.has_perm("dps.view_notice") else self.filter(recipient=user)
        return notices.within_clearance(user)


class Notice(models.Model):
    """One email notice to one person about one record on one occasion: sent once, or retried."""

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notices"
    )
    kind = models.CharField(max_length=60)
    subject_key = models.CharField(
        max_length=100, help_text="The record it concerns, e.g. themes.milestone:12."
    )
    occasion = models.CharField(
        max_length=60, help_text="Why now, e.g. due-in-14:2008-04-14, overdue, week 2008-W14."
    )
    due_date = models.DateField(null=True, blank=True)
    subject = models.CharField(max_length=300)
    restricted = models.BooleanField(
        default=False,
        help_text="Concerns restricted (covert) content: only cleared users may see it listed.",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(null=True, blank=True, db_index=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.TextField(blank=True)

    read_permission = "dps.view_notice"
    restricted_path = "restricted"
    objects = visible_manager(NoticeQuerySet)

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["recipient", "kind", "subject_key", "occasion"],
                name="notice_once_per_occasion",
            )
        ]

    def __str__(self):
        return f"{self.kind} to {self.recipient}: {self.subject}"

    @property
    def is_sent(self):
        return self.sent_at is not None


class NoticePreference(models.Model):
    """A person's choice about one kind of notice. No row: they get it (the default)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notice_preferences"
    )
    kind = models.CharField(max_length=60)
    enabled = models.BooleanField(default=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "kind"], name="one_preference_per_kind")
        ]

    def __str__(self):
        return f"{self.user}: {self.kind} {'on' if self.enabled else 'off'}"


# --- The registry ----------------------------------------------------------------------------


@dataclass
class Draft:
    """One message a source wants sent; its texts already read as the recipient may read."""

    recipient: object
    kind: str
    subject_key: str
    occasion: str
    subject: str
    body: str
    due_date: datetime.date | None = None
    restricted: bool = False

    @property
    def identity(self):
        return (self.recipient.pk, self.kind, self.subject_key, self.occasion)


@dataclass(frozen=True)
class NoticeKind:
    code: str
    label: str
    hint: str
    # Who could ever receive it: the preferences page offers it only to them.
    permission: str
    source: Callable[[datetime.date], Iterable[Draft]] = field(compare=False)
    order: int = 50
    # Sent only to members of this role (a committee's papers, a planning manager's digest).
    role: str | None = None


_KINDS: dict[str, NoticeKind] = {}


def register(kind):
    """Called from an app's AppConfig.ready(); registering the same code again replaces it."""
    _KINDS[kind.code] = kind
    return kind


def kinds():
    return sorted(_KINDS.values(), key=lambda kind: (kind.order, kind.code))


def kinds_for(user):
    """The kinds this person could receive, so the only ones their preferences offer."""
    if not user.is_authenticated:
        return []
    roles = role_names(user)
    return [
        kind
        for kind in kinds()
        if user.has_perm(kind.permission) and (kind.role is None or kind.role in roles)
    ]


def kind_label(code):
    kind = _KINDS.get(code)
    return kind.label if kind else code


# --- Preferences -----------------------------------------------------------------------------


def chosen_kinds(user):
    """The codes of the kinds this person gets (of those offered to them)."""
    off = set(
        NoticePreference.objects.filter(user=user, enabled=False).values_list("kind", flat=True)
    )
    return [kind.code for kind in kinds_for(user) if kind.code not in off]


@transaction.atomic
def preferences_update(user, chosen):
    offered = [kind.code for kind in kinds_for(user)]
    for code in offered:
        NoticePreference.objects.update_or_create(
            user=user, kind=code, defaults={"enabled": code in chosen}
        )


def _opted_out():
    return set(NoticePreference.objects.filter(enabled=False).values_list("user_id", "kind"))


# --- Composing -------------------------------------------------------------------------------


def absolute_url(path):
    """Emails are read outside the app: links carry the site's address (settings.SITE_URL)."""
    return settings.SITE_URL.rstrip("/") + path


def preferences_url():
    return absolute_url(reverse("notice-preferences"))


def compose(draft, connection=None):
    footer = (
        "\n\n--\nThis is an automatic notice from the DPS Programme Manager.\n"
        f"Choose which notices you get: {preferences_url()}\n"
    )
    return EmailMessage(
        subject=draft.subject,
        body=draft.body.rstrip() + footer,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[draft.recipient.email],
        connection=connection,
        headers={
            "Auto-Submitted": "auto-generated",
            "List-Unsubscribe": f"<{preferences_url()}>",
        },
    )


# --- Sending ---------------------------------------------------------------------------------


@dataclass
class Outcome:
    recipient: object
    subject: str
    status: str  # "sent", "failed", "would send"
    error: str = ""

    def line(self):
        who = f"{self.recipient.get_username()} <{self.recipient.email}>"
        text = f"{who}: {self.subject}"
        if self.status == "failed":
            text += f" [not sent: {self.error}]"
        return text


def drafts_due(as_at):
    """Every draft the registered sources yield as at that date, for people who want them."""
    opted_out = _opted_out()
    for kind in kinds():
        for draft in kind.source(as_at):
            recipient = draft.recipient
            if not recipient.is_active or not recipient.email:
                continue
            if (recipient.pk, draft.kind) in opted_out:
                continue
            yield draft


def _already_sent():
    return set(
        Notice.objects.every_row("the sender skips what was sent")
        .filter(sent_at__isnull=False)
        .values_list("recipient_id", "kind", "subject_key", "occasion")
    )


class _Mailer:
    """One connection for the run, opened when first needed and reopened after a failure (a
    refused recipient leaves it usable; a dropped connection does not)."""

    def __init__(self):
        self.connection = None

    def send(self, draft):
        try:
            if self.connection is None:
                self.connection = get_connection(fail_silently=False)
                self.connection.open()
            compose(draft, self.connection).send()
        except Exception:
            self.close()
            raise

    def close(self):
        if self.connection is not None:
            try:
                self.connection.close()
            except Exception:  # noqa: BLE001 - closing a broken connection may fail too
                logger.debug("closing the mail connection failed", exc_info=True)
            self.connection = None


def _send_one(draft, mailer):
    key = {
        "recipient": draft.recipient,
        "kind": draft.kind,
        "subject_key": draft.subject_key,
        "occasion": draft.occasion,
    }
    with transaction.atomic():
        notice, _ = Notice.objects.every_row("the sender records each notice").get_or_create(
            **key,
            defaults={
                "due_date": draft.due_date,
                "subject": draft.subject[:300],
                "restricted": draft.restricted,
            },
        )
        # Locked while it is sent: a second run at the same time waits, then sees it sent.
        notice = (
            Notice.objects.every_row("the sender locks the notice it sends")
            .select_for_update()
            .get(pk=notice.pk)
        )
        if notice.is_sent:
            return None
        notice.attempts += 1
        notice.subject = draft.subject[:300]
        notice.restricted = draft.restricted
        try:
            mailer.send(draft)
        except Exception as error:  # noqa: BLE001 - any failure leaves it for the next run
            notice.last_error = (str(error) or error.__class__.__name__)[:MAX_ERROR_LENGTH]
            notice.save(update_fields=["attempts", "last_error", "subject", "restricted"])
            logger.warning("notice %s to %s not sent: %s", notice.pk, draft.recipient, error)
            return Outcome(draft.recipient, draft.subject, "failed", notice.last_error)
        notice.sent_at = timezone.now()
        notice.last_error = ""
        notice.save(update_fields=["attempts", "last_error", "subject", "restricted", "sent_at"])
    return Outcome(draft.recipient, draft.subject, "sent")


def send_notices(as_at, *, dry_run=False):
    """Send (or, dry, list) every notice due as at `as_at` not sent before; return outcomes."""
    sent_before = _already_sent()
    outcomes = []
    mailer = _Mailer()
    try:
        for draft in drafts_due(as_at):
            if draft.identity in sent_before:
                continue
            if dry_run:
                outcomes.append(Outcome(draft.recipient, draft.subject, "would send"))
                continue
            outcome = _send_one(draft, mailer)
            if outcome is not None:
                outcomes.append(outcome)
    finally:
        mailer.close()
    return outcomes


def today():
    return timezone.localdate()
