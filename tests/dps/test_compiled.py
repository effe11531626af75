"""dps.compiled.CompiledQuery: the ORM's SQL compiled once, run with each call's values, giving
what the queryset itself gives, and reading the database afresh every time."""

import datetime

import pytest
from django.contrib.sessions.models import Session
from django.db.models import Q
from django.utils import timezone

from dps.compiled import CompiledQuery
from dps.models import Borough

pytestmark = pytest.mark.django_db

BY_NAME = CompiledQuery(
    lambda name: Borough.objects.filter(name=name).order_by("pk"), name="dps-no-such-borough"
)


def test_rows_and_instances_are_what_the_queryset_gives():
    camden = Borough.objects.get(name="Camden")
    assert BY_NAME.instances(name="Camden") == [camden]
    got = BY_NAME.instances(name="Camden")[0]
    for field in Borough._meta.concrete_fields:
        assert getattr(got, field.attname) == getattr(camden, field.attname)
    assert BY_NAME.instances(name="Nowhere") == []
    names = CompiledQuery(lambda: Borough.objects.order_by("name").values_list("pk", "name"))
    assert names.rows() == list(Borough.objects.order_by("name").values_list("pk", "name"))


def test_each_call_reads_afresh_with_one_query(django_assert_num_queries):
    BY_NAME.instances(name="Camden")  # compiled
    Borough.objects.filter(name="Camden").update(name="Camden Town")
    with django_assert_num_queries(1):
        assert BY_NAME.instances(name="Camden") == []
    assert BY_NAME.instances(name="Camden Town")[0].name == "Camden Town"


def test_times_are_compared_as_the_orm_compares_them():
    # (On SQLite a time goes to the database as a string, which the stand-in's place must match.)
    now = timezone.now()
    Session.objects.create(session_key="k1", session_data="a", expire_date=now)
    unexpired = CompiledQuery(
        lambda at: Session.objects.filter(expire_date__gt=at).values_list("session_key"),
        at=datetime.datetime(2000, 1, 1, tzinfo=datetime.UTC),
    )
    assert unexpired.rows(at=now - datetime.timedelta(seconds=1)) == [("k1",)]
    assert unexpired.rows(at=now) == []


def test_a_value_compiled_away_is_refused():
    # An id beyond the column's range compiles to nothing: here the query would read Camden alone
    # whatever id it was given.
    lost = CompiledQuery(lambda pk: Borough.objects.filter(Q(pk=pk) | Q(name="Camden")), pk=2**70)
    with pytest.raises(RuntimeError, match="lost its pk"):
        lost.rows(pk=1)


def test_instances_refuses_joined_rows():
    joined = CompiledQuery(lambda: Borough.objects.values_list("name"))
    with pytest.raises(TypeError):
        joined.instances()
