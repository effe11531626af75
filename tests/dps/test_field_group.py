"""Fields drawn in Python (dps.field_group) give exactly the HTML govuk_field.html gives: on every
form of the demo's list, create and report pages, blank, filled and with errors."""

import pytest
from django import forms
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.forms.renderers import TemplatesSetting
from django.urls import reverse
from django_filters import FilterSet

from dps.field_group import DRAWN_HERE, GovukFormRenderer, field_group, form_body
from dps.templatetags.govuk import govuk_field_kind
from tests.dps.test_table_body import LIST_PAGES

pytestmark = pytest.mark.django_db

FORM_PAGES = [
    "presentations:delivery-create",
    "presentations:statistics",
    "presentations:delivery-import",
    "pssp:review-create",
    "pssp:comparison",
    "pssp:coverage",
    "pssp:tasking-create",
    "pssp:report-create",
    "pssp:meeting-create",
    "pssp:outcome-create",
    "pssp:event-create",
    "reports:report-create",
]
# Values every filter or form field turns down, so the error branch is compared too.
BAD_VALUES = dict.fromkeys(
    ("delivered_from", "month", "borough", "presenter", "attendees", "year", "start"), '"<b>&'
)


def by_template(field):
    renderer = GovukFormRenderer()
    return TemplatesSetting.render(renderer, renderer.field_template_name, field.get_context())


def form_by_template(form):
    renderer = GovukFormRenderer()
    return TemplatesSetting.render(renderer, renderer.form_template_name, form.get_context())


def forms_in(context):
    found = {}
    for each in context if isinstance(context, list) else [context]:
        for value in each.flatten().values():
            if isinstance(value, FilterSet):
                value = value.form
            if isinstance(value, forms.BaseForm):
                found[id(value)] = value
    return found.values()


@pytest.fixture
def demo(settings):
    settings.DEBUG = True  # load_demo refuses to run outside the embedded demo
    call_command("load_demo")
    settings.DEBUG = False


def test_every_form_field_is_drawn_as_the_template_draws_it(demo, client):
    client.force_login(get_user_model().objects.get(username="planner"))
    kinds, with_errors, forms_with_errors = set(), 0, 0
    for url_name in LIST_PAGES + FORM_PAGES:
        url = reverse(url_name)
        responses = [client.get(url), client.get(url, BAD_VALUES)]
        if url_name in FORM_PAGES:
            responses.append(client.post(url, BAD_VALUES))
        for response in responses:
            # A form page may turn down bad query parameters (400) or redirect after a post.
            assert response.status_code in (200, 302, 400), url_name
            if response.status_code != 200:
                continue
            for form in forms_in(response.context):
                assert form_body(form) == form_by_template(form), url_name
                forms_with_errors += bool(form.errors)
                for field in form.visible_fields():
                    drawn = field_group(field)
                    kinds.add(govuk_field_kind(field))
                    with_errors += bool(field.errors)
                    assert drawn == by_template(field), (url_name, field.name)
    assert kinds == DRAWN_HERE, "the demo's forms have every kind drawn here"
    assert with_errors > 5, "fields with errors were compared"
    assert forms_with_errors > 3, "forms with an error summary were compared"


class Hostile(forms.Form):
    name = forms.CharField(label='Name <b>"&', help_text="Like <i>this</i> & that")
    when = forms.DateField(label="When", help_text="")
    pick = forms.ChoiceField(choices=[("<a>", "A & <b>")], label="Pick")


def test_labels_hints_errors_and_values_are_escaped_once():
    form = Hostile({"name": "x" * 3 + '"<script>', "when": "not a date", "pick": "nope"})
    form.renderer = GovukFormRenderer()
    form.is_valid()
    for field in form.visible_fields():
        assert field_group(field) == by_template(field), field.name
    html = form["name"].as_field_group()
    assert "Name &lt;b&gt;&quot;&amp;" in html
    assert "Like &lt;i&gt;this&lt;/i&gt; &amp; that" in html
    assert 'value="xxx&quot;&lt;script&gt;"' in html
    assert "<script>" not in html
    assert 'id="id_when-error" class="govuk-error-message"' in form["when"].as_field_group()


GROUPED = [("", "None of these"), ("<x>", 'X & "y"'), ("Units", [(3, "<Marine>"), (4, "Dog")])]


class Options(forms.Form):
    many = forms.MultipleChoiceField(
        label="Many <b>", choices=GROUPED, widget=forms.CheckboxSelectMultiple, help_text="<i>"
    )
    one = forms.ChoiceField(choices=GROUPED, widget=forms.RadioSelect(attrs={"inline": True}))
    own_id = forms.ChoiceField(
        choices=GROUPED, required=False, widget=forms.RadioSelect(attrs={"id": "mine"})
    )
    yes = forms.BooleanField(label="Yes & <no>", help_text="Tick <b>it</b>")
    maybe = forms.BooleanField(required=False, initial=True)


def _same_both_ways(form):
    form.renderer = GovukFormRenderer()
    for field in form.visible_fields():
        assert field_group(field) == by_template(field), field.name
        assert field.as_field_group() == by_template(field), field.name


@pytest.mark.parametrize(
    "data",
    [
        None,
        {},
        {"many": ["<x>", "4", "nope"], "one": "3", "own_id": "", "yes": "on"},
        {"many": ["3"], "one": "<x>", "own_id": "<x>", "maybe": ""},
        {"one": "nope", "own_id": "nope"},
    ],
)
def test_radios_and_checkboxes_are_drawn_as_the_template_draws_them(data):
    if data is None:
        forms_drawn = [Options(initial={"one": "4", "many": [3], "yes": True}), Options()]
    else:
        forms_drawn = [Options(data), Options(data, prefix="p<", auto_id="f_%s")]
    for form in forms_drawn:
        form.is_valid()  # the errors, when bound
        _same_both_ways(form)


def test_option_ids_labels_and_checked_state():
    form = Options({"many": ["<x>", "4"], "one": "3"})
    form.renderer = GovukFormRenderer()
    form.is_valid()
    many, one, own_id = (form[name].as_field_group() for name in ("many", "one", "own_id"))
    assert 'id="id_many_1" name="many" type="checkbox" value="&lt;x&gt;" checked>' in many
    assert 'id="id_many_2_1" name="many" type="checkbox" value="4" checked>' in many
    assert 'for="id_many_2_0">&lt;Marine&gt;</label>' in many
    assert 'aria-describedby="id_many-hint"' in many
    assert 'id="id_one_2_0" name="one" type="radio" value="3" checked>' in one
    assert "govuk-radios--inline" in one and "govuk-radios--inline" not in own_id
    assert 'id="mine_0" name="own_id" type="radio" value=""' in own_id
    assert 'id="id_one-error"' not in one and 'aria-describedby="id_yes-hint id_yes-error"' in (
        form["yes"].as_field_group()
    )


def test_without_ids_options_are_drawn_as_the_template_draws_them():
    form = Options({"one": "3"}, auto_id=False)
    _same_both_ways(form)
    assert 'id="None"' in form["one"].as_field_group()  # what the template has always written


class WithHiddenAndAbove(Options):
    secret = forms.CharField(label="Secret <b>", widget=forms.HiddenInput)
    version = forms.IntegerField(widget=forms.HiddenInput, initial=3)

    def clean(self):
        raise forms.ValidationError('Above the form: "<b>" & more')


def test_the_form_is_drawn_as_its_template_draws_it_with_every_kind_of_error():
    for form in (
        WithHiddenAndAbove(),
        WithHiddenAndAbove({"one": "nope", "version": "x"}),
        WithHiddenAndAbove({"one": "3", "many": ["4"], "yes": "on", "secret": "s", "version": 1}),
        Hostile({"name": "x", "when": "not a date", "pick": "nope"}),
        Hostile(),
    ):
        form.renderer = GovukFormRenderer()
        assert form_body(form) == form_by_template(form)
        assert str(form) == form_by_template(form)
    html = str(WithHiddenAndAbove({"one": "nope", "version": "x"}, auto_id="f_%s"))
    assert "<li>Above the form: &quot;&lt;b&gt;&quot; &amp; more</li>" in html
    assert '<li><a href="#f_one_0">' in html and '<li><a href="#f_yes">' in html
    assert "<li>Secret &lt;b&gt;: " in html
