"""The notice framework (dps/notices.py): once only, preferences, the pages. Mail here goes to
Django's test outbox; tests/dps/test_notices_smtp.py sends through a real SMTP server."""

import datetime
import runpy
from pathlib import Path

import pytest
from celery.schedules import crontab
from django.urls import reverse

from dps import notices, tasks
from dps.notices import Notice, NoticePreference
from tests.themes.factories import MilestoneFactory, deliverable_in
from themes.notices import MILESTONES, RISK_REVIEWS, WEEKLY_DIGEST

pytestmark = pytest.mark.django_db

AS_AT = datetime.date(2008, 3, 31)


def overdue_milestone(owner, code="overt", title="Unit restructure agreed"):
    # Milestone reminders only: an overdue milestone is in the planning manager's digest too.
    notices.preferences_update(owner, chosen=[MILESTONES])
    return MilestoneFactory(
        deliverable=deliverable_in(code),
        owner=owner,
        title=title,
        baseline_date=datetime.date(2008, 3, 1),
        forecast_date=datetime.date(2008, 3, 20),
    )


def test_a_notice_is_sent_once_and_recorded(planner, mailoutbox):
    milestone = overdue_milestone(planner)

    first = notices.send_notices(AS_AT)
    second = notices.send_notices(AS_AT)
    next_day = notices.send_notices(AS_AT + datetime.timedelta(days=1))

    assert [(o.recipient, o.status) for o in first] == [(planner, "sent")]
    assert second == [] and next_day == []
    assert len(mailoutbox) == 1
    assert mailoutbox[0].to == [planner.email]
    assert mailoutbox[0].subject == "Milestone overdue: Unit restructure agreed"
    notice = Notice.objects.every_row("test").get()
    assert (notice.recipient, notice.kind, notice.subject_key) == (
        planner,
        MILESTONES,
        f"themes.milestone:{milestone.pk}",
    )
    assert notice.sent_at is not None and notice.attempts == 1 and notice.last_error == ""


def test_every_email_links_to_the_choice_of_notices(planner, mailoutbox, settings):
    settings.SITE_URL = "https://dps.example.org/"
    overdue_milestone(planner)
    notices.send_notices(AS_AT)
    [message] = mailoutbox
    assert "Choose which notices you get: https://dps.example.org/account/notices/" in (
        message.body
    )
    assert message.extra_headers["List-Unsubscribe"] == "<https://dps.example.org/account/notices/>"
    assert message.from_email == settings.DEFAULT_FROM_EMAIL


def test_a_dry_run_lists_and_records_nothing(planner, mailoutbox):
    overdue_milestone(planner)
    [outcome] = notices.send_notices(AS_AT, dry_run=True)
    assert outcome.status == "would send"
    assert outcome.line() == "pat.planner <pat.planner@dps.example>: " + (
        "Milestone overdue: Unit restructure agreed"
    )
    assert mailoutbox == [] and not Notice.objects.every_row("test").exists()


def test_someone_who_turned_a_kind_off_does_not_get_it(planner, mailoutbox):
    overdue_milestone(planner)
    notices.preferences_update(planner, chosen=[RISK_REVIEWS])
    assert notices.send_notices(AS_AT) == []
    notices.preferences_update(planner, chosen=[MILESTONES, WEEKLY_DIGEST])
    assert {o.subject for o in notices.send_notices(AS_AT)} == {
        "Milestone overdue: Unit restructure agreed",
        "Weekly programme digest, week 14 of 2008",
    }


def test_kinds_are_offered_by_role(planner, committee_member, staff_user, administrator):
    codes = {user.username: [k.code for k in notices.kinds_for(user)] for user in
             (planner, committee_member, staff_user, administrator)}  # fmt: skip
    assert MILESTONES in codes["pat.planner"] and WEEKLY_DIGEST in codes["pat.planner"]
    assert "report-published" not in codes["pat.planner"]
    assert codes["morgan.committee"] == ["report-published"]
    assert codes["sam.staff"] == [] and codes["alex.admin"] == []


# --- The preferences page --------------------------------------------------------------------


def test_the_preferences_page_saves_each_choice(client_as, planner, django_assert_max_num_queries):
    client = client_as(planner)
    url = reverse("notice-preferences")
    with django_assert_max_num_queries(12):
        page = client.get(url)
    assert page.status_code == 200
    html = page.content.decode()
    assert "Milestones I own: coming due and overdue" in html
    assert "Committee reports" not in html
    assert html.count('type="checkbox"') == len(notices.kinds_for(planner))
    assert html.count(" checked") == len(notices.kinds_for(planner))  # all on by default

    response = client.post(url, {"kinds": [MILESTONES]})

    assert response.status_code == 302 and response["Location"] == url
    assert dict(NoticePreference.objects.filter(user=planner).values_list("kind", "enabled")) == {
        kind.code: kind.code == MILESTONES for kind in notices.kinds_for(planner)
    }
    assert notices.chosen_kinds(planner) == [MILESTONES]
    assert client.get(url).content.decode().count(" checked") == 1


def test_an_unknown_kind_is_a_form_error_not_a_500(client_as, committee_member):
    response = client_as(committee_member).post(
        reverse("notice-preferences"), {"kinds": ["milestone-due"]}
    )
    assert response.status_code == 200
    assert "govuk-error-message" in response.content.decode()
    assert not NoticePreference.objects.exists()


def test_a_role_with_no_notices_is_told_so(client_as, staff_user):
    html = client_as(staff_user).get(reverse("notice-preferences")).content.decode()
    assert "There are no email notices for your role." in html


# --- The page of notices sent ----------------------------------------------------------------


@pytest.fixture
def sent_notices(planner, cleared_planner, mailoutbox):
    overdue_milestone(planner, title="Overt restructure agreed")
    overdue_milestone(cleared_planner, code="covert", title="Covert unit formed")
    notices.send_notices(AS_AT)
    assert len(mailoutbox) == 2


def test_each_person_sees_the_notices_sent_to_them(
    sent_notices, client_as, planner, cleared_planner, django_assert_max_num_queries
):
    url = reverse("notices-sent")
    client = client_as(planner)
    with django_assert_max_num_queries(10):
        mine = client.get(url).content.decode()
    assert "Overt restructure agreed" in mine and "Covert unit formed" not in mine
    theirs = client_as(cleared_planner).get(url).content.decode()
    assert "Covert unit formed" in theirs and "Overt restructure agreed" not in theirs


def test_the_administrator_sees_everyones_but_nothing_restricted(
    sent_notices, client_as, administrator, django_assert_max_num_queries
):
    client = client_as(administrator)
    with django_assert_max_num_queries(10):
        html = client.get(reverse("notices-sent")).content.decode()
    assert "Overt restructure agreed" in html
    assert "covert" not in html.lower()


def test_a_hostile_page_number_is_a_400(client_as, planner):
    response = client_as(planner).get(reverse("notices-sent"), {"page": "1e99"})
    assert response.status_code == 400


def test_a_failed_notice_is_listed_as_not_sent(client_as, planner):
    Notice.objects.create(
        recipient=planner,
        kind=MILESTONES,
        subject_key="themes.milestone:1",
        occasion="overdue:2008-03-20",
        subject="Milestone overdue: Unit restructure agreed",
        attempts=2,
        last_error="(550, b'Mailbox unavailable')",
    )
    html = client_as(planner).get(reverse("notices-sent")).content.decode()
    assert "Not sent" in html and "2 attempts" in html and "Mailbox unavailable" in html


# --- Settings and the daily job ----------------------------------------------------------------

SETTINGS_FILE = Path(__file__).resolve().parents[2] / "dps" / "settings.py"


def _settings_with(monkeypatch, **env):
    for key in ("EMAIL_URL", "DEFAULT_FROM_EMAIL", "NOTICE_MILESTONE_DAYS_BEFORE"):
        monkeypatch.delenv(key, raising=False)
    for key, value in env.items():
        monkeypatch.setenv(key, value)
    return runpy.run_path(str(SETTINGS_FILE))


def test_mail_goes_to_files_in_the_embedded_demo(monkeypatch):
    values = _settings_with(monkeypatch)
    assert values["EMAIL_BACKEND"] == "django.core.mail.backends.filebased.EmailBackend"
    assert values["EMAIL_FILE_PATH"] == values["VAR_DIR"] / "mail"
    assert values["NOTICE_MILESTONE_DAYS_BEFORE"] == [14, 3]


def test_email_url_configures_smtp(monkeypatch):
    values = _settings_with(
        monkeypatch,
        EMAIL_URL="smtp+tls://mailer:s3cret@smtp.example.org:587",
        DEFAULT_FROM_EMAIL="DPS <dps@example.org>",
        NOTICE_MILESTONE_DAYS_BEFORE="3,21,7",
    )
    assert values["EMAIL_BACKEND"] == "django.core.mail.backends.smtp.EmailBackend"
    assert (values["EMAIL_HOST"], values["EMAIL_PORT"]) == ("smtp.example.org", 587)
    assert values["EMAIL_USE_TLS"] is True
    assert (values["EMAIL_HOST_USER"], values["EMAIL_HOST_PASSWORD"]) == ("mailer", "s3cret")
    assert values["DEFAULT_FROM_EMAIL"] == "DPS <dps@example.org>"
    assert values["NOTICE_MILESTONE_DAYS_BEFORE"] == [21, 7, 3]


def test_beat_runs_the_reminders_daily_through_a_thin_task(settings, planner, mailoutbox):
    entry = settings.CELERY_BEAT_SCHEDULE["send-reminders"]
    assert entry["task"] == tasks.send_reminders.name == "dps.tasks.send_reminders"
    assert entry["schedule"] == crontab(hour=7, minute=0)
    yesterday = notices.today() - datetime.timedelta(days=1)
    notices.preferences_update(planner, chosen=[MILESTONES])
    MilestoneFactory(
        deliverable=deliverable_in("overt"),
        owner=planner,
        baseline_date=yesterday,
        forecast_date=yesterday,
    )
    assert tasks.send_reminders.apply().get() == 1
    assert tasks.send_reminders.apply().get() == 0
    assert len(mailoutbox) == 1


def test_the_administrator_finds_the_notices_sent_in_the_menu(client_as, administrator, planner):
    sent = reverse("notices-sent")
    assert f'href="{sent}"' in client_as(administrator).get(reverse("home")).content.decode()
    planner_home = client_as(planner).get(reverse("home")).content.decode()
    assert f'href="{sent}"' not in planner_home  # theirs is linked from "Email notices"
    assert f'href="{reverse("notice-preferences")}"' in planner_home
