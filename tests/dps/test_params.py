"""Reading the query string: a value a page cannot use is a 400 naming it, never a 500."""

import datetime

import pytest
from django.http import QueryDict

from dps import dates, params

BAD = params.BadQueryParameter


def query(**values):
    result = QueryDict(mutable=True)
    result.update(values)
    return result


@pytest.mark.parametrize("value", ["99999999999999999999", "100001", "0", "-1", "²", "１", "1e3"])
def test_a_page_number_must_be_plain_digits_within_the_cap(value):
    with pytest.raises(BAD, match="‘page’"):
        params.page_number(query(page=value))


def test_a_page_number_defaults_to_the_first_page():
    assert params.page_number(query()) == 1
    assert params.page_number(query(page="7")) == 7


def test_a_page_size_is_at_most_a_hundred_rows():
    assert params.page_size(query()) is None
    with pytest.raises(BAD, match="per_page"):
        params.page_size(query(per_page="1000000"))


@pytest.mark.parametrize("value", ["9999-12-31", "0001-01-01", "1989-12-31"])
def test_a_date_outside_the_service_range_is_refused(value):
    with pytest.raises(BAD, match="must be a date from 1 January 1990"):
        params.date(query(as_at=value), "as_at", None)


@pytest.mark.parametrize(
    "value",
    ["2008-W01-1", "20080101", "yesterday", "２００８-０１-０１", "31/2/2008", "2008-02-30"],
)
def test_only_a_date_as_the_date_fields_take_it_is_read(value):
    with pytest.raises(BAD, match="must be a real date, for example 17/1/2008"):
        params.date(query(as_at=value), "as_at", None)


@pytest.mark.parametrize("value", ["17/1/2008", "17/01/2008", "17/1/08", "17-1-2008", "2008-01-17"])
def test_a_date_is_read_as_typed_in_the_date_picker_or_as_links_write_it(value):
    assert params.date(query(as_at=value), "as_at", None) == datetime.date(2008, 1, 17)


def test_a_date_left_out_gives_the_default():
    default = datetime.date(2007, 3, 31)
    assert params.date(query(), "as_at", default) == default
    assert params.date(query(as_at="2007-01-02"), "as_at", default) == datetime.date(2007, 1, 2)
    assert params.date(query(as_at=dates.latest().isoformat()), "as_at", None) == dates.latest()


@pytest.mark.parametrize("value", ["a\x00b", "x" * 201, "line\nbreak"])
def test_text_refuses_control_characters_and_overlong_values(value):
    with pytest.raises(BAD, match="‘theme’"):
        params.text(query(theme=value), "theme")


def test_text_keeps_right_to_left_and_emoji():
    assert params.text(query(q=" \u202eevil 🙂 "), "q") == "\u202eevil 🙂"


def test_a_choice_must_be_one_offered():
    assert params.choice(query(scope="all"), "scope", ("all", "mine")) == "all"
    assert params.choice(query(), "scope", ("all", "mine"), default="mine") == "mine"
    with pytest.raises(BAD):
        params.choice(query(scope="everything"), "scope", ("all", "mine"))


def test_a_record_id_fits_a_database_integer():
    assert params.record_id(query(borough="12"), "borough") == 12
    with pytest.raises(BAD):
        params.record_id(query(borough="2147483648"), "borough")
