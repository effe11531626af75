import pytest

from pssp.models import Outcome
from tests.factories import borough, theme
from tests.pssp.factories import OutcomeFactory

pytestmark = pytest.mark.django_db

COVERT_TITLE = "Covert lead identified through PSSP"


@pytest.fixture
def outcomes():
    open_outcome = OutcomeFactory(
        title="Undisclosed FPNs: Police Notice issued", theme=theme("pssp"), borough=borough()
    )
    covert = OutcomeFactory(title=COVERT_TITLE, theme=theme("covert"), borough=borough())
    return open_outcome, covert


@pytest.mark.parametrize("persona", ["staff_user", "planner"])
def test_restricted_outcomes_are_invisible_to_users_not_cleared(request, persona, outcomes):
    user = request.getfixturevalue(persona)
    assert list(Outcome.objects.visible_to(user)) == [outcomes[0]]


def test_a_cleared_planner_sees_restricted_outcomes(cleared_planner, outcomes):
    assert Outcome.objects.visible_to(cleared_planner).count() == 2


@pytest.mark.parametrize("persona", ["staff_user", "planner"])
def test_no_page_or_export_reveals_a_restricted_outcome(request, client_as, persona, outcomes):
    client = client_as(request.getfixturevalue(persona))
    covert = outcomes[1]
    for path in (
        "/pssp/outcomes/",
        "/pssp/outcomes/?_export=csv",
        "/pssp/outcomes/?q=Covert",
        f"/pssp/boroughs/{covert.borough_id}/",
        "/",
    ):
        response = client.get(path)
        assert COVERT_TITLE not in response.content.decode(), path
        assert "Investigations – Covert" not in response.content.decode(), path
    assert client.get(f"/pssp/outcomes/{covert.pk}/").status_code == 404
    assert client.get(f"/pssp/outcomes/{covert.pk}/edit/").status_code in (403, 404)


def test_the_export_counts_only_visible_rows(client_as, planner, outcomes):
    response = client_as(planner).get("/pssp/outcomes/?_export=csv")
    assert len(response.content.decode().strip().splitlines()) == 2  # header and one outcome


def test_the_theme_filter_does_not_offer_restricted_themes(client_as, planner, outcomes):
    body = client_as(planner).get("/pssp/outcomes/").content.decode()
    assert "Covert" not in body
    response = client_as(planner).get(f"/pssp/outcomes/?theme={theme('covert').pk}")
    assert COVERT_TITLE not in response.content.decode()


def test_an_uncleared_planner_cannot_link_an_outcome_to_a_restricted_theme(client_as, planner):
    response = client_as(planner).post(
        "/pssp/outcomes/new/",
        {
            "title": "Sneaky",
            "description": "x",
            "occurred_on": "2007-10-01",
            "evidence": "x",
            "theme": theme("covert").pk,
        },
    )
    assert response.status_code == 200
    assert "Select theme from the list" in response.content.decode()
    assert not Outcome.objects.filter(title="Sneaky").exists()


def test_the_cleared_planner_sees_the_restricted_outcome_page(client_as, cleared_planner, outcomes):
    response = client_as(cleared_planner).get(f"/pssp/outcomes/{outcomes[1].pk}/")
    assert response.status_code == 200
    assert COVERT_TITLE in response.content.decode()
