import datetime

import pytest
from django.core.exceptions import ValidationError

from pssp import services
from pssp.choices import BoroughReportStatus
from tests.pssp.factories import BoroughReportFactory, pdf_upload

pytestmark = pytest.mark.django_db

D = datetime.date


def drafted_report():
    report = BoroughReportFactory()
    services.report_attach_document(report=report, uploaded=pdf_upload())
    return services.report_mark_drafted(report=report, on=D(2007, 9, 21))


def distribute(report, **overrides):
    values = {
        "mpa_link_member": "MPA link member",
        "mpa_link_member_sent_on": D(2007, 10, 22),
        "area_commander": "Area Commander",
        "area_commander_sent_on": D(2007, 10, 23),
        **overrides,
    }
    return services.report_mark_distributed(report=report, **values)


def test_it_walks_the_whole_workflow_in_order():
    report = drafted_report()
    services.report_mark_discussed(report=report, on=D(2007, 10, 9), notes="Positive")
    distribute(report)
    services.report_close(report=report, on=D(2008, 1, 10))
    report.refresh_from_db()
    assert report.status == BoroughReportStatus.CLOSED
    assert report.discussed_on == D(2007, 10, 9)
    assert report.mpa_link_member_sent_on == D(2007, 10, 22)
    assert report.area_commander_sent_on == D(2007, 10, 23)
    assert report.history.count() >= 5  # every step is in the audit trail


def test_it_refuses_to_skip_the_borough_command_team_discussion():
    report = drafted_report()
    with pytest.raises(services.TransitionError) as refused:
        distribute(report)
    message = refused.value.messages[0]
    assert "Cannot record its distribution" in message
    assert "'Drafted'" in message
    assert "Discussed with the Borough Command Team" in message
    report.refresh_from_db()
    assert report.status == BoroughReportStatus.DRAFTED


def test_a_commissioned_report_cannot_be_closed():
    report = BoroughReportFactory()
    with pytest.raises(services.TransitionError, match="Cannot close it"):
        services.report_close(report=report, on=D(2008, 1, 1))


def test_it_cannot_be_marked_drafted_without_a_document():
    report = BoroughReportFactory()
    with pytest.raises(services.TransitionError, match="attach the draft document first"):
        services.report_mark_drafted(report=report, on=D(2007, 9, 1))


def test_a_step_cannot_be_repeated():
    report = drafted_report()
    with pytest.raises(services.TransitionError, match="Cannot mark it drafted"):
        services.report_mark_drafted(report=report, on=D(2007, 9, 30))


def test_distribution_needs_both_recipients_and_dates():
    report = drafted_report()
    services.report_mark_discussed(report=report, on=D(2007, 10, 9))
    with pytest.raises(ValidationError) as refused:
        distribute(report, area_commander="", mpa_link_member_sent_on=None)
    assert set(refused.value.message_dict) == {"area_commander", "mpa_link_member_sent_on"}
    report.refresh_from_db()
    assert report.status == BoroughReportStatus.DISCUSSED


def test_copies_cannot_go_out_before_the_discussion():
    report = drafted_report()
    services.report_mark_discussed(report=report, on=D(2007, 10, 9))
    with pytest.raises(ValidationError) as refused:
        distribute(report, area_commander_sent_on=D(2007, 10, 1))
    assert "area_commander_sent_on" in refused.value.message_dict


def test_a_closed_report_document_cannot_be_replaced():
    report = drafted_report()
    services.report_mark_discussed(report=report, on=D(2007, 10, 9))
    distribute(report)
    services.report_close(report=report, on=D(2008, 1, 10))
    with pytest.raises(services.TransitionError, match="closed"):
        services.report_attach_document(report=report, uploaded=pdf_upload())


def test_next_steps_offer_only_the_legal_transition():
    report = BoroughReportFactory()
    assert services.next_steps(report) == [BoroughReportStatus.DRAFTED]
    report = drafted_report()
    assert services.next_steps(report) == [BoroughReportStatus.DISCUSSED]


def test_the_step_page_refuses_an_illegal_transition_with_the_message(client_as, planner):
    report = BoroughReportFactory()
    response = client_as(planner).post(
        f"/pssp/reports/{report.pk}/step/closed/", {"on": "2008-01-10"}
    )
    assert response.status_code == 200
    assert "Cannot close it" in response.content.decode()
    report.refresh_from_db()
    assert report.status == BoroughReportStatus.COMMISSIONED


def test_the_step_page_moves_the_report_on(client_as, planner):
    report = drafted_report()
    response = client_as(planner).post(
        f"/pssp/reports/{report.pk}/step/discussed/", {"on": "2007-10-09", "notes": "Agreed"}
    )
    assert response.status_code == 302
    report.refresh_from_db()
    assert report.status == BoroughReportStatus.DISCUSSED
    assert report.discussion_notes == "Agreed"


def test_an_unknown_step_is_not_found(client_as, planner):
    report = BoroughReportFactory()
    response = client_as(planner).get(f"/pssp/reports/{report.pk}/step/commissioned/")
    assert response.status_code == 404


def test_dps_staff_cannot_move_a_report_on(client_as, staff_user):
    report = drafted_report()
    response = client_as(staff_user).post(
        f"/pssp/reports/{report.pk}/step/discussed/", {"on": "2007-10-09"}
    )
    assert response.status_code == 403
    report.refresh_from_db()
    assert report.status == BoroughReportStatus.DRAFTED


def test_the_edit_form_cannot_bypass_the_workflow(client_as, planner):
    report = BoroughReportFactory()
    response = client_as(planner).post(
        f"/pssp/reports/{report.pk}/edit/",
        {
            "borough": report.borough_id,
            "title": "Renamed",
            "commissioned_on": "2007-08-15",
            "status": "closed",
            "closed_on": "2007-09-01",
            "document": "../../etc/passwd",
        },
    )
    assert response.status_code == 302
    report.refresh_from_db()
    assert report.title == "Renamed"
    assert report.status == BoroughReportStatus.COMMISSIONED
    assert report.closed_on is None
    assert not report.document


def test_each_step_is_attributed_to_the_user_in_the_audit_trail(client_as, planner):
    report = drafted_report()
    client_as(planner).post(f"/pssp/reports/{report.pk}/step/discussed/", {"on": "2007-10-09"})
    latest = report.history.order_by("-history_date").first()
    assert latest.history_user == planner
    assert latest.status == BoroughReportStatus.DISCUSSED


def test_the_report_list_export_gives_status_and_plan_progress_as_text(client_as, staff_user):
    from tests.pssp.factories import PlanActionFactory

    action = PlanActionFactory()
    PlanActionFactory(plan=action.plan, status="done", completed_on=D(2008, 1, 5))
    body = client_as(staff_user).get("/pssp/reports/?_export=csv").content.decode()
    assert "<" not in body
    assert "Commissioned" in body
    assert "In preparation: 1 of 2 actions done" in body
