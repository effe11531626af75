"""`send_reminders` on the embedded demo, through a real SMTP server the test starts (aiosmtpd):
what is due as at 31 March 2008 is delivered once, a refused message is retried by the next run,
and nobody not cleared is mailed a word of the restricted theme."""

import datetime
import email
import io
import socket
from email import policy

import pytest
from aiosmtpd.controller import Controller
from django.core.management import call_command
from django.utils import timezone

from dps.notices import Notice
from pssp.models import Outcome
from reports.choices import ReportStatus
from reports.models import Report
from tests.reports.factories import ReportFactory
from tests.themes.factories import MilestoneFactory, deliverable_in
from themes.models import (
    Assumption,
    Decision,
    DecisionAction,
    Deliverable,
    Issue,
    Milestone,
    Risk,
    Theme,
)

pytestmark = pytest.mark.django_db

AS_AT = "2008-03-31"
CLEARED = "planner@dps.example"  # Sharon Hicks, the demo's one cleared person
REFUSED = "planner2@dps.example"
COVERT_REPORT_TITLE = "Operation Kestrel: referral outcomes"


class Inbox:
    """An aiosmtpd handler: keeps what it accepts, and refuses (550) the addresses in `refuse`."""

    def __init__(self):
        self.messages = []
        self.refuse = set()

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):  # noqa: N802
        if address in self.refuse:
            return "550 5.1.1 Mailbox unavailable"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):  # noqa: N802
        message = email.message_from_bytes(envelope.content, policy=policy.default)
        self.messages.append((list(envelope.rcpt_tos), message))
        return "250 Message accepted for delivery"


def _free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def smtp_server(settings):
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=_free_port())
    controller.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = controller.port
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
    yield inbox
    controller.stop()


@pytest.fixture
def demo(settings):
    """The embedded demo, with its two papers published in the week before 31 March 2008 and a
    third, restricted one (it embeds the covert theme) published the same week."""
    settings.DEBUG = True
    call_command("load_demo", stdout=io.StringIO())
    settings.DEBUG = False
    published = timezone.make_aware(datetime.datetime(2008, 3, 28, 11))
    reports = Report.objects.every_row("test set-up")
    reports.filter(status=ReportStatus.PUBLISHED).update(published_at=published)
    covert = ReportFactory(title=COVERT_REPORT_TITLE)
    reports.filter(pk=covert.pk).update(
        status=ReportStatus.PUBLISHED, published_at=published, restricted=True
    )


def restricted_words():
    """What names the restricted theme or its work, lower-cased, as tests/security's crawl lists
    it: name, code, code words and the titles and texts of its records (unless an open record
    shares them: then they name nothing)."""
    words = {"anti-corruption", "kestrel", COVERT_REPORT_TITLE}
    for covert in Theme.objects.every_row("the test lists them").filter(restricted=True):
        words |= {covert.name, covert.name.replace("–", "-"), covert.code}
    texts = (
        (Deliverable, "theme", "title"),
        (Milestone, "deliverable__theme", "title"),
        (Risk, "theme", "title"),
        (Issue, "theme", "title"),
        (Decision, "theme", "title"),
        (DecisionAction, "decision__theme", "description"),
        (Assumption, "theme", "description"),
        (Outcome, "theme", "title"),
    )
    for model, path, text in texts:
        rows = model.objects.every_row("the test lists them")
        hidden = set(rows.filter(**{f"{path}__restricted": True}).values_list(text, flat=True))
        shared = set(rows.exclude(**{f"{path}__restricted": True}).values_list(text, flat=True))
        words |= hidden - shared
    return {word.lower() for word in words if word}


def send_reminders(*options):
    out = io.StringIO()
    call_command("send_reminders", "--as-at", AS_AT, *options, stdout=out)
    lines = out.getvalue().splitlines()
    return lines[:-1], lines[-1]


def text_of(message):
    return f"{message['Subject']}\n{message.get_body(preferencelist=('plain',)).get_content()}"


def test_a_dry_run_on_the_demo_lists_what_is_due_and_overdue(demo, smtp_server):
    lines, total = send_reminders("--dry-run")

    assert total == f"Total: {len(lines)} messages to send as at 2008-03-31 (dry run)"
    text = "\n".join(lines)
    for expected in (
        "planner <planner@dps.example>: Milestone overdue: ",
        "planner <planner@dps.example>: Milestone due ",
        "planner2 <planner2@dps.example>: Action overdue: ",
        "Risk review date passed: ",
        "planner2 <planner2@dps.example>: Weekly programme digest, week 14 of 2008",
        "committee <committee@dps.example>: Published for ",
    ):
        assert expected in text
    assert smtp_server.messages == []
    assert not Notice.objects.every_row("test").exists()


def test_a_real_run_delivers_once_retries_a_refusal_and_keeps_restricted_words_from_the_uncleared(
    demo, smtp_server
):
    smtp_server.refuse = {REFUSED}

    lines, total = send_reminders()

    refused = [line for line in lines if line.startswith("planner2 ")]
    assert refused and all("[not sent: " in line and "550" in line for line in refused)
    delivered = len(lines) - len(refused)
    assert total == (
        f"Total: {delivered} messages sent as at 2008-03-31, "
        f"{len(refused)} failed (tried again next run)"
    )
    assert len(smtp_server.messages) == delivered
    unsent = Notice.objects.every_row("test").filter(sent_at__isnull=True)
    assert unsent.count() == len(refused)
    assert {(n.recipient.email, n.attempts) for n in unsent} == {(REFUSED, 1)}
    assert all("550" in notice.last_error for notice in unsent)

    # The server takes the mail again: the next run delivers only what was refused.
    smtp_server.refuse = set()
    retried, total = send_reminders()
    assert [line.split(":", 1)[1] for line in retried] == [
        line.split(":", 1)[1].split(" [not sent")[0] for line in refused
    ]
    assert total == f"Total: {len(refused)} messages sent as at 2008-03-31"
    assert len(smtp_server.messages) == delivered + len(refused)
    assert not Notice.objects.every_row("test").filter(sent_at__isnull=True).exists()
    assert set(unsent.model.objects.every_row("test").filter(pk__in=[n.pk for n in unsent])
               .values_list("attempts", flat=True)) == {2}  # fmt: skip

    # A third run has nothing left to send.
    again, total = send_reminders()
    assert again == [] and total == "Total: 0 messages sent as at 2008-03-31"
    assert len(smtp_server.messages) == delivered + len(refused)

    # What each person was mailed.
    forbidden = restricted_words()
    by_recipient = {}
    for recipients, message in smtp_server.messages:
        assert len(recipients) == 1
        assert not message.is_multipart()  # plain text: no attachment, no PDF
        body = text_of(message)
        assert "Choose which notices you get: http://127.0.0.1:8000/account/notices/" in body
        by_recipient.setdefault(recipients[0], []).append(body.lower())
    assert set(by_recipient) >= {CLEARED, REFUSED, "committee@dps.example"}
    for recipient, bodies in by_recipient.items():
        if recipient == CLEARED:
            continue
        for body in bodies:
            assert not {word for word in forbidden if word in body}, recipient
    # The check can fail: the cleared planning manager is told of the restricted theme's work.
    cleared_text = "\n".join(by_recipient[CLEARED])
    assert {word for word in forbidden if word in cleared_text}
    committee = "\n".join(by_recipient["committee@dps.example"])
    assert "published for" in committee and "/reports/" in committee
    assert "operation kestrel" not in committee


def test_with_the_mail_server_down_every_notice_waits_for_the_next_run(
    smtp_server, settings, planner
):
    MilestoneFactory(
        deliverable=deliverable_in("overt"),
        owner=planner,
        title="Unit restructure agreed",
        baseline_date=datetime.date(2008, 3, 1),
        forecast_date=datetime.date(2008, 3, 20),
    )
    working_port = settings.EMAIL_PORT
    settings.EMAIL_PORT = _free_port()  # nothing listens there: the connection is refused

    lines, total = send_reminders()

    assert len(lines) == 2  # the milestone reminder and the weekly digest
    assert all("[not sent: " in line for line in lines)
    assert total == "Total: 0 messages sent as at 2008-03-31, 2 failed (tried again next run)"
    notices = Notice.objects.every_row("test")
    assert not notices.filter(sent_at__isnull=False).exists()
    assert all(notice.attempts == 1 and notice.last_error for notice in notices)

    settings.EMAIL_PORT = working_port
    lines, total = send_reminders()
    assert total == "Total: 2 messages sent as at 2008-03-31"
    assert len(smtp_server.messages) == 2
    assert {notice.attempts for notice in notices.all()} == {2}
