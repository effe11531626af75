"""Edit conflicts without lost updates: a save refused because someone else saved first comes
back as a three-way merge (their saved values, plus your changes to what they did not touch, and
a choice where you both changed a field), and no sequence of the conflict page's own buttons
writes back the values they replaced."""

import datetime
import itertools
from html.parser import HTMLParser

import pytest
from django.core import signing
from django.http import QueryDict
from django.test import Client
from django.urls import reverse

from dps import merge
from tests.themes.factories import MilestoneFactory
from themes.models import Milestone

pytestmark = pytest.mark.django_db

BASELINE = datetime.date(2008, 4, 1)

# --- The merge rule, field by field -------------------------------------------------------------

B, T, Y = "base", "theirs", "yours"


@pytest.mark.parametrize(
    ("theirs", "yours", "outcome"),
    [
        (B, B, merge.THEIRS),  # nobody touched it: the same value either way
        (T, B, merge.THEIRS),  # only they changed it: theirs, never your stale copy
        (B, Y, merge.YOURS),  # only you changed it: yours
        (T, T, merge.THEIRS),  # you both made the same change
        (T, Y, None),  # you both changed it differently: you choose
    ],
)
def test_three_way_merge_of_one_field(theirs, yours, outcome):
    [field] = merge.three_way({"title": B}, {"title": theirs}, {"title": yours})
    assert field.outcome == outcome
    assert field.conflicting is (outcome is None)


def test_without_the_opened_values_every_difference_is_a_choice():
    fields = merge.three_way(None, {"a": "1", "b": "2"}, {"a": "1", "b": "3"})
    assert [(field.name, field.conflicting) for field in fields] == [("a", False), ("b", True)]


def test_values_are_compared_as_the_browser_sends_them():
    assert merge.canonical(datetime.date(2008, 4, 1)) == "2008-04-01"
    assert merge.canonical("Line one\r\nLine two  ") == "Line one\nLine two"
    assert merge.canonical([3, "1", None]) == ["1", "3"]
    assert merge.canonical(None) == merge.canonical("") == ""
    assert merge.canonical(True) == "on" and merge.canonical(False) == ""


def test_the_opened_state_is_signed_and_tied_to_its_record():
    first, second = MilestoneFactory(), MilestoneFactory()
    token = merge.sign_opened(first, 3, {"title": "Go-live"}, ["title"])
    assert merge.read_opened(token, first) == merge.Opened(3, {"title": "Go-live"}, ("title",))
    assert merge.read_opened(token, second) is None  # another record's state
    forged = signing.dumps(
        {"record": f"themes.Milestone:{first.pk}", "version": 99, "values": {}, "choose": []},
        salt="not-ours",
    )
    assert merge.read_opened(forged, first) is None
    assert merge.read_opened(token[:-2] + "xx", first) is None
    assert merge.read_opened("", first) is None


# --- Through the pages --------------------------------------------------------------------------


class _FormReader(HTMLParser):
    """The values the edit form would send as it stands, and the conflict page's choices."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.data = QueryDict(mutable=True)
        self.choices = {}
        self._textarea = None
        self._select = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        name = attrs.get("name")
        if tag == "input" and name:
            kind = attrs.get("type", "text")
            if kind == "radio":
                self.choices.setdefault(name, []).append(attrs["value"])
            elif kind == "checkbox":
                if "checked" in attrs:
                    self.data.appendlist(name, attrs.get("value", "on"))
            elif kind not in ("submit", "button"):
                self.data.appendlist(name, attrs.get("value", ""))
        elif tag == "textarea" and name:
            self._textarea = name
            self.data.appendlist(name, "")
        elif tag == "select" and name:
            self._select = name
        elif tag == "option" and self._select and "selected" in attrs:
            self.data.appendlist(self._select, attrs.get("value", ""))

    def handle_data(self, data):
        if self._textarea:
            values = self.data.getlist(self._textarea)
            values[-1] += data.lstrip("\n") if values[-1] == "" else data
            self.data.setlist(self._textarea, values)

    def handle_endtag(self, tag):
        if tag == "textarea":
            self._textarea = None
        elif tag == "select":
            self._select = None


def read_form(response):
    reader = _FormReader()
    reader.feed(response.content.decode())
    reader.data.pop("csrfmiddlewaretoken", None)
    return reader.data, reader.choices


def edit_url(milestone):
    return reverse("themes:milestone-edit", args=[milestone.pk])


def opened_form(client, milestone):
    data, _ = read_form(client.get(edit_url(milestone)))
    assert data["opened"], "the edit form carries its signed opened state"
    return data


def submit(client, milestone, data, **changes):
    data = data.copy()
    for name, value in changes.items():
        data[name] = value
    return client.post(edit_url(milestone), data)


FORECAST_A, FORECAST_B = "2008-04-20", "2008-05-15"


@pytest.fixture
def two_editors(planner, cleared_planner):
    """`(first, second)`: two people at their own browsers, both signed in."""
    first, second = Client(), Client()
    first.force_login(cleared_planner)
    second.force_login(planner)
    return first, second


def test_their_change_and_yours_both_survive_and_no_reason_is_asked_of_you(two_editors):
    first, second = two_editors
    milestone = MilestoneFactory(baseline_date=BASELINE, title="Guidance issued")
    opened_by_first, opened_by_second = (opened_form(c, milestone) for c in two_editors)

    saved = submit(
        first, milestone, opened_by_first, forecast_date=FORECAST_A, reason="Legal review"
    )
    assert saved.status_code == 302
    refused = submit(second, milestone, opened_by_second, title="Guidance for champions issued")
    assert refused.status_code == 409
    page = refused.content.decode()
    assert "Your changes were not saved" in page
    assert "Enter the reason the forecast date has changed" not in page
    data, choices = read_form(refused)
    assert choices == {}  # nothing both changed
    assert data["forecast_date"] == FORECAST_A  # theirs, not the stale baseline
    assert data["title"] == "Guidance for champions issued"  # yours

    assert submit(second, milestone, data).status_code == 302
    milestone.refresh_from_db()
    assert milestone.title == "Guidance for champions issued"
    assert milestone.forecast_date == datetime.date(2008, 4, 20)
    assert milestone.reforecasts.count() == 1  # only theirs: you did not re-forecast


def test_a_reason_is_asked_when_you_changed_the_forecast(two_editors):
    first, second = two_editors
    milestone = MilestoneFactory(baseline_date=BASELINE, title="Guidance issued")
    opened_by_first, opened_by_second = (opened_form(c, milestone) for c in two_editors)
    submit(first, milestone, opened_by_first, title="Guidance drafted")
    refused = submit(second, milestone, opened_by_second, forecast_date=FORECAST_B)
    assert refused.status_code == 409
    data, _ = read_form(refused)
    assert data["title"] == "Guidance drafted" and data["forecast_date"] == FORECAST_B
    again = submit(second, milestone, data)
    assert again.status_code == 200
    assert "Enter the reason the forecast date has changed" in again.content.decode()
    assert submit(second, milestone, data, reason="Printers late").status_code == 302
    milestone.refresh_from_db()
    assert (milestone.title, milestone.forecast_date) == (
        "Guidance drafted",
        datetime.date(2008, 5, 15),
    )


def test_a_field_both_changed_is_shown_side_by_side_to_choose(two_editors):
    first, second = two_editors
    milestone = MilestoneFactory(baseline_date=BASELINE, title="Guidance issued")
    opened_by_first, opened_by_second = (opened_form(c, milestone) for c in two_editors)
    submit(first, milestone, opened_by_first, title="Theirs")
    refused = submit(second, milestone, opened_by_second, title="Yours")
    page = refused.content.decode()
    assert "Title: you both changed it" in page
    assert "Keep theirs: Theirs" in page and "Keep yours: Yours" in page
    data, choices = read_form(refused)
    assert choices == {"choose-title": ["theirs", "yours"]}

    unchosen = submit(second, milestone, data)
    assert unchosen.status_code == 409
    assert "Choose whose title to keep" in unchosen.content.decode()
    assert Milestone.objects.get(pk=milestone.pk).title == "Theirs"

    assert submit(second, milestone, data, **{"choose-title": "yours"}).status_code == 302
    assert Milestone.objects.get(pk=milestone.pk).title == "Yours"


def test_choosing_theirs_takes_it_from_the_record_not_from_the_page(two_editors):
    first, second = two_editors
    milestone = MilestoneFactory(baseline_date=BASELINE, title="Guidance issued")
    opened_by_first, opened_by_second = (opened_form(c, milestone) for c in two_editors)
    submit(first, milestone, opened_by_first, title="Theirs")
    data, _ = read_form(submit(second, milestone, opened_by_second, title="Yours"))
    # Whatever the page's field holds (even the old title typed back), "theirs" is the record's.
    submit(second, milestone, data, title="Guidance issued", **{"choose-title": "theirs"})
    assert Milestone.objects.get(pk=milestone.pk).title == "Theirs"


def test_a_forged_opened_state_is_not_honoured(two_editors):
    first, second = two_editors
    milestone = MilestoneFactory(baseline_date=BASELINE, title="Guidance issued")
    opened_by_first, opened_by_second = (opened_form(c, milestone) for c in two_editors)
    submit(first, milestone, opened_by_first, title="Theirs")
    # Claiming to have opened the current version, with a token that does not verify.
    forged = opened_by_second.copy()
    forged["opened"] = forged["opened"][:-3] + "abc"
    forged["version"] = str(Milestone.objects.get(pk=milestone.pk).version)
    response = submit(second, milestone, forged, description="Mine")
    # Not honoured: what the form was opened from is unknown, so every value that differs from
    # the saved one (the stale title, the new description) is put to the user to choose.
    assert response.status_code == 409
    assert "could not be matched to the version" in response.content.decode()
    _, choices = read_form(response)
    assert set(choices) == {"choose-title", "choose-description"}
    assert Milestone.objects.get(pk=milestone.pk).title == "Theirs"
    # Leaving the token out altogether is no different.
    del forged["opened"]
    assert submit(second, milestone, forged, description="Mine").status_code == 409
    assert Milestone.objects.get(pk=milestone.pk).title == "Theirs"


# --- No sequence of the page's own buttons writes back the values they replaced -----------------

# For each field: who changed it (nobody, they, you, both the same, both differently).
CHANGES = ("none", "theirs", "yours", "same", "different")
FIELDS = {
    "title": ("Guidance issued", "Their title", "Your title"),
    "description": ("Base text", "Their text", "Your text"),
    "forecast_date": (BASELINE.isoformat(), FORECAST_A, FORECAST_B),
}


def _edits(change, field):
    base, theirs, yours = FIELDS[field]
    return {
        "none": (None, None),
        "theirs": (theirs, None),
        "yours": (None, yours),
        "same": (theirs, theirs),
        "different": (theirs, yours),
    }[change]


@pytest.mark.parametrize(
    "combination",
    list(itertools.product(CHANGES, repeat=2)),
    ids=lambda combination: "-".join(combination),
)
def test_no_button_sequence_writes_back_what_they_replaced(two_editors, combination):
    first, second = two_editors
    pair = ("title", "forecast_date")
    # The choices matter only where both changed a field differently; elsewhere Save is the
    # only button.
    sequences = ("theirs", "yours", "unchosen-then-theirs", "unchosen-then-yours")
    for sequence in sequences if "different" in combination else sequences[:1]:
        milestone = MilestoneFactory(
            baseline_date=BASELINE, title=FIELDS["title"][0], description=FIELDS["description"][0]
        )
        opened_by_first, opened_by_second = (opened_form(c, milestone) for c in two_editors)
        theirs, yours = {}, {}
        for field, change in zip(pair, combination, strict=True):
            their_value, your_value = _edits(change, field)
            if their_value is not None:
                theirs[field] = their_value
            if your_value is not None:
                yours[field] = your_value
        if "forecast_date" in theirs:
            theirs["reason"] = "Their reason"
        if "forecast_date" in yours:
            yours["reason"] = "Your reason"
        if theirs:
            assert submit(first, milestone, opened_by_first, **theirs).status_code == 302
        after_theirs = Milestone.objects.get(pk=milestone.pk)
        response = submit(second, milestone, opened_by_second, **yours)
        # Press the page's buttons: unchosen first when the sequence says so, then the choice.
        left_unchosen = not sequence.startswith("unchosen")
        for _ in range(3):
            if response.status_code != 409:
                break
            data, choices = read_form(response)
            if not left_unchosen and choices:
                left_unchosen = True
                response = submit(second, milestone, data)
                assert Milestone.objects.get(pk=milestone.pk).version == after_theirs.version
                continue
            choice = sequence.split("-")[-1]
            response = submit(second, milestone, data, **dict.fromkeys(choices, choice))
        assert response.status_code == 302, (sequence, response.status_code)
        saved = Milestone.objects.get(pk=milestone.pk)
        for field in theirs.keys() - {"reason"}:
            base = FIELDS[field][0]
            value = getattr(saved, field)
            value = value.isoformat() if isinstance(value, datetime.date) else value
            assert value != base, (sequence, field, "their change was undone")
            if field not in yours or sequence.endswith("theirs"):
                assert value == theirs[field], (sequence, field)
        for field in yours.keys() - {"reason"}:
            if field not in theirs or sequence.endswith("yours"):
                value = getattr(saved, field)
                value = value.isoformat() if isinstance(value, datetime.date) else value
                assert value == yours[field], (sequence, field, "your change was lost")
        assert saved.version >= after_theirs.version
