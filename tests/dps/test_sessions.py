"""dps.sessions reads a session as Django's database store does: a live session's data, nothing
for an expired or unknown one (whose key is then dropped), and one query."""

import datetime

import pytest
from django.contrib.sessions.backends.db import SessionStore as DjangoStore
from django.contrib.sessions.models import Session
from django.utils import timezone

from dps.sessions import SessionStore

pytestmark = pytest.mark.django_db


def saved(data):
    store = SessionStore()
    store.update(data)
    store.save()
    return store.session_key


def test_a_live_session_reads_back_its_data_in_one_query(django_assert_num_queries):
    key = saved({"visits": 3, "name": "Sam <O'Brien>"})
    saved({"visits": 9})  # another session, not read
    store = SessionStore(key)
    with django_assert_num_queries(1):
        assert store.load() == {"visits": 3, "name": "Sam <O'Brien>"}
    assert store.session_key == key
    assert SessionStore(key).load() == DjangoStore(key).load()


def test_an_expired_session_is_not_read_and_its_key_is_dropped():
    key = saved({"visits": 3})
    past = timezone.now() - datetime.timedelta(seconds=1)
    Session.objects.filter(pk=key).update(expire_date=past)
    store = SessionStore(key)
    assert store.load() == {}
    assert store.session_key is None
    assert DjangoStore(key).load() == {}


def test_an_unknown_key_reads_nothing():
    store = SessionStore("x" * 32)
    assert store.load() == {}
    assert store.session_key is None


def test_a_signed_in_request_uses_it(client, planner):
    client.force_login(planner)
    assert isinstance(client.session, SessionStore)
    assert client.get("/").status_code == 200
