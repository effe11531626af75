import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from presentations.models import Delivery
from tests.factories import borough, product

pytestmark = pytest.mark.django_db

URL = reverse("presentations:delivery-create")


def form_data(**overrides):
    data = {
        "delivered_on": "2007-03-14",
        "borough": borough("Camden").pk,
        "stream": "pssp",
        "attendees": "25",
        "products": [product("computer-misuse").pk],
        "occasion": "mandatory-training",
        "presenters": "PS Karen Doyle",
        "staff_associations_briefed": "yes",
        "feedback_very_satisfied": "10",
        "feedback_satisfied": "5",
        "feedback_neutral": "0",
        "feedback_dissatisfied": "0",
        "feedback_very_dissatisfied": "0",
        "notes": "",
    }
    data.update(overrides)
    return data


def test_staff_logs_a_session_and_is_recorded_as_its_author(client_as, staff_user):
    response = client_as(staff_user).post(URL, form_data())
    delivery = Delivery.objects.get()
    assert response.status_code == 302
    assert response.url == reverse("presentations:delivery-detail", args=[delivery.pk])
    assert delivery.entered_by == staff_user
    assert delivery.attendees == 25
    assert list(delivery.products.values_list("code", flat=True)) == ["computer-misuse"]
    assert delivery.history.first().history_user == staff_user


def test_the_form_defaults_to_today_and_mandatory_training(client_as, staff_user):
    response = client_as(staff_user).get(URL)
    form = response.context["form"]
    assert form.initial["delivered_on"] == timezone.localdate()
    assert form["occasion"].value() == "mandatory-training"
    html = response.content.decode()
    today = timezone.localdate()
    # The MOJ date picker: a text field holding the date as it is typed, day/month/year.
    assert 'data-module="moj-date-picker"' in html
    assert f'value="{today.day}/{today.month}/{today.year}"' in html


def test_a_future_date_is_an_error_naming_the_field_and_keeps_what_was_typed(client_as, staff_user):
    tomorrow = (timezone.localdate() + datetime.timedelta(days=1)).isoformat()
    response = client_as(staff_user).post(
        URL, form_data(delivered_on=tomorrow, presenters="DS Typed Name")
    )
    assert response.status_code == 200
    assert not Delivery.objects.exists()
    html = response.content.decode()
    assert "The date of the session must be today or in the past." in html
    assert 'id="id_delivered_on-error"' in html
    assert 'value="DS Typed Name"' in html


def test_feedback_returns_can_never_exceed_attendees(client_as, staff_user):
    response = client_as(staff_user).post(
        URL, form_data(attendees="10", feedback_very_satisfied="8", feedback_satisfied="3")
    )
    assert not Delivery.objects.exists()
    assert "Feedback returns (11) cannot be more than the number of attendees (10)." in (
        response.content.decode()
    )


def test_attendees_must_be_a_whole_number(client_as, staff_user):
    response = client_as(staff_user).post(URL, form_data(attendees="twelve"))
    assert not Delivery.objects.exists()
    assert "Enter the number of attendees as a whole number, like 25" in response.content.decode()


def test_not_briefing_staff_associations_warns_but_saves(client_as, staff_user):
    response = client_as(staff_user).post(
        URL, form_data(staff_associations_briefed="no"), follow=True
    )
    assert Delivery.objects.get().staff_associations_briefed is False
    assert "were not briefed before this session" in response.content.decode()


def test_civil_actions_and_accident_claims_sessions_cover_their_own_product(client_as, staff_user):
    client_as(staff_user).post(URL, form_data(stream="civil-actions", products=[]))
    client_as(staff_user).post(URL, form_data(stream="accident-claims", products=[]))
    civil, accident = Delivery.objects.order_by("pk")
    assert list(civil.products.values_list("code", flat=True)) == ["civil-actions"]
    assert list(accident.products.values_list("code", flat=True)) == ["accident-claims"]


def test_save_and_log_another_keeps_date_borough_and_presenter(client_as, staff_user):
    client = client_as(staff_user)
    response = client.post(
        URL, form_data(next="another", delivered_on="2007-05-02", presenters="PC Imran Shah")
    )
    assert response.status_code == 302
    assert response.url.startswith(URL)
    form = client.get(response.url).context["form"]
    assert str(form.initial["delivered_on"]) == "2007-05-02"
    assert str(form.initial["borough"]) == str(borough("Camden").pk)
    assert form.initial["presenters"] == "PC Imran Shah"
    assert "attendees" not in form.initial


def test_every_field_has_a_label(client_as, staff_user):
    html = client_as(staff_user).get(URL).content.decode()
    for field in ("delivered_on", "borough", "attendees", "presenters", "notes"):
        assert f'for="id_{field}"' in html


def test_the_form_reads_each_picker_once_however_often_it_is_drawn(
    django_assert_num_queries,
):
    from presentations.forms import DeliveryForm

    form = DeliveryForm()
    # One plain query for the boroughs and one for the products, kept for the form's life
    # (Django's iterator queries again each time, through a server-side cursor on PostgreSQL).
    with django_assert_num_queries(2) as captured:
        first, again = str(form), str(form)
    assert first == again
    assert not any(query["sql"].startswith("DECLARE") for query in captured.captured_queries)
    assert 'value="{}"'.format(borough("Camden").pk) in first
    assert 'value="{}"'.format(product("computer-misuse").pk) in first


def test_logging_a_session_and_reading_it_back_take_few_queries(
    client_as, staff_user, django_assert_max_num_queries
):
    client = client_as(staff_user)
    client.get(URL)  # the session and permissions read once, as on any page
    with django_assert_max_num_queries(6):
        assert client.get(URL).status_code == 200
    data = form_data()
    # 13 statements and the transaction's two (BEGIN/COMMIT; a savepoint pair in a test). One
    # is the read of the month's stored statistics, kept current if they were (no month here
    # was counted: tests/presentations/test_month_figures.py counts the queries when one was).
    # The products are inserted without reading them first or bumping the month again.
    with django_assert_max_num_queries(15):
        response = client.post(URL, data)
    assert response.status_code == 302
    # One "created" version to show: no versions to compare, no products to name twice.
    with django_assert_max_num_queries(7):
        assert client.get(response.url).status_code == 200
