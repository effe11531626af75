"""Investigations – Covert is restricted: uncleared users must not learn anything about it."""

import pytest
from django.urls import reverse

from dps.models import AccessRecord
from themes.models import CalendarFeed

pytestmark = pytest.mark.django_db

AS_AT = "?as_at=2008-06-01&slipped_since=2007-01-01"


def lists_and_exports():
    return [
        reverse("themes:milestone-list"),
        reverse("themes:milestone-list") + "?_export=csv",
        reverse("themes:milestone-list") + "?_export=xlsx",
        reverse("themes:milestone-list") + "?rag=red",
        reverse("themes:milestone-list") + "?overdue_on=2008-06-01",
        reverse("themes:risk-list"),
        reverse("themes:risk-list") + "?_export=csv",
        reverse("themes:dashboard") + AS_AT,
        reverse("themes:timeline"),
        reverse("themes:programme"),
        reverse("home"),
    ]


def body(response):
    if response.get("Content-Type", "").startswith("application/vnd.openxml"):
        import io

        import openpyxl

        book = openpyxl.load_workbook(io.BytesIO(response.content))
        return " ".join(str(c.value) for row in book.active.iter_rows() for c in row)
    return response.content.decode()


@pytest.mark.parametrize("index", range(len(lists_and_exports())))
def test_uncleared_planner_sees_no_covert_content_in_lists_exports_and_dashboard(
    client_as, planner, covert_and_overt, index
):
    url = lists_and_exports()[index]
    response = client_as(planner).get(url)
    assert response.status_code == 200
    text = body(response)
    assert "Covert" not in text
    assert "Investigations – Covert" not in text


@pytest.mark.parametrize("index", range(len(lists_and_exports()) - 2))
def test_cleared_planner_sees_covert_content(client_as, cleared_planner, covert_and_overt, index):
    url = lists_and_exports()[index]
    assert "Covert" in body(client_as(cleared_planner).get(url))


def test_dashboard_counts_leave_out_covert(client_as, planner, cleared_planner, covert_and_overt):
    hidden = client_as(planner).get(reverse("themes:dashboard") + AS_AT).context
    seen = client_as(cleared_planner).get(reverse("themes:dashboard") + AS_AT).context
    assert hidden["overdue"]["count"] == 1 and seen["overdue"]["count"] == 2
    assert hidden["risks_for_review"]["count"] == 1 and seen["risks_for_review"]["count"] == 2
    assert hidden["summary"]["exception_count"] == 1
    assert seen["summary"]["exception_count"] == 2


def test_supporting_area_grid_leaves_out_covert(client_as, planner, covert_and_overt):
    response = client_as(planner).get(reverse("themes:grid"))
    assert "Covert" not in response.text
    cells = [cell for row in response.context["rows"] for cell in row["cells"]]
    assert sum(cell["milestones"] for cell in cells) == 1
    assert sum(cell["risks"] for cell in cells) == 1


@pytest.mark.parametrize(
    "route",
    [
        lambda rows: reverse("themes:theme-detail", args=["covert"]),
        lambda rows: reverse("themes:milestone-detail", args=[rows["covert"]["milestone"].pk]),
        lambda rows: reverse("themes:milestone-edit", args=[rows["covert"]["milestone"].pk]),
        lambda rows: reverse("themes:risk-detail", args=[rows["covert"]["risk"].pk]),
        lambda rows: reverse("themes:risk-edit", args=[rows["covert"]["risk"].pk]),
        lambda rows: reverse("themes:milestone-create", args=["covert"]),
        lambda rows: reverse("themes:risk-create", args=["covert"]),
        lambda rows: reverse("themes:status-create", args=["covert"]),
        lambda rows: reverse("themes:tolerances", args=["covert"]),
        lambda rows: reverse("themes:finance-create", args=["covert"]),
        lambda rows: reverse("themes:theme-edit", args=["covert"]),
        lambda rows: reverse("themes:deliverable-create", args=["covert"]),
        lambda rows: reverse(
            "themes:deliverable-edit", args=[rows["covert"]["milestone"].deliverable_id]
        ),
    ],
)
def test_covert_pages_are_404_for_uncleared_planner(
    client_as, planner, cleared_planner, covert_and_overt, route
):
    url = route(covert_and_overt)
    assert client_as(planner).get(url).status_code == 404
    assert client_as(planner).post(url, {}).status_code == 404
    assert client_as(cleared_planner).get(url).status_code == 200


def test_filtering_by_covert_theme_reveals_nothing(client_as, planner, covert_and_overt):
    response = client_as(planner).get(reverse("themes:milestone-list") + "?theme=covert")
    assert "Covert restructure" not in response.text


def test_calendar_feed_leaves_out_covert_for_uncleared_owner(
    client, planner, cleared_planner, covert_and_overt
):
    for milestone in (
        covert_and_overt["covert"]["milestone"],
        covert_and_overt["overt"]["milestone"],
    ):
        milestone.owner = planner
        milestone.save()
    feed = CalendarFeed.objects.create(user=planner, token=CalendarFeed.new_token())
    text = client.get(reverse("themes:calendar-feed", args=[feed.token])).text
    assert "Overt restructure milestone" in text
    assert "Covert" not in text
    everything = client.get(reverse("themes:calendar-feed", args=[feed.token]) + "?scope=all").text
    assert "Covert" not in everything
    cleared = CalendarFeed.objects.create(user=cleared_planner, token=CalendarFeed.new_token())
    assert (
        "Covert restructure"
        in client.get(reverse("themes:calendar-feed", args=[cleared.token]) + "?scope=all").text
    )


def test_exports_are_recorded(client_as, planner, covert_and_overt):
    client_as(planner).get(reverse("themes:milestone-list") + "?_export=csv")
    record = AccessRecord.objects.get()
    assert record.rows == 1 and record.user == planner


@pytest.mark.parametrize("persona", ["staff_user", "committee_member", "outsider"])
def test_people_outside_the_planning_role_cannot_open_the_dashboard_or_lists(
    client_as, persona, request
):
    user = request.getfixturevalue(persona)
    for name in (
        "themes:dashboard",
        "themes:milestone-list",
        "themes:risk-list",
        "themes:timeline",
    ):
        assert client_as(user).get(reverse(name)).status_code == 403
