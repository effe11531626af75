"""One small, complete set of sample records, built once for the security tests.

Every page of the app needs something to show: a session in the log, a theme's milestone, a
borough report with its document, a draft and a published committee report with its PDF… Each
theme-scoped record exists twice, once in the open Investigations – Overt theme and once in the
restricted Investigations – Covert theme, so every page is tried on content a user may see and on
content they must not learn of. Covert records carry the code word SECRET in their text.
"""

import datetime
from contextlib import contextmanager
from dataclasses import dataclass, field

from axes.models import AccessAttempt, AccessFailureLog
from django.db import transaction
from django.test import override_settings

from dps.models import Borough
from dps.roles import ADMINISTRATOR, COMMITTEE_MEMBER, DPS_STAFF, PLANNING_MANAGER
from pssp import services as pssp_services
from pssp.models import ActionPlan
from reports import jobs
from reports import services as report_services
from reports.choices import BlockKind
from reports.models import ReportJob
from tests.conftest import _user
from tests.factories import DeliveryFactory, UserFactory, theme
from tests.pssp.factories import (
    BoroughReportFactory,
    EngagementMeetingFactory,
    EventFactory,
    OutcomeFactory,
    PlanActionFactory,
    SourceReviewFactory,
    TaskingDecisionFactory,
    TaskingMeetingFactory,
    pdf_upload,
)
from tests.reports.factories import ReportFactory
from tests.themes.factories import MilestoneFactory, RiskFactory, StatusUpdateFactory
from themes.models import (
    Assumption,
    Benefit,
    CalendarFeed,
    Decision,
    DecisionAction,
    Deliverable,
    Issue,
    SupportingArea,
    ThemeFinance,
)

# The code word in every covert record: a page that shows it to an uncleared user leaks.
SECRET = "Kestrel"
COVERT_THEME_NAME = "Investigations – Covert"

# Everyone a page is tried as. "anonymous" is nobody signed in.
ROLES = (
    "anonymous",
    "staff_user",
    "other_staff_user",
    "planner",
    "cleared_planner",
    "committee_member",
    "administrator",
    "outsider",
)
# A stand-in PDF: the matrix checks who may fetch a file, not what WeasyPrint makes.
FAKE_PDF = b"%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"


@dataclass
class World:
    users: dict
    open: dict = field(default_factory=dict)  # records anyone with the permission may see
    covert: dict = field(default_factory=dict)  # records of the restricted theme


def _personas():
    return {
        "staff_user": _user("sam.staff", DPS_STAFF),
        "other_staff_user": _user("jo.staff", DPS_STAFF),
        "planner": _user("pat.planner", PLANNING_MANAGER),
        "cleared_planner": _user("chris.cleared", PLANNING_MANAGER, cleared=True),
        "committee_member": _user("morgan.committee", COMMITTEE_MEMBER),
        "administrator": _user("alex.admin", ADMINISTRATOR),
        "outsider": UserFactory(username="no.role"),
    }


def _theme_records(code, owner, word):
    """One of each theme-scoped record in theme `code`, titled with `word`."""
    subject = theme(code)
    deliverable = Deliverable.objects.create(theme=subject, title=f"{word} deliverable")
    milestone = MilestoneFactory(
        deliverable=deliverable,
        title=f"{word} milestone",
        owner=owner,
        baseline_date=datetime.date(2008, 1, 1),
        forecast_date=datetime.date(2008, 3, 1),
    )
    decision = Decision.objects.create(
        theme=subject,
        decided_on=datetime.date(2007, 10, 1),
        title=f"{word} decision",
        description=f"{word} decided",
    )
    return {
        "theme": subject,
        "deliverable": deliverable,
        "milestone": milestone,
        "risk": RiskFactory(theme=subject, title=f"{word} risk", owner=owner),
        "assumption": Assumption.objects.create(
            theme=subject, description=f"{word} assumption", owner=owner
        ),
        "issue": Issue.objects.create(
            theme=subject,
            issue_type="problem",
            title=f"{word} issue",
            description=f"{word} issue described",
            raised_by=owner,
            owner=owner,
            raised_on=datetime.date(2007, 11, 1),
        ),
        "decision": decision,
        "action": DecisionAction.objects.create(
            decision=decision,
            description=f"{word} action",
            owner=owner,
            due_date=datetime.date(2008, 2, 1),
        ),
        "benefit": Benefit.objects.create(
            theme=subject,
            title=f"{word} benefit",
            measure=f"{word} measure",
            baseline_value=1,
            target_value=2,
            owner=owner,
            expected_date=datetime.date(2009, 1, 1),
        ),
        "finance": ThemeFinance.objects.create(
            theme=subject, financial_year="2007/08", budget=1000, forecast=900
        ),
        "status_update": StatusUpdateFactory(theme=subject, reason=f"{word} status", author=owner),
        "outcome": OutcomeFactory(title=f"{word} outcome", theme=subject),
    }


def _published(report, user):
    """Approve and publish as the app does, then store a stand-in PDF as the worker would.
    The world has one cleared planner, so it publishes as a one-person office may (four eyes
    is tested in tests/reports/test_safe_publication.py)."""
    with override_settings(REPORTS_FOUR_EYES=False):
        report_services.report_approve(report, user=user)
    job = report_services.report_publish(report, user=user)
    jobs.job_store_pdf(job.pk, pdf=FAKE_PDF)
    report.refresh_from_db()
    job.refresh_from_db()
    return report, job


def build_world():
    users = _personas()
    planner, cleared = users["planner"], users["cleared_planner"]
    world = World(users=users)

    world.open = _theme_records("overt", planner, "Overt")
    world.covert = _theme_records("covert", cleared, f"Operation {SECRET}")

    # The delivery log: a session logged by sam.staff (jo.staff may not change it).
    world.open["delivery"] = DeliveryFactory(
        entered_by=users["staff_user"], notes="Went well", products=["computer-misuse"]
    )

    # PSSP: reviews, tasking, a commissioned report with its document and plan, engagement,
    # events.
    world.open["borough"] = Borough.objects.get(name="Camden")
    world.open["review"] = SourceReviewFactory()
    meeting = TaskingMeetingFactory()
    world.open["tasking"] = meeting
    world.open["tasking_decision"] = TaskingDecisionFactory(meeting=meeting, boroughs=["Camden"])
    borough_report = BoroughReportFactory(commissioned_at=meeting)
    pssp_services.report_attach_document(report=borough_report, uploaded=pdf_upload())
    world.open["borough_report"] = borough_report
    plan = ActionPlan.objects.create(report=borough_report, summary="Plan")
    world.open["plan_action"] = PlanActionFactory(plan=plan)
    world.open["engagement"] = EngagementMeetingFactory()
    world.open["event"] = EventFactory()

    # Committee reports: a draft, a published one (with its PDF), and a published highlight
    # report on the covert theme, which is itself restricted.
    draft = ReportFactory(created_by=planner, title="Draft progress report")
    report_services.block_add(
        draft,
        user=planner,
        kind=BlockKind.MONTHLY_TABLES,
        period_start=datetime.date(2007, 1, 1),
        period_end=datetime.date(2007, 3, 31),
    )
    world.open["draft_report"] = draft
    world.open["block"] = draft.blocks.get()
    world.open["report"], world.open["job"] = _published(
        ReportFactory(created_by=planner, title="Published progress report"), planner
    )
    covert_report = report_services.report_create(
        user=cleared,
        meeting=world.open["report"].meeting,
        number="99",
        report_date=datetime.date(2008, 1, 17),
        title=f"Highlight report: Operation {SECRET}",
        by="Commander, covert investigations",
        summary=f"Operation {SECRET} progress.",
        recommendations="That Members note it.",
        kind="highlight",
        theme=theme("covert"),
    )
    report_services.block_add(
        covert_report, user=cleared, kind=BlockKind.THEME_MILESTONES, theme=theme("covert")
    )
    world.covert["report"], world.covert["job"] = _published(covert_report, cleared)
    world.covert["draft_report"] = report_services.report_create(
        user=cleared,
        meeting=world.open["report"].meeting,
        number="100",
        report_date=datetime.date(2008, 1, 17),
        title=f"Draft highlight report: Operation {SECRET}",
        by="Commander, covert investigations",
        summary=f"Operation {SECRET} next steps.",
        recommendations="That Members note it.",
        kind="highlight",
        theme=theme("covert"),
    )
    world.covert["block"] = report_services.block_add(
        world.covert["draft_report"],
        user=cleared,
        kind=BlockKind.THEME_MILESTONES,
        theme=theme("covert"),
    )
    assert world.covert["report"].restricted and world.covert["draft_report"].restricted

    world.open["feed"] = CalendarFeed.objects.create(user=planner, token=CalendarFeed.new_token())

    # A supporting area linked to both themes, saved once so its audit trail holds the links.
    area = SupportingArea.objects.get(code="resources")
    area.themes.add(theme("overt"), theme("covert"))
    area.save()
    world.open["supporting_area"] = area

    # A failed sign-in, as axes records it, so its admin pages have a record to show.
    attempt = {"user_agent": "test", "ip_address": "192.0.2.1", "username": "pat.planner"}
    AccessAttempt.objects.create(
        **attempt, http_accept="*/*", path_info="/sign-in/", failures_since_start=1
    )
    AccessFailureLog.objects.create(**attempt, http_accept="*/*", path_info="/sign-in/")
    assert ReportJob.objects.filter(pdf_sha256="").count() == 0
    return world


@contextmanager
def module_world(django_db_blocker, media_root):
    """Build the world inside a transaction that is rolled back when the tests are done.

    Each test then runs in its own savepoint (pytest-django's `db`), so tests may change and
    delete sample records freely without affecting each other or any other test. Tests change
    copies read from the database, never the world's own objects, which must keep matching it.
    """
    # MD5 only to build sample users quickly: how passwords are hashed is not under test here.
    fast_hashing = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    with override_settings(MEDIA_ROOT=media_root, PASSWORD_HASHERS=fast_hashing):
        with django_db_blocker.unblock():
            outer = transaction.atomic()
            outer.__enter__()
            try:
                # Publishing queues its PDF job on commit; this transaction never commits, and
                # the stand-in PDF is stored directly instead.
                world = build_world()
            except BaseException:
                transaction.set_rollback(True)
                outer.__exit__(None, None, None)
                raise
        try:
            yield world
        finally:
            with django_db_blocker.unblock():
                transaction.set_rollback(True)
                outer.__exit__(None, None, None)
