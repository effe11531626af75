"""A record's history is scoped like the record: no covert past, no ids, labels for choices."""

import datetime
import re

import pytest
from django.urls import reverse
from django.utils.html import escape

from dps.audit import (
    EARLIER_CHANGES_RESTRICTED,
    RECORD_RESTRICTED,
    history_for,
    readable_history,
    restriction_path,
)
from dps.models import Borough, Product
from pssp.models import Outcome
from tests.factories import DeliveryFactory, theme
from tests.themes.factories import MilestoneFactory, deliverable_in
from themes.choices import MilestoneStatus
from themes.models import Decision, DecisionAction, Milestone, MilestoneReforecast, Theme

pytestmark = pytest.mark.django_db


def test_a_change_through_the_admin_shows_who_changed_what(client_as, administrator):
    borough = Borough.objects.get(name="Brent")
    client = client_as(administrator)
    response = client.post(
        reverse("admin:dps_borough_change", args=[borough.pk]),
        {
            "name": "Brent",
            "kind": "borough",
            "gss_code": borough.gss_code,
            "family_group": "Family group 2",
            "active": "on",
        },
    )
    assert response.status_code == 302

    page = client.get(reverse("pssp:borough-detail", args=[borough.pk])).content.decode()
    assert "Family group 2" in page
    assert "Family group: — → Family group 2" in page
    assert f"by {escape(administrator.get_full_name())}" in page


@pytest.fixture
def declassified_outcome(cleared_planner):
    """Recorded under the covert theme, then moved to PSSP with its covert detail rewritten."""
    outcome = Outcome(
        title="Covert surveillance result",
        description="Operation Nightjar found the leak.",
        occurred_on=datetime.date(2008, 2, 1),
        theme=theme("covert"),
        evidence="Intercept log 77",
        evidence_reference="NJ/77",
    )
    outcome._history_user = cleared_planner
    outcome.save()
    outcome.evidence = "Intercept log 78"
    outcome.save()
    outcome.title = "Integrity result"
    outcome.description = "A borough tightened its vetting."
    outcome.evidence = "Borough vetting report"
    outcome.evidence_reference = "PN 12/08"
    outcome.theme = theme("pssp")
    outcome.save()
    return outcome


COVERT_DETAIL = (
    "Covert surveillance result",
    "Operation Nightjar",
    "Intercept log",
    "NJ/77",
)


def outcome_page(client, outcome):
    response = client.get(reverse("pssp:outcome-detail", args=[outcome.pk]))
    assert response.status_code == 200
    return response.content.decode()


@pytest.mark.parametrize("reader", ["planner", "staff_user"])
def test_uncleared_readers_see_nothing_of_an_outcomes_covert_past(
    request, client_as, declassified_outcome, reader
):
    page = outcome_page(client_as(request.getfixturevalue(reader)), declassified_outcome)

    for secret in COVERT_DETAIL:
        assert secret not in page
    covert = theme("covert")
    assert covert.name not in page
    assert f"{covert.pk} → {theme('pssp').pk}" not in page
    assert EARLIER_CHANGES_RESTRICTED in page
    assert "Borough vetting report" in page  # the present is still shown


def test_the_uncleared_planner_sees_the_move_without_the_values_moved_from(
    planner, declassified_outcome
):
    move, earlier = readable_history(declassified_outcome, planner)

    assert earlier.restricted and earlier.action == EARLIER_CHANGES_RESTRICTED
    assert earlier.at is None and earlier.who == ""
    changes = {change.field: (change.old, change.new) for change in move.changes}
    assert changes["Theme"] == ("(restricted)", theme("pssp").name)
    assert changes["Title"] == ("(restricted)", "Integrity result")


def test_a_cleared_planner_sees_the_full_history(client_as, cleared_planner, declassified_outcome):
    page = outcome_page(client_as(cleared_planner), declassified_outcome)

    assert EARLIER_CHANGES_RESTRICTED not in page
    assert "Title: Covert surveillance result → Integrity result" in page
    assert "Evidence: Intercept log 77 → Intercept log 78" in page
    assert f"Theme: {theme('covert').name} → {theme('pssp').name}" in page
    entries = readable_history(declassified_outcome, cleared_planner)
    assert [entry.action for entry in entries] == ["Changed", "Changed", "Created"]


def test_a_theme_declassified_keeps_its_covert_past_hidden(planner, cleared_planner):
    covert = theme("covert")
    covert.description = "Targets: the Nightjar network"
    covert.save()
    covert.description = "Now an open theme"
    covert.restricted = False
    covert.save()

    uncleared = readable_history(covert, planner)
    assert uncleared[-1].restricted
    assert "Nightjar" not in str(uncleared)
    assert "Nightjar" in str(readable_history(covert, cleared_planner))


def test_history_names_related_records_and_labels_choices_never_ids(
    client_as, planner, cleared_planner
):
    outcome = Outcome.objects.create(
        title="Vetting tightened",
        description="What followed",
        occurred_on=datetime.date(2008, 3, 1),
        borough=Borough.objects.get(name="Brent"),
        evidence="Report",
    )
    outcome.borough = Borough.objects.get(name="Camden")
    outcome.product = Product.objects.order_by("pk").first()
    outcome.theme = theme("taylor")
    outcome.save()

    page = outcome_page(client_as(planner), outcome)

    assert "Borough: Brent → Camden" in page
    assert f"Product: — → {outcome.product.name}" in page
    assert f"Theme: — → {theme('taylor').name}" in page
    for related in (outcome.borough, outcome.product, outcome.theme):
        assert f"→ {related.pk}<" not in page
        assert f": {related.pk} →" not in page


def test_a_related_record_the_reader_may_not_see_is_neither_named_nor_numbered(
    planner, cleared_planner
):
    milestone = MilestoneFactory()
    hidden = MilestoneFactory(title="Nightjar handover", deliverable=deliverable_in("covert"))
    milestone.depends_on.add(hidden)

    changes = {
        change.field: change.new
        for entry in readable_history(milestone, planner)
        for change in entry.changes
    }
    assert changes["Depends on"] == RECORD_RESTRICTED
    cleared = {
        change.field: change.new
        for entry in readable_history(milestone, cleared_planner)
        for change in entry.changes
    }
    assert cleared["Depends on"] == hidden.title


def test_choice_fields_show_their_labels(cleared_planner):
    milestone = MilestoneFactory()
    milestone.status = MilestoneStatus.IN_PROGRESS
    milestone.save()

    (latest, *_) = readable_history(milestone, cleared_planner)
    status = next(change for change in latest.changes if change.field == "Status")
    assert (status.old, status.new) == ("Not started", "In progress")


def test_each_model_reaches_the_restricted_flag_through_its_theme():
    assert restriction_path(Theme) == []
    assert restriction_path(Outcome) == ["theme"]
    assert restriction_path(Milestone) == ["deliverable", "theme"]
    assert restriction_path(DecisionAction) == ["decision", "theme"]
    assert restriction_path(MilestoneReforecast) == ["milestone", "deliverable", "theme"]
    assert restriction_path(Borough) is None
    assert restriction_path(Decision) == ["theme"]


def test_the_history_handed_to_a_page_has_no_entries_until_read_for_someone(planner):
    history = history_for(theme("taylor"))
    assert not hasattr(history, "__iter__")
    assert history.read_by(planner) == readable_history(theme("taylor"), planner)


def history_section(page):
    return page[page.index('id="history"') :]


def test_no_history_page_shows_a_related_records_id(client_as, cleared_planner, planner):
    """A milestone moved to another deliverable and owner, and a delivery moved borough and
    products: each page's history names them, and no changed value is a bare number."""
    milestone = MilestoneFactory()
    new_deliverable = deliverable_in("pssp", title="Borough visits")
    milestone.deliverable = new_deliverable
    milestone.owner = planner
    milestone.save()
    delivery = DeliveryFactory(products=["civil-actions"])
    delivery.borough = Borough.objects.get(name="Brent")
    delivery.save()
    delivery.products.set(Product.objects.filter(code__in=["civil-actions", "accident-claims"]))

    client = client_as(cleared_planner)
    pages = {
        "milestone": client.get(reverse("themes:milestone-detail", args=[milestone.pk])),
        "delivery": client.get(reverse("presentations:delivery-detail", args=[delivery.pk])),
    }

    milestone_history = history_section(pages["milestone"].content.decode())
    assert "→ Borough visits" in milestone_history
    assert f"→ {planner}" in milestone_history
    delivery_history = history_section(pages["delivery"].content.decode())
    assert "Camden → Brent" in delivery_history
    assert "Accident claims, Civil actions" in delivery_history
    for response in pages.values():
        history = history_section(response.content.decode())
        assert not re.search(r": \d+ →|→ \d+<", history), history
