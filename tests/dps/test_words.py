"""The service's words: counts in the right number, first-time actions that do not say "reset",
refusals that say why and what to do."""

import pytest
from django.core.management import call_command
from django.template import Context, Template
from django.urls import reverse

from tests.factories import DeliveryFactory

pytestmark = pytest.mark.django_db


def test_a_refusal_for_a_colleagues_session_says_why_and_what_to_do(
    client_as, staff_user, other_staff_user
):
    theirs = DeliveryFactory(entered_by=other_staff_user)
    response = client_as(staff_user).get(reverse("presentations:delivery-edit", args=[theirs.pk]))
    page = response.content.decode()
    assert response.status_code == 403
    assert "You can only change or delete sessions you logged yourself" in page
    assert "ask them, or the planning manager" in page
    assert "Your role does not include access" not in page


def test_a_refusal_by_role_names_the_role_and_who_can_help(client_as, committee_member):
    response = client_as(committee_member).get(reverse("presentations:delivery-list"))
    page = response.content.decode()
    assert response.status_code == 403
    assert "This page is not part of your role (Committee member)" in page
    assert "ask an administrator" in page


def test_creating_the_calendar_address_the_first_time_does_not_say_reset(client_as, planner):
    client = client_as(planner)
    first = client.post(reverse("themes:calendar"), follow=True).content.decode()
    assert "Your calendar address has been created" in first
    assert "reset" not in first.split("Your calendar address has been created")[1][:80]
    again = client.post(reverse("themes:calendar"), follow=True).content.decode()
    assert "Your calendar address has been reset" in again


@pytest.mark.parametrize(
    ("total", "words"), [(1, "1 session is valid"), (2, "2 sessions are valid")]
)
def test_the_import_preview_counts_in_the_right_number(total, words):
    template = Template('{{ result.total }} session{{ result.total|pluralize:" is,s are" }} valid')
    assert template.render(Context({"result": {"total": total}})) == words


def test_the_import_command_counts_one_session_as_one(tmp_path, capsys):
    spreadsheet = tmp_path / "one.csv"
    spreadsheet.write_text(
        "date,borough,stream,attendees,topics,occasion,presenter,reference\n"
        "2007-03-14,Camden,pssp,25,computer-misuse,mandatory-training,PS D,A1\n"
    )
    call_command("import_deliveries", str(spreadsheet), "--dry-run")
    out = capsys.readouterr().out
    assert "1 session is valid" in out


def test_every_list_says_what_to_do_when_nothing_matches():
    import importlib

    import django_tables2 as tables

    for module_name in (
        "dps.tables",
        "presentations.tables",
        "pssp.tables",
        "reports.tables",
        "themes.tables",
    ):
        module = importlib.import_module(module_name)
        for value in vars(module).values():
            if (
                isinstance(value, type)
                and issubclass(value, tables.Table)
                and (value.__module__ == module_name)
            ):
                text = value._meta.empty_text or ""
                assert "Clear the filters" in text or "Widen the filters" in text, value


def test_an_empty_filtered_list_says_so_and_what_to_do(client_as, planner):
    page = client_as(planner).get(reverse("themes:risk-list"), {"q": "no such risk"})
    text = page.content.decode()
    assert "No risk matches these filters. Clear the filters" in text


def test_the_help_page_starts_with_the_readers_role(client_as, staff_user, client):
    page = client_as(staff_user).get(reverse("help")).content.decode()
    assert "Your role: DPS staff" in page
    assert page.index('id="dps-staff"') < page.index('id="planning-manager"')
    assert 'href="/help/"' in page  # the footer link
    client.logout()
    assert "Sign in with the user name" in client.get(reverse("help")).content.decode()
