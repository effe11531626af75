"""The foundation's pages, each role against each: allowed, 403, 404 or sent to sign in."""

import pytest
from django.urls import reverse

from dps.models import Borough

pytestmark = pytest.mark.django_db


def test_anonymous_is_sent_to_sign_in_from_every_page(client):
    borough = Borough.objects.get(name="Camden")
    for url in [
        reverse("home"),
        reverse("themes:programme"),
        reverse("themes:theme-detail", args=["pssp"]),
        reverse("pssp:borough-list"),
        reverse("pssp:borough-detail", args=[borough.pk]),
        reverse("pssp:product-list"),
    ]:
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith(reverse("sign-in")), url


def test_sign_in_page_is_open(client):
    assert client.get(reverse("sign-in")).status_code == 200


AS_AT_PAGES = ("dashboard_as_at", "compare", "milestones_as_at", "risks_as_at", "timeline_as_at")
PAST_200 = dict.fromkeys(AS_AT_PAGES, 200)
PAST_403 = dict.fromkeys(AS_AT_PAGES, 403)


@pytest.mark.parametrize(
    ("persona", "expected"),
    [
        ("staff_user", {"programme": 403, "boroughs": 200, "products": 200} | PAST_403),
        ("planner", {"programme": 200, "boroughs": 200, "products": 200} | PAST_200),
        ("committee_member", {"programme": 403, "boroughs": 403, "products": 403} | PAST_403),
        ("administrator", {"programme": 403, "boroughs": 200, "products": 200} | PAST_403),
        ("outsider", {"programme": 403, "boroughs": 403, "products": 403} | PAST_403),
    ],
)
def test_each_role_gets_what_it_may_open(request, client_as, persona, expected):
    client = client_as(request.getfixturevalue(persona))
    urls = {
        "programme": reverse("themes:programme"),
        "boroughs": reverse("pssp:borough-list"),
        "products": reverse("pssp:product-list"),
        # The programme as at a past date, and two dates compared: planning managers only.
        "dashboard_as_at": reverse("themes:dashboard") + "?as_at=2008-01-17",
        "compare": reverse("themes:compare") + "?from=2007-11-30&to=2008-03-31",
        "milestones_as_at": reverse("themes:milestone-list") + "?as_at=2008-01-17",
        "risks_as_at": reverse("themes:risk-list") + "?as_at=2008-01-17",
        "timeline_as_at": reverse("themes:timeline") + "?as_at=2008-01-17",
    }
    assert {name: client.get(url).status_code for name, url in urls.items()} == expected
    assert client.get(reverse("home")).status_code == 200


def test_restricted_theme_is_404_for_a_planner_not_cleared(client_as, planner):
    response = client_as(planner).get(reverse("themes:theme-detail", args=["covert"]))
    assert response.status_code == 404


def test_restricted_theme_is_not_even_named_to_a_planner_not_cleared(client_as, planner):
    page = client_as(planner).get(reverse("themes:programme")).content.decode()
    assert "Investigations – Overt" in page
    assert "Covert" not in page


def test_cleared_planner_sees_the_restricted_theme(client_as, cleared_planner):
    client = client_as(cleared_planner)
    assert client.get(reverse("themes:theme-detail", args=["covert"])).status_code == 200
    assert "Investigations – Covert" in client.get(reverse("themes:programme")).content.decode()


def test_navigation_shows_only_what_the_role_may_open(client_as, staff_user, committee_member):
    staff_page = client_as(staff_user).get(reverse("home")).content.decode()
    assert reverse("pssp:borough-list") in staff_page
    assert reverse("themes:programme") not in staff_page

    committee_page = client_as(committee_member).get(reverse("home")).content.decode()
    assert reverse("pssp:borough-list") not in committee_page
    assert reverse("admin:index") not in committee_page


def test_administrator_reaches_the_admin_and_others_do_not(client_as, administrator, planner):
    assert client_as(administrator).get(reverse("admin:index")).status_code == 200
    response = client_as(planner).get(reverse("admin:index"))
    assert response.status_code == 302
