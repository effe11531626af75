"""Every URL the app defines, as nobody and as each role: the status each one must get.

The URLs come from the resolver, so a new page is in this test the moment it is routed: it fails
with "add a sample for <name>" until it has sample arguments (samples.py) and a row in the table
(expectations.py). The table is written from reading the views (their permission decorators and
`visible_to` lookups), not from running them:

- nobody signed in is sent to sign in, except on the sign-in page and the calendar feed (whose
  secret address stands in for a session);
- DPS staff read the delivery log and PSSP records and log sessions (their own to correct),
  but open no planner page (403); the planning manager opens everything; committee members only
  published committee papers; administrators boroughs and products, and the Django admin;
- anything of the restricted (covert) theme is a 404 for everyone not cleared for it, as if it
  did not exist: planners, staff and committee members alike.

Each page also must not name the covert theme or its records to an uncleared user.

jo.staff (a second DPS staff member) is tried only on the delivery log, where being the one who
logged a session matters; elsewhere DPS staff are represented by sam.staff.
"""

import pytest
from django.contrib import admin
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.urls import reverse

from tests.security.expectations import (
    ACCEPTED,
    ADMIN,
    ANON,
    CLEARED,
    COMMITTEE,
    GET_ROWS,
    OTHER_STAFF,
    OUTSIDER,
    PLANNER,
    POST_ONLY_ROWS,
    STAFF,
    UNCLEARED,
    VARIANT_ROWS,
    hidden,
)
from tests.security.samples import app_samples
from tests.security.support import (
    ADMIN_LOGIN,
    LOGIN,
    POST_URL_NAMES,
    RoleClients,
    all_routes,
    body_text,
    outcome,
)
from tests.security.world import COVERT_THEME_NAME, SECRET

pytestmark = pytest.mark.django_db


class Case:
    def __init__(self, sample, expected):
        self.sample, self.expected = sample, expected
        self.name, self.variant = sample.name, sample.variant

    def __str__(self):
        return str(self.sample)

    def url(self, world):
        return self.sample.url(world)


def _app_cases():
    cases = []
    for sample in app_samples():
        expected = VARIANT_ROWS.get((sample.name, sample.variant))
        if expected is None and sample.name in GET_ROWS:
            base = GET_ROWS[sample.name]
            expected = hidden(base) if sample.variant == "covert" else base
        cases.append(Case(sample, expected))
    return cases


APP_CASES = _app_cases()


@pytest.fixture(scope="module")
def clients(world, django_db_blocker):
    with django_db_blocker.unblock():
        return RoleClients(world.users)


def _visit(clients, url, roles, method="get"):
    """Each role in turn. A POST runs in a savepoint rolled back after it, so one role's POST
    (a delete, say) does not change what the next role finds."""
    responses = {}
    for role in roles:
        if method == "get":
            responses[role] = clients[role].get(url)
            continue
        with transaction.atomic():
            responses[role] = clients[role].post(url)
            transaction.set_rollback(True)
    return {role: outcome(response) for role, response in responses.items()}, responses


def _leaks(responses):
    """Uncleared roles whose page names the covert theme or one of its records."""
    found = {}
    for role in UNCLEARED:
        response = responses.get(role)
        if response is None:
            continue
        text = body_text(response)
        for secret in (SECRET, COVERT_THEME_NAME):
            if secret in text:
                found[role] = secret
    return found


@pytest.mark.parametrize("case", APP_CASES, ids=str)
def test_get_gives_each_role_what_the_table_says(case, world, clients):
    assert case.sample.kwargs is not None, f"add a sample for {case.name} (in samples.py)"
    assert case.expected is not None, f"add {case} to GET_ROWS: who may open it?"
    url = case.url(world)
    actual, responses = _visit(clients, url, case.expected)
    assert actual == case.expected, url
    assert not _leaks(responses), f"{url} names the covert theme"


POST_CASES = [
    case for case in APP_CASES if case.name in POST_URL_NAMES and case.sample.kwargs is not None
]


@pytest.mark.parametrize("case", POST_CASES, ids=str)
def test_post_is_refused_exactly_where_get_is(case, world, clients):
    """Every role POSTs an empty form: refused as on GET, or handled without a server error."""
    url = case.url(world)
    actual, _ = _visit(clients, url, case.expected, method="post")
    if case.name in POST_ONLY_ROWS:
        expected = POST_ONLY_ROWS[case.name]
        if case.variant == "covert":
            expected = hidden(expected)
        assert actual == expected, url
        return
    for role, status in case.expected.items():
        if status == 200:
            assert actual[role] in ACCEPTED, (url, role, actual[role])
        else:
            assert actual[role] == status, (url, role, actual[role])


# --- The Django admin ---------------------------------------------------------------------------

# What the administrator may do per registered model (dps/roles.py): view, add, change, delete.
# Axes' own admin offers no "add" (attempts are recorded, never typed in).
ADMINISTRATOR_MAY = {
    "auth.user": "vacd",
    "auth.group": "vacd",
    "axes.accessattempt": "vcd",
    "axes.accesslog": "vcd",
    "axes.accessfailurelog": "vcd",
    "dps.borough": "vacd",
    "dps.product": "vacd",
    "pssp.source": "vacd",
    "themes.programme": "vc",
    "themes.supportingarea": "vc",
    "reports.committee": "vacd",
}
ADMIN_SITE_ROWS = {
    "admin:index": 200,
    "admin:login": 302,  # already signed in: on to the admin index
    "admin:logout": 405,  # POST only
    "admin:password_change": 200,
    "admin:password_change_done": 200,
    "admin:jsi18n": 200,
    "admin:autocomplete": 403,  # no field to complete was named
    "admin:app_list": 200,
    "admin:view_on_site": 302,
    "<unnamed admin/(?P<url>.*)$>": 404,
}


# Every admin URL is tried as nobody, as the administrator, and as the cleared planning manager,
# the most trusted user who is not admin staff; the test after it shows every other role is
# turned away from the admin exactly as the planner is.
ADMIN_ROLES = (ANON, CLEARED, ADMIN)
NOT_ADMIN_STAFF = (STAFF, OTHER_STAFF, PLANNER, CLEARED, COMMITTEE, OUTSIDER)


def _admin_row(for_administrator, name, roles=ADMIN_ROLES):
    """Everyone but the administrator is turned away by the admin site itself. Nobody signed in
    is sent to sign in: by the admin's own pages to the admin sign-in, by a model's pages to
    the app's (LoginRequiredMiddleware, as on every page)."""
    expected = dict.fromkeys(roles, ADMIN_LOGIN)
    expected[ANON] = ADMIN_LOGIN if name in ADMIN_SITE_ROWS else LOGIN
    if ADMIN in roles:
        expected[ADMIN] = for_administrator
    if name == "admin:login":
        expected.update({role: 200 for role in roles if role != ADMIN})
    if name == "admin:logout":
        # to the admin index (and from there to its sign-in)
        expected.update({role: 302 for role in roles if role not in (ANON, ADMIN)})
    return expected


def _admin_cases():
    cases = {}
    for model in admin.site._registry:
        meta = model._meta
        label = f"{meta.app_label}.{meta.model_name}"
        may = ADMINISTRATOR_MAY.get(label, "")
        prefix = f"admin:{meta.app_label}_{meta.model_name}"

        def object_id(world, model=model):
            return {"object_id": model._default_manager.order_by("pk").first().pk}

        def history_entry(world, model=model):
            entry = model.history.order_by("history_id").first()
            if entry is None:  # reference data from migrations has no audit trail yet
                model._default_manager.order_by("pk").first().save()
                entry = model.history.order_by("history_id").first()
            return {"args": [getattr(entry, model._meta.pk.attname), entry.history_id]}

        for action, needs, sample in (
            ("changelist", "v", lambda world: {}),
            ("add", "a", lambda world: {}),
            ("change", "v", object_id),
            ("history", "v", object_id),
            ("delete", "d", object_id),
        ):
            allowed = needs in may or (needs == "v" and "c" in may)
            cases[f"{prefix}_{action}"] = (sample, 200 if allowed else 403)
        if hasattr(model, "history"):  # django-simple-history: one past version of a record
            cases[f"{prefix}_simple_history"] = (history_entry, 200 if "v" in may else 403)
        if label == "auth.user":
            cases["admin:auth_user_password_change"] = (
                lambda world: {"id": world.users[ADMIN].pk},
                200,
            )
        # <pk>/ only redirects to <pk>/change/, which checks the permission.
        cases[f"<unnamed admin/{meta.app_label}/{meta.model_name}/(?P<object_id>.+)/\\Z>"] = (
            object_id,
            302,
        )
    samples = {
        "admin:app_list": lambda world: {"app_label": "pssp"},
        "admin:view_on_site": lambda world: {
            "content_type_id": ContentType.objects.get_for_model(world.open["outcome"]).pk,
            "object_id": world.open["outcome"].pk,
        },
        "<unnamed admin/(?P<url>.*)$>": lambda world: {"url": "no-such-page/"},
    }
    for name, status in ADMIN_SITE_ROWS.items():
        cases[name] = (samples.get(name, lambda world: {}), status)
    return cases


ADMIN_CASES = _admin_cases()


def test_every_admin_url_has_a_row():
    routes = {route.name for route in all_routes() if "admin" in route.name.split(":")[0]}
    routes |= {route.name for route in all_routes() if route.name.startswith("<unnamed admin/")}
    missing = sorted(routes - set(ADMIN_CASES))
    assert not missing, f"add a sample for {missing[0]} (and {len(missing) - 1} more)"


def _admin_url(name, kwargs):
    if name.startswith("<unnamed admin/"):
        if "url" in kwargs:
            return f"/admin/{kwargs['url']}"
        regex = name.removeprefix("<unnamed ").removesuffix(">")
        return "/" + regex.replace("(?P<object_id>.+)", str(kwargs["object_id"])).removesuffix(
            "\\Z"
        )
    if "args" in kwargs:
        return reverse(name, args=kwargs["args"])
    return reverse(name, kwargs=kwargs)


@pytest.mark.parametrize("name", sorted(ADMIN_CASES))
def test_admin_is_for_the_administrator_only(name, world, clients):
    sample, for_administrator = ADMIN_CASES[name]
    url = _admin_url(name, sample(world))
    expected = _admin_row(for_administrator, name)
    actual, responses = _visit(clients, url, expected)
    assert actual == expected, url
    assert not _leaks(responses), f"{url} names the covert theme"


@pytest.mark.parametrize(
    "name",
    [
        "admin:index",
        "admin:login",
        "admin:dps_borough_changelist",
        "admin:themes_theme_change",
        "admin:auth_user_add",
        "<unnamed admin/(?P<url>.*)$>",
    ],
)
def test_no_role_but_the_administrator_gets_into_the_admin(name, world, clients):
    sample, for_administrator = ADMIN_CASES[name]
    url = _admin_url(name, sample(world))
    expected = _admin_row(for_administrator, name, roles=(ANON, *NOT_ADMIN_STAFF))
    actual, _ = _visit(clients, url, expected)
    assert actual == expected, url
