import datetime

import pytest
from django.core.exceptions import ValidationError

from presentations.models import validate_session_date

TODAY = datetime.date(2008, 5, 1)


@pytest.mark.parametrize("day", [datetime.date(1990, 1, 1), TODAY - datetime.timedelta(1), TODAY])
def test_a_session_from_1990_up_to_today_is_accepted(day):
    validate_session_date(day, today=TODAY)


def test_a_session_tomorrow_is_refused():
    with pytest.raises(ValidationError) as error:
        validate_session_date(TODAY + datetime.timedelta(1), today=TODAY)
    assert error.value.messages == ["The date of the session must be today or in the past."]


@pytest.mark.parametrize("day", [datetime.date(1989, 12, 31), datetime.date(1899, 12, 31)])
def test_a_session_before_1990_is_refused(day):
    with pytest.raises(ValidationError) as error:
        validate_session_date(day, today=TODAY)
    assert error.value.messages == ["The date of the session must be on or after 1 January 1990."]
