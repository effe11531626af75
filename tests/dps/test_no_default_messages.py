"""No page of the service shows one of Django's default validation messages.

Every form of the product (every page of every URL, as the cleared planning manager, the log's
pages as staff too, and the sign-in page) is submitted empty and with two sets of bad values, and
every filter form is read with bad values; no answer may contain a sentence Django writes itself
("This field is required.", "Ensure this value is greater than or equal to 0.", "Enter a valid
date.", "Select a valid choice. …"). The sentences are read from Django's own fields and
validators, not typed here, so a new kind of field is covered too.
"""

import html
import inspect
import re

import pytest
from django.core import validators
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import models, transaction
from django.db.models import fields as model_fields
from django.forms import fields as form_fields
from django.forms import models as form_models
from django.test import Client
from django.urls import reverse

from dps import forms as dps_forms
from tests.security.samples import app_samples
from tests.security.support import scan
from tests.security.world import module_world

pytestmark = pytest.mark.django_db


class _AnyNumber(dict):
    def __missing__(self, key):
        return 7


def _sentences(message):
    """The fixed words of one message template, split where a value goes in."""
    text = message % _AnyNumber() if "%(" in str_or_empty(message) else str_or_empty(message)
    parts = re.split(r"\d+|\{\w+\}|%s", text)
    return {part.strip(" “”\"'") for part in parts if len(part.strip(" “”\"'")) >= 12}


def str_or_empty(message):
    try:
        return str(message)
    except (KeyError, TypeError):
        # ngettext_lazy keyed on a number: str() needs the number.
        return str(message % _AnyNumber())


def django_default_messages():
    """Every default message of Django's form fields, model fields and validators."""
    found = set()
    for module in (form_fields, form_models, model_fields, models.fields.related, validators):
        for value in vars(module).values():
            owner = value if inspect.isclass(value) else type(value)
            for message in getattr(owner, "default_error_messages", {}).values():
                found |= _sentences(message)
            message = getattr(value, "message", None)
            if message is not None and module is validators:
                found |= _sentences(message)
    return found


DEFAULTS = django_default_messages()


def test_the_default_messages_are_read_from_django():
    assert "This field is required." in DEFAULTS
    assert "Ensure this value is greater than or equal to" in DEFAULTS
    assert "Enter a valid date." in DEFAULTS
    assert "Select a valid choice. That choice is not one of the available choices." in DEFAULTS
    assert len(DEFAULTS) > 30


def defaults_in(response):
    content = response.content.decode("utf-8", "replace") if not response.streaming else ""
    text = html.unescape(content)
    return sorted(message for message in DEFAULTS if message in text)


# --- What is submitted --------------------------------------------------------------------------

BAD_VALUES = {
    # input type → a value no field of that kind accepts (two rounds)
    "number": ("-1", "1.5e99x"),
    "date": ("31/02/2008", "not a date"),
    "email": ("not an address", "@"),
    "text": ("x" * 5000, "\x00"),
    "textarea": ("x" * 100_001, "\x00"),
    "choice": ("no-such-choice", "99999999"),
}


def _kind(field):
    tag = field.get("_tag", "input")
    if tag in ("select",):
        return "choice"
    if tag == "textarea":
        return "textarea"
    kind = (field.get("type") or "text").lower()
    if kind in ("radio", "checkbox"):
        return "choice"
    return kind


def submissions(fields):
    """(name, data) for: everything empty, then each round of bad values."""
    hidden = {
        field["name"]: field.get("value", "")
        for field in fields
        if field.get("name") and (field.get("type") or "").lower() == "hidden"
    }
    visible = [
        field
        for field in fields
        if field.get("name")
        and (field.get("type") or "").lower() not in ("hidden", "submit", "button")
        and field.get("name") != "csrfmiddlewaretoken"
    ]
    if not visible:
        return []  # a button (approve, delete…): nothing to fill in
    rounds = [("empty", dict(hidden))]
    for round_number in (0, 1):
        data = dict(hidden)
        for field in visible:
            kind = _kind(field)
            if kind == "file":
                data[field["name"]] = SimpleUploadedFile("empty.csv", b"")
            elif kind in BAD_VALUES:
                data[field["name"]] = BAD_VALUES[kind][round_number]
            else:
                data[field["name"]] = BAD_VALUES["text"][round_number]
        rounds.append((f"bad-{round_number + 1}", data))
    return rounds


def page_forms(content):
    """[(method, action, fields)] of the page, selects and textareas included."""
    found = []
    for attributes, inputs in scan(content).forms:
        method = (attributes.get("method") or "get").lower()
        found.append((method, attributes.get("action"), inputs))
    # scan() records the tag only by its attributes; mark selects and textareas by name.
    for tag in ("select", "textarea"):
        for name in re.findall(rf'<{tag}[^>]*\bname="([^"]+)"', content):
            for _method, _action, inputs in found:
                for field in inputs:
                    if field.get("name") == name and "type" not in field:
                        field["_tag"] = tag
    return found


# --- The pages ----------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker, tmp_path_factory):
    with module_world(django_db_blocker, tmp_path_factory.mktemp("private")) as built:
        yield built


SAMPLES = [sample for sample in app_samples() if sample.kwargs is not None]


def _personas(sample):
    personas = ["cleared_planner"]
    if sample.name.startswith("presentations:"):
        personas.append("staff_user")
    return personas


def _try_page(client, url):
    failures = []
    response = client.get(url)
    if response.status_code != 200 or response.streaming:
        return failures
    content = response.content.decode("utf-8", "replace")
    failures += [f"GET {url}: {message}" for message in defaults_in(response)]
    for method, action, fields in page_forms(content):
        target = action or url
        for round_name, data in submissions(fields):
            with transaction.atomic():
                if method == "post":
                    answer = client.post(target, data)
                else:
                    plain = {k: v for k, v in data.items() if isinstance(v, str)}
                    answer = client.get(target, plain)
                transaction.set_rollback(True)
            assert answer.status_code < 500, f"{method} {target} ({round_name}): 500"
            failures += [
                f"{method.upper()} {target} ({round_name}): {message}"
                for message in defaults_in(answer)
            ]
    return failures


@pytest.mark.parametrize("sample", SAMPLES, ids=str)
def test_no_form_of_the_page_shows_a_django_default_message(world, sample):
    failures = []
    for persona in _personas(sample):
        client = Client(raise_request_exception=False)
        client.force_login(world.users[persona])
        failures += _try_page(client, sample.url(world))
    assert not failures, "\n".join(sorted(set(failures)))


def test_the_sign_in_form_has_no_default_message(world):
    failures = _try_page(Client(raise_request_exception=False), reverse("sign-in"))
    assert not failures, "\n".join(failures)


def test_a_form_keeps_a_message_it_wrote_itself():
    from django import forms

    class Probe(dps_forms.Form):
        attendees = forms.IntegerField(
            label="Number of attendees",
            min_value=0,
            error_messages={"required": "Enter the number of attendees"},
        )

    assert Probe({}).errors["attendees"] == ["Enter the number of attendees"]
    assert Probe({"attendees": "-1"}).errors["attendees"] == [
        "Number of attendees must be 0 or more"
    ]
    assert Probe({"attendees": "x"}).errors["attendees"] == [
        "Number of attendees must be a whole number, like 12"
    ]


def test_the_log_form_says_what_each_field_needs(world):
    client = Client()
    client.force_login(world.users["staff_user"])
    page = client.post(reverse("presentations:delivery-create"), {"attendees": "-4"})
    text = html.unescape(page.content.decode())
    assert "Enter the date of the session" in text
    assert "Select the borough or unit where the session was given" in text
    assert "Attendees must be 0 or more" in text
    page = client.post(reverse("presentations:delivery-create"), {"attendees": "many"})
    assert "Enter the number of attendees as a whole number, like 25" in html.unescape(
        page.content.decode()
    )
