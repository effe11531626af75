"""Every URL the app defines, as nobody and as each role: the status each one must get.

The URLs come from the resolver, so a new page is in this test the moment it is routed: it fails
with "add a sample for <name>" until it has sample arguments here and a row in the table. The
table is written from reading the views (their permission decorators and `visible_to` lookups),
not from running them:

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

from tests.security.samples import SAMPLES, app_samples
from tests.security.support import (
    ADMIN_LOGIN,
    LOGIN,
    POST_URL_NAMES,
    RoleClients,
    all_routes,
    body_text,
    outcome,
)
from tests.security.world import COVERT_THEME_NAME, ROLES, SECRET

pytestmark = pytest.mark.django_db

ANON, STAFF, OTHER_STAFF, PLANNER, CLEARED, COMMITTEE, ADMIN, OUTSIDER = ROLES
# One of each role; OTHER_STAFF (jo.staff) is added where ownership matters.
SIGNED_IN = (STAFF, PLANNER, CLEARED, COMMITTEE, ADMIN, OUTSIDER)
UNCLEARED = tuple(role for role in ROLES if role not in (ANON, CLEARED))

# Who may open what (from dps/roles.py and the views' permission checks).
EVERYONE = SIGNED_IN
# presentations.view_delivery, pssp.view_*
LOG_READERS = (STAFF, OTHER_STAFF, PLANNER, CLEARED)
# themes.*, pssp.* and reports.* changes
PLANNERS = (PLANNER, CLEARED)
# reports.view_published_report
PAPER_READERS = (PLANNER, CLEARED, COMMITTEE)
# pssp.view_borough, pssp.view_product
REFERENCE_READERS = (STAFF, OTHER_STAFF, PLANNER, CLEARED, ADMIN)
# the sample session was logged by sam.staff (staff_user)
OWNER_OR_PLANNER = (STAFF, PLANNER, CLEARED)


def row(allowed, status=200, *, denied=403, anonymous=LOGIN, **exceptions):
    """`status` for the allowed roles, `denied` for the other signed-in ones."""
    expected = {role: status if role in allowed else denied for role in SIGNED_IN}
    expected[ANON] = anonymous
    expected.update(exceptions)
    return expected


def hidden(expected):
    """The same page for a covert record: whoever may open the page but is not cleared gets
    404, exactly as for a record that does not exist."""
    return {
        role: 404 if role in UNCLEARED and status in (200, 202, 302) else status
        for role, status in expected.items()
    }


THEME_PAGES = {name for name in SAMPLES if name.startswith("themes:")} | {
    "themes:programme",
    "themes:dashboard",
    "themes:milestone-list",
    "themes:risk-list",
    "themes:grid",
    "themes:timeline",
    "themes:calendar",
}

# name → expected row for GET. Covert variants are hidden(row) unless listed in VARIANT_ROWS.
GET_ROWS = {
    "home": row(EVERYONE),
    "sign-in": row((), anonymous=200, denied=302),  # signed in: straight on to the home page
    "sign-out": row(EVERYONE, 405),  # POST only (a link could sign people out)
    # The delivery log
    "presentations:index": row(LOG_READERS, 302),
    "presentations:delivery-list": row(LOG_READERS, **{OTHER_STAFF: 200}),
    "presentations:delivery-create": row(LOG_READERS, **{OTHER_STAFF: 200}),
    "presentations:delivery-detail": row(LOG_READERS, **{OTHER_STAFF: 200}),
    "presentations:delivery-edit": row(OWNER_OR_PLANNER, **{OTHER_STAFF: 403}),  # not jo.staff's
    "presentations:delivery-delete": row(OWNER_OR_PLANNER, **{OTHER_STAFF: 403}),
    "presentations:statistics": row(LOG_READERS),
    "presentations:delivery-import": row(PLANNERS),
    # PSSP: boroughs and products are reference data the administrator also keeps
    "pssp:borough-list": row(REFERENCE_READERS),
    "pssp:borough-detail": row(REFERENCE_READERS),
    "pssp:product-list": row(REFERENCE_READERS),
    "pssp:review-list": row(LOG_READERS),
    "pssp:review-create": row(PLANNERS),
    "pssp:comparison": row(LOG_READERS),
    "pssp:review-detail": row(LOG_READERS),
    "pssp:review-edit": row(PLANNERS),
    "pssp:review-delete": row(PLANNERS),
    "pssp:tasking-list": row(LOG_READERS),
    "pssp:tasking-create": row(PLANNERS),
    "pssp:tasking-detail": row(LOG_READERS),
    "pssp:tasking-edit": row(PLANNERS),
    "pssp:decision-create": row(PLANNERS),
    "pssp:decision-list": row(LOG_READERS),
    "pssp:decision-edit": row(PLANNERS),
    "pssp:decision-delete": row(PLANNERS),
    "pssp:report-list": row(LOG_READERS),
    "pssp:report-create": row(PLANNERS),
    "pssp:report-detail": row(LOG_READERS),
    "pssp:report-edit": row(PLANNERS),
    "pssp:report-upload": row(PLANNERS),
    "pssp:report-download": row(PLANNERS),  # pssp.download_boroughreport: not staff
    "pssp:report-step": row(PLANNERS),
    "pssp:plan-edit": row(PLANNERS),
    "pssp:action-create": row(PLANNERS),
    "pssp:action-edit": row(PLANNERS),
    "pssp:meeting-list": row(LOG_READERS),
    "pssp:meeting-create": row(PLANNERS),
    "pssp:coverage": row(LOG_READERS),
    "pssp:meeting-detail": row(LOG_READERS),
    "pssp:meeting-edit": row(PLANNERS),
    "pssp:meeting-delete": row(PLANNERS),
    "pssp:outcome-list": row(LOG_READERS),
    "pssp:outcome-create": row(PLANNERS),
    "pssp:outcome-detail": row(LOG_READERS),
    "pssp:outcome-edit": row(PLANNERS),
    "pssp:outcome-delete": row(PLANNERS),
    "pssp:event-list": row(LOG_READERS),
    "pssp:event-create": row(PLANNERS),
    "pssp:event-detail": row(LOG_READERS),
    "pssp:event-edit": row(PLANNERS),
    "pssp:event-delete": row(PLANNERS),
    # The programme and its themes: planning managers only
    **{name: row(PLANNERS) for name in THEME_PAGES},
    # The secret address is the credential: it works for anyone holding it, signed in or not.
    "themes:calendar-feed": row(EVERYONE, anonymous=200),
    # Committee reports
    "reports:index": row(PAPER_READERS),
    "reports:manage": row(PLANNERS),
    "reports:report-create": row(PLANNERS),
    "reports:highlight-create": row(PLANNERS),
    "reports:job-detail": row(PLANNERS),
    "reports:job-status": row(PLANNERS),
    "reports:job-pdf": row(PLANNERS),
    # Buttons on the report page: POST only, refused before anything else on GET.
    **{
        f"reports:{name}": row(EVERYONE, 405)
        for name in (
            "block-add",
            "block-remove",
            "report-approve",
            "report-return",
            "report-publish",
            "report-supersede",
            "report-render",
        )
    },
}
# (name, variant) → expected row, where the variant is not simply the page's row or hidden(row).
VARIANT_ROWS = {
    ("themes:calendar-feed", "wrong-token"): row(EVERYONE, 404, anonymous=404),
    # A draft is not there for the committee: 404, not 403, so they cannot tell it exists.
    ("reports:report-detail", "draft"): row(PLANNERS, **{COMMITTEE: 404}),
    ("reports:report-detail", "published"): row(PAPER_READERS),
    ("reports:report-detail", "covert"): hidden(row(PAPER_READERS)),
    ("reports:report-edit", "draft"): row(PLANNERS),
    ("reports:report-edit", "published"): row((), denied=403),  # published: never changed
    ("reports:report-edit", "covert"): hidden(row(PLANNERS)),
    ("reports:report-preview", "draft"): row(PLANNERS, **{COMMITTEE: 404}),
    ("reports:report-preview", "published"): row(PAPER_READERS),
    ("reports:report-preview", "covert"): hidden(row(PAPER_READERS)),
    # Only a published report has a PDF.
    ("reports:report-pdf", "draft"): row(
        (), denied=403, **{PLANNER: 404, CLEARED: 404, COMMITTEE: 404}
    ),
    ("reports:report-pdf", "published"): row(PAPER_READERS),
    ("reports:report-pdf", "covert"): hidden(row(PAPER_READERS)),
}

# POST-only views: what a POST (with the CSRF token, empty form) comes to. Each redirects back
# to the report (or on to its new job or version) once done or refused with a message.
POST_ONLY_ROWS = {
    "sign-out": row((), denied=LOGIN),  # signed out, then on to the sign-in page
    **{
        f"reports:{name}": row(PLANNERS, 302)
        for name in (
            "block-add",
            "block-remove",
            "report-approve",
            "report-return",
            "report-publish",
            "report-supersede",
            "report-render",
        )
    },
}
# A POST to a page with a form, by someone allowed, is answered with the form again (200, with
# errors), a conflict (409), or a redirect once saved or deleted; never with a server error.
ACCEPTED = {200, 302, 400, 409}


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
    "pssp.borough": "vacd",
    "pssp.product": "vacd",
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
        "admin:pssp_borough_changelist",
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
