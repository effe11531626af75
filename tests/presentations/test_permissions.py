import pytest
from django.urls import reverse
from django.utils.html import escape

from presentations.models import Delivery
from tests.factories import DeliveryFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def own_delivery(staff_user):
    return DeliveryFactory(entered_by=staff_user)


@pytest.fixture
def someone_elses_delivery(other_staff_user):
    return DeliveryFactory(entered_by=other_staff_user)


def edit_url(delivery):
    return reverse("presentations:delivery-edit", args=[delivery.pk])


def delete_url(delivery):
    return reverse("presentations:delivery-delete", args=[delivery.pk])


def test_staff_may_edit_their_own_entry(client_as, staff_user, own_delivery):
    assert client_as(staff_user).get(edit_url(own_delivery)).status_code == 200


def test_staff_get_403_editing_or_deleting_someone_elses_entry(
    client_as, staff_user, someone_elses_delivery
):
    client = client_as(staff_user)
    assert client.get(edit_url(someone_elses_delivery)).status_code == 403
    assert client.post(edit_url(someone_elses_delivery), {}).status_code == 403
    assert client.post(delete_url(someone_elses_delivery)).status_code == 403
    assert Delivery.objects.filter(pk=someone_elses_delivery.pk).exists()


def test_a_missing_session_is_404_not_403(client_as, staff_user):
    client = client_as(staff_user)
    assert client.get(reverse("presentations:delivery-edit", args=[999999])).status_code == 404
    assert client.get(reverse("presentations:delivery-detail", args=[999999])).status_code == 404


def test_planning_manager_may_edit_and_delete_anyones_entry(
    client_as, planner, someone_elses_delivery
):
    client = client_as(planner)
    assert client.get(edit_url(someone_elses_delivery)).status_code == 200
    response = client.post(delete_url(someone_elses_delivery))
    assert response.status_code == 302
    assert not Delivery.objects.filter(pk=someone_elses_delivery.pk).exists()
    deletion = Delivery.history.filter(id=someone_elses_delivery.pk).first()
    assert deletion.history_type == "-"
    assert deletion.history_user == planner


def test_staff_delete_their_own_entry_after_confirming(client_as, staff_user, own_delivery):
    client = client_as(staff_user)
    assert client.get(delete_url(own_delivery)).status_code == 200
    assert Delivery.objects.filter(pk=own_delivery.pk).exists()
    client.post(delete_url(own_delivery))
    assert not Delivery.objects.filter(pk=own_delivery.pk).exists()


def test_an_edit_is_in_the_audit_trail_on_the_sessions_page(client_as, staff_user, own_delivery):
    client = client_as(staff_user)
    client.post(
        edit_url(own_delivery),
        {
            "delivered_on": "2007-03-14",
            "borough": own_delivery.borough_id,
            "stream": "pssp",
            "attendees": "33",
            "occasion": "seminar",
            "presenters": "PS Example",
            "staff_associations_briefed": "yes",
            **{
                f"feedback_{level}": "0"
                for level in (
                    "very_satisfied",
                    "satisfied",
                    "neutral",
                    "dissatisfied",
                    "very_dissatisfied",
                )
            },
        },
    )
    own_delivery.refresh_from_db()
    assert own_delivery.attendees == 33
    page = client.get(reverse("presentations:delivery-detail", args=[own_delivery.pk]))
    html = page.content.decode()
    assert "Attendees: 20 → 33" in html
    # The timeline names who made the change as people know them (full name, else user name).
    assert f"by {escape(staff_user.get_full_name() or staff_user.username)}" in html


def test_detail_page_offers_correction_only_to_who_may_make_it(
    client_as, staff_user, own_delivery, someone_elses_delivery
):
    client = client_as(staff_user)
    own = client.get(reverse("presentations:delivery-detail", args=[own_delivery.pk]))
    other = client.get(reverse("presentations:delivery-detail", args=[someone_elses_delivery.pk]))
    assert "Correct this session" in own.content.decode()
    assert "Correct this session" not in other.content.decode()


@pytest.mark.parametrize(
    "name", ["delivery-list", "delivery-create", "statistics", "delivery-import"]
)
def test_committee_members_administrators_and_outsiders_get_403(
    client_as, committee_member, administrator, outsider, name
):
    for user in (committee_member, administrator, outsider):
        assert client_as(user).get(reverse(f"presentations:{name}")).status_code == 403


def test_only_the_planning_manager_may_import(client_as, staff_user, planner):
    url = reverse("presentations:delivery-import")
    assert client_as(staff_user).get(url).status_code == 403
    assert client_as(planner).get(url).status_code == 200


def test_only_the_planning_manager_may_export_the_log(client_as, staff_user, planner, own_delivery):
    url = reverse("presentations:delivery-list") + "?_export=csv"
    assert client_as(staff_user).get(url).status_code == 403
    assert (
        "Download these rows"
        not in client_as(staff_user).get(reverse("presentations:delivery-list")).content.decode()
    )
    response = client_as(planner).get(url)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")


def test_staff_role_has_no_bulk_permissions(staff_user, planner):
    for permission in ("export_delivery", "import_delivery", "change_any_delivery"):
        assert not staff_user.has_perm(f"presentations.{permission}")
        assert planner.has_perm(f"presentations.{permission}")


def test_navigation_shows_import_only_to_the_planner(client_as, staff_user, planner):
    # Import is a page of the PSSP delivery section, listed on the section's pages.
    import_url = reverse("presentations:delivery-import")
    log_url = reverse("presentations:delivery-list")
    assert import_url not in client_as(staff_user).get(log_url).content.decode()
    assert import_url in client_as(planner).get(log_url).content.decode()


def test_staff_home_panel_has_the_log_button_and_their_recent_entries(
    client_as, staff_user, own_delivery, someone_elses_delivery
):
    html = client_as(staff_user).get(reverse("home")).content.decode()
    assert "Log a presentation" in html
    assert reverse("presentations:delivery-detail", args=[own_delivery.pk]) in html
    assert reverse("presentations:delivery-detail", args=[someone_elses_delivery.pk]) not in html


def test_every_presentations_url_declares_its_permission():
    from django.urls import get_resolver

    from presentations import urls

    for pattern in urls.urlpatterns:
        view = pattern.callback
        declared = getattr(view, "permission_required", None) or getattr(
            getattr(view, "view_class", None), "permission_required", None
        )
        assert declared and declared.startswith("presentations."), pattern.name
    assert get_resolver()  # the URLconf loads
