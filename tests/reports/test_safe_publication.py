"""Safe publication: the restricted-content guard at approval and at publication, four eyes, and
the page that asks for confirmation before publishing."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from reports import guard, services
from reports.choices import ReportStatus
from reports.models import Report, ReportJob, RestrictedCodeWord
from tests.factories import theme
from tests.reports.factories import ReportFactory, second_pair_of_eyes
from tests.themes.factories import MilestoneFactory, RiskFactory, deliverable_in

pytestmark = pytest.mark.django_db

NAMING_PARAGRAPH = "2. Work in Investigations - Covert continues with the intelligence teams."


@pytest.fixture
def covert_records():
    """The restricted theme's code word and records, and an open milestone sharing a title."""
    covert = theme("covert")
    RestrictedCodeWord.objects.create(theme=covert, word="Nightjar")
    hidden = deliverable_in("covert", title="Restructured anti-corruption command")
    MilestoneFactory(deliverable=hidden, title="Covert review signed off")
    MilestoneFactory(deliverable=hidden, title="Consultation complete")
    MilestoneFactory(deliverable=deliverable_in("taylor"), title="Consultation complete")
    RiskFactory(theme=covert, title="Handlers leave during restructure")
    return covert


def _naming_report(author, paragraph=NAMING_PARAGRAPH):
    return ReportFactory(
        created_by=author,
        supporting_information=f"1. The programme continues.\n\n{paragraph}\n\n3. Next steps.",
    )


def _refusal(action):
    with pytest.raises(ValidationError) as refused:
        action()
    return refused.value.messages


# --- What the guard looks for -------------------------------------------------------------------


def test_the_guard_reads_every_term_that_names_restricted_work(covert_records):
    terms = {term.lower() for term in guard.restricted_terms()}
    assert {"investigations - covert", "covert", "nightjar"} <= terms
    assert "restructured anti-corruption command" in terms
    assert "covert review signed off" in terms
    assert "handlers leave during restructure" in terms
    # A title an open record shares names nothing restricted.
    assert "consultation complete" not in terms
    # Open themes are not restricted words.
    assert "taylor" not in terms


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("Operation NIGHTJAR began.", True),
        ("Investigations – Covert (en dash) and Investigations - Covert.", True),
        ("Investigations –\n Covert, split over a line.", True),
        ("**Covert** in bold.", True),
        ("Nightjars are birds; the work was done covertly.", False),
        ("Investigations – Overt is an open theme.", False),
    ],
)
def test_words_match_whole_and_in_any_case(covert_records, planner, text, found):
    report = _naming_report(planner, paragraph=text)
    assert bool(guard.report_findings(report, user=planner)) is found


# --- At approval --------------------------------------------------------------------------------


def test_an_uncleared_approver_is_refused_with_the_place_named_but_not_the_word(
    covert_records, cleared_planner, planner
):
    report = _naming_report(cleared_planner)
    messages = _refusal(lambda: services.report_approve(report, user=planner))
    assert messages == [
        "B. Supporting information, paragraph 2 names restricted work; ask a cleared approver."
    ]
    assert "covert" not in " ".join(messages).lower()
    report.refresh_from_db()
    assert report.status == ReportStatus.DRAFT
    assert not report.restricted


def test_every_section_and_block_is_read(covert_records, planner):
    author = second_pair_of_eyes(planner)
    report = ReportFactory(
        created_by=author,
        title="Nightjar: progress",
        recommendations="That members note the Handlers leave during restructure risk.",
    )
    services.block_add(report, user=author, kind="programme-summary", title="Where Nightjar stands")
    report.refresh_from_db()
    messages = _refusal(lambda: services.report_approve(report, user=planner))
    assert [message.split(" names")[0] for message in messages] == [
        "Title",
        "A. Recommendations",
        "Block 1",
    ]


def test_a_cleared_approver_is_told_the_word_and_may_keep_the_report_for_cleared_readers(
    covert_records, cleared_planner, client_as, committee_member, planner
):
    author = second_pair_of_eyes(cleared_planner)
    report = _naming_report(author)
    messages = _refusal(lambda: services.report_approve(report, user=cleared_planner))
    assert "(“Investigations - Covert”)" in messages[0]
    assert "approve the report for cleared readers only" in messages[0]

    approved = services.report_approve(report, user=cleared_planner, for_cleared_readers=True)
    assert approved.status == ReportStatus.APPROVED
    assert approved.restricted
    assert approved.marked_restricted_by == cleared_planner
    for reader in (planner, committee_member):
        assert not Report.objects.visible_to(reader).filter(pk=report.pk).exists()
    # Later block changes do not drop the approver's restriction.
    services.report_update(approved, user=author, title="Retitled")
    block = services.block_add(approved, user=author, kind="programme-summary")
    services.block_remove(block, user=author)
    report.refresh_from_db()
    assert report.restricted


def test_an_uncleared_approver_cannot_keep_a_report_for_cleared_readers(
    covert_records, cleared_planner, planner
):
    report = _naming_report(cleared_planner)
    with pytest.raises(PermissionDenied):
        services.report_approve(report, user=planner, for_cleared_readers=True)
    report.refresh_from_db()
    assert report.marked_restricted_by is None and not report.restricted


def test_a_report_about_the_restricted_theme_is_for_cleared_readers_already(
    covert_records, cleared_planner
):
    report = _naming_report(second_pair_of_eyes(cleared_planner))
    services.block_add(
        report, user=report.created_by, kind="theme-milestones", theme=theme("covert")
    )
    report.refresh_from_db()
    assert report.restricted
    assert services.report_approve(report, user=cleared_planner).status == ReportStatus.APPROVED


def test_approval_page_shows_the_refusal_without_the_word(
    covert_records, cleared_planner, planner, client_as
):
    report = _naming_report(cleared_planner)
    client = client_as(planner)
    response = client.post(reverse("reports:report-approve", args=[report.pk]), follow=True)
    shown = [str(message) for message in response.context["messages"]]
    assert shown == [
        "B. Supporting information, paragraph 2 names restricted work; ask a cleared approver."
    ]
    assert "paragraph 2 names restricted work" in response.content.decode()
    assert "Approve for cleared readers only" not in response.content.decode()


def test_a_cleared_approver_approves_for_cleared_readers_through_the_page(
    covert_records, cleared_planner, client_as
):
    report = _naming_report(second_pair_of_eyes(cleared_planner))
    client = client_as(cleared_planner)
    page = client.get(reverse("reports:report-detail", args=[report.pk])).content.decode()
    assert "Approve for cleared readers only" in page
    response = client.post(
        reverse("reports:report-approve", args=[report.pk]),
        {"for_cleared_readers": "yes"},
        follow=True,
    )
    assert "Report approved for cleared readers only." in response.content.decode()
    report.refresh_from_db()
    assert report.status == ReportStatus.APPROVED and report.restricted


# --- At publication -----------------------------------------------------------------------------


def test_publication_is_refused_when_the_report_came_to_name_restricted_work(
    covert_records, planner
):
    report = _naming_report(planner, paragraph="2. Operation Kestrel reported in March.")
    services.report_approve(report, user=second_pair_of_eyes(planner))
    # After approval, Kestrel becomes a code word of the restricted theme.
    RestrictedCodeWord.objects.create(theme=covert_records, word="Kestrel")
    messages = _refusal(lambda: services.report_publish(report, user=planner))
    assert messages == [
        "B. Supporting information, paragraph 2 names restricted work; ask a cleared approver."
    ]
    report.refresh_from_db()
    assert report.status == ReportStatus.APPROVED
    assert not report.blocks.filter(frozen_at__isnull=False).exists()
    assert not ReportJob.objects.every_row("test").filter(report=report).exists()


# --- Four eyes ----------------------------------------------------------------------------------


def test_the_author_may_not_approve_their_own_draft(planner, draft_report, client_as):
    messages = _refusal(lambda: services.report_approve(draft_report, user=planner))
    assert messages == ["You drafted this report, so someone else must approve it (four eyes)."]
    page = client_as(planner).get(reverse("reports:report-detail", args=[draft_report.pk]))
    text = page.content.decode()
    assert "another planning manager must approve it" in text
    assert reverse("reports:report-approve", args=[draft_report.pk]) not in text
    response = client_as(planner).post(reverse("reports:report-approve", args=[draft_report.pk]))
    assert response.status_code == 302
    draft_report.refresh_from_db()
    assert draft_report.status == ReportStatus.DRAFT


def test_a_one_person_office_may_switch_four_eyes_off(settings, planner, draft_report):
    settings.REPORTS_FOUR_EYES = False
    approved = services.report_approve(draft_report, user=planner)
    assert approved.status == ReportStatus.APPROVED and approved.approved_by == planner


# --- Confirmation -------------------------------------------------------------------------------


@pytest.fixture
def approved_tables_report(planner, tables_report):
    services.block_add(tables_report, user=planner, kind="theme-milestones", theme=theme("taylor"))
    return services.report_approve(tables_report, user=second_pair_of_eyes(planner))


def test_the_confirmation_page_lists_what_is_frozen_and_who_reads_it(
    client_as, planner, approved_tables_report, django_assert_max_num_queries
):
    client = client_as(planner)
    url = reverse("reports:report-publish", args=[approved_tables_report.pk])
    with django_assert_max_num_queries(12):
        response = client.get(url)
    assert response.status_code == 200
    page = response.content.decode()
    assert "[block 1]" in page and "1 January 2007 to 31 January 2007" in page
    assert "[block 2]" in page and "Taylor" in page
    assert "Members of the Professional Standards &amp; Complaints Committee" in page
    assert "<li>Committee member</li>" in page and "<li>Planning manager</li>" in page
    assert "Cleared readers only" not in page
    approved_tables_report.refresh_from_db()
    assert approved_tables_report.status == ReportStatus.APPROVED  # looking changes nothing


def test_the_confirmation_page_says_cleared_readers_only_for_a_restricted_report(
    client_as, cleared_planner, covert_records
):
    report = _naming_report(second_pair_of_eyes(cleared_planner))
    services.report_approve(report, user=cleared_planner, for_cleared_readers=True)
    page = client_as(cleared_planner).get(reverse("reports:report-publish", args=[report.pk]))
    assert "Cleared readers only" in page.content.decode()


def test_publishing_without_confirmation_is_refused(client_as, planner, approved_tables_report):
    response = client_as(planner).post(
        reverse("reports:report-publish", args=[approved_tables_report.pk])
    )
    assert response.status_code == 200
    assert "Confirm that you have checked the report before publishing." in (
        response.content.decode()
    )
    approved_tables_report.refresh_from_db()
    assert approved_tables_report.status == ReportStatus.APPROVED
    assert not approved_tables_report.jobs.exists()


def test_publishing_with_confirmation_freezes_and_queues_the_pdf(
    client_as, planner, approved_tables_report, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client_as(planner).post(
            reverse("reports:report-publish", args=[approved_tables_report.pk]),
            {"confirm": "on"},
        )
    job = approved_tables_report.jobs.get()
    assert response.url == job.get_absolute_url()
    approved_tables_report.refresh_from_db()
    assert approved_tables_report.status == ReportStatus.PUBLISHED
    assert approved_tables_report.blocks.filter(frozen_at__isnull=False).count() == 2


def test_a_draft_has_no_confirmation_page(client_as, planner, draft_report):
    response = client_as(planner).get(reverse("reports:report-publish", args=[draft_report.pk]))
    assert response.status_code == 302
