"""The shared record screens (dps/records.py): what every add, edit and delete page gets."""

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.urls import reverse

from dps.records import RecordUpdateView
from pssp.models import Event
from tests.pssp.factories import EventFactory
from themes.models import Risk

pytestmark = pytest.mark.django_db


def test_a_record_screen_may_not_replace_how_it_reads_its_records():
    with pytest.raises(ImproperlyConfigured):

        class Leaky(RecordUpdateView):
            model = Risk
            permission_required = "themes.change_risk"

            def get_queryset(self):
                return Risk.objects.all()


def test_a_record_screen_may_not_replace_how_it_finds_its_record():
    with pytest.raises(ImproperlyConfigured):

        class Leaky(RecordUpdateView):
            model = Risk
            permission_required = "themes.change_risk"

            def get_object(self, queryset=None):
                return Risk.objects.first()


def test_the_edit_page_shows_the_records_history(client_as, planner):
    event = EventFactory()
    html = client_as(planner).get(reverse("pssp:event-edit", args=[event.pk])).content.decode()
    assert f"Edit {event}" in html
    assert 'id="history"' in html


def test_the_delete_page_asks_first_and_the_audit_trail_keeps_the_record(client_as, planner):
    event = EventFactory()
    url = reverse("pssp:event-delete", args=[event.pk])
    client = client_as(planner)
    assert f"Delete {event}?" in client.get(url).content.decode()
    response = client.post(url)
    assert response.status_code == 302
    assert not Event.objects.filter(pk=event.pk).exists()
    removal = Event.history.filter(id=event.pk, history_type="-").get()
    assert removal.history_user == planner


def test_a_delete_page_refuses_the_delete_method(client_as, planner):
    event = EventFactory()
    response = client_as(planner).delete(reverse("pssp:event-delete", args=[event.pk]))
    assert response.status_code == 405
    assert Event.objects.filter(pk=event.pk).exists()


def test_without_the_permission_the_page_is_forbidden(client_as, staff_user):
    event = EventFactory()
    response = client_as(staff_user).get(reverse("pssp:event-delete", args=[event.pk]))
    assert response.status_code == 403
    assert Event.objects.filter(pk=event.pk).exists()
