"""Helpers shared by the security tests: every URL the app defines, signed-in clients, and
checks on the HTML a page (or a PDF's source) contains."""

import io
import re
from dataclasses import dataclass
from html.parser import HTMLParser

from django.conf import settings
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

from tests.security.world import ROLES

# The buttons on a report's page: each is a POST-only URL.
REPORT_BUTTONS = (
    "block-add",
    "block-remove",
    "report-approve",
    "report-return",
    "report-publish",
    "report-supersede",
    "report-render",
)


@dataclass(frozen=True)
class Route:
    """One URL pattern: its reversible name (or its regex, if unnamed) and its parameters."""

    name: str
    regex: str
    params: tuple
    callback: object

    def __str__(self):
        return self.name


def _walk(patterns, regex_prefix="", namespace="", params=()):
    for entry in patterns:
        regex = regex_prefix + entry.pattern.regex.pattern.lstrip("^")
        regex_of = entry.pattern.regex
        positional = regex_of.groups - len(regex_of.groupindex)
        found = params + tuple(regex_of.groupindex) + tuple(f"#{i}" for i in range(positional))
        if isinstance(entry, URLResolver):
            inner = ":".join(part for part in (namespace, entry.namespace or "") if part)
            yield from _walk(entry.url_patterns, regex, inner, found)
        elif isinstance(entry, URLPattern):
            if entry.name:
                name = f"{namespace}:{entry.name}" if namespace else entry.name
            else:
                name = f"<unnamed {regex}>"
            yield Route(name, regex, tuple(sorted(set(found))), entry.callback)


def all_routes():
    """Every URL pattern of the project, walked from the root resolver (includes recursed)."""
    return list(_walk(get_resolver().url_patterns))


def view_of(route):
    """The view function or class behind a route, through decorators and as_view()."""
    callback = route.callback
    view_class = getattr(callback, "view_class", None)
    if view_class is not None:
        return view_class
    while hasattr(callback, "__wrapped__"):
        callback = callback.__wrapped__
        if getattr(callback, "view_class", None) is not None:
            return callback.view_class
    return callback


# --- Clients ------------------------------------------------------------------------------------


class RoleClients:
    """A test client per role (`clients[role]`), signed in once per test module.

    A test may sign a client out (the sign-out URL) or the session may be flushed; each
    `clients[role]` clears the client's cookies and puts the module's session cookie back, so
    every test starts signed in and without a CSRF cookie.
    """

    def __init__(self, users, **client_kwargs):
        self.clients = {}
        self.cookies = {}
        for role in ROLES:
            client = Client(**client_kwargs)
            if role != "anonymous":
                client.force_login(users[role])
                self.cookies[role] = client.cookies[settings.SESSION_COOKIE_NAME].value
            self.clients[role] = client

    def __getitem__(self, role):
        client = self.clients[role]
        client.cookies.clear()
        if role in self.cookies:
            client.cookies[settings.SESSION_COOKIE_NAME] = self.cookies[role]
        return client


# --- Every page, once ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Page:
    name: str
    url: str
    status: int
    headers: dict
    html: str  # empty unless the response is an HTML page


def crawl_app(world):
    from django.urls import reverse

    from tests.security.samples import app_samples

    planner = Client()
    planner.force_login(world.users["cleared_planner"])
    visits = [
        (sample.name, sample.url(world), planner)
        for sample in app_samples()
        if sample.kwargs is not None and sample.name != "sign-in"
    ]
    visits.append(("sign-in", reverse("sign-in"), Client()))
    pages = []
    for name, url, client in visits:
        response = client.get(url)
        html = body_text(response) if is_html(response) else ""
        pages.append(Page(name, url, response.status_code, dict(response.items()), html))
    return pages


# --- What a response came to --------------------------------------------------------------------

LOGIN = "→ sign-in"  # a redirect to the app's sign-in page
ADMIN_LOGIN = "→ admin sign-in"  # a redirect to the Django admin's sign-in page


def outcome(response):
    """A response as the matrix states it: a status code, or where a sign-in redirect goes."""
    if response.status_code == 302:
        location = response["Location"]
        if location.startswith(settings.LOGIN_URL) or location.startswith("/sign-in/"):
            return LOGIN
        if location.startswith("/admin/login/"):
            return ADMIN_LOGIN
    return response.status_code


def is_html(response):
    return response.get("Content-Type", "").startswith("text/html")


def body_text(response):
    if getattr(response, "streaming", False):
        return b"".join(response.streaming_content).decode("utf-8", "replace")
    return response.content.decode("utf-8", "replace")


# --- Reading HTML -------------------------------------------------------------------------------

DANGEROUS_SCHEMES = ("javascript:", "vbscript:", "data:text/html")
URL_ATTRIBUTES = {"href", "src", "action", "formaction", "xlink:href", "data", "poster"}


class _Scanner(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.live = []  # injected markup that would run: (tag, attribute or text)
        self.scripts = []  # (attributes, text) of each <script>
        self.forms = []  # (attributes, [input attributes]) of each <form>
        self._script = None

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        for name, value in attrs:
            if name.startswith("on"):
                self.live.append((tag, f"{name}={value}"))
            compact = re.sub(r"[\s\x00-\x1f]", "", value or "").lower()
            if name in URL_ATTRIBUTES and compact.startswith(DANGEROUS_SCHEMES):
                self.live.append((tag, f"{name}={value}"))
        if tag == "img" and attributes.get("src") == "x":
            self.live.append((tag, "src=x"))
        if tag == "script":
            self._script = [attributes, ""]
            self.scripts.append(self._script)
        if tag == "form":
            self.forms.append((attributes, []))
        if tag in ("input", "button", "textarea", "select") and self.forms:
            self.forms[-1][1].append(attributes)

    def handle_endtag(self, tag):
        if tag == "script":
            self._script = None

    def handle_data(self, data):
        if self._script is not None:
            self._script[1] += data
            if "alert(" in data:
                self.live.append(("script", data.strip()[:80]))


def scan(html):
    scanner = _Scanner()
    scanner.feed(html)
    scanner.close()
    return scanner


def live_injections(html):
    """Markup in `html` that would run script: on* handlers, javascript: URLs, <script>alert,
    <img src=x>. The app itself uses none of these (its CSP would block them anyway)."""
    return scan(html).live


def post_forms(html):
    """Each <form method="post"> as (action, names of its inputs)."""
    return [
        (attributes.get("action"), [field.get("name") for field in fields])
        for attributes, fields in scan(html).forms
        if (attributes.get("method") or "get").lower() == "post"
    ]


def pdf_text(pdf_bytes):
    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(pdf_bytes))
    return "\n".join(page.extract_text() or "" for page in reader.pages)


def squeeze(text):
    """Text without any whitespace: a PDF wraps lines wherever it likes."""
    return re.sub(r"\s+", "", text)


# --- Which URLs take a POST ---------------------------------------------------------------------

# Every URL whose view acts on a POST (read from the views; test_csrf.py proves the list is
# complete: every form on every page posts to one of these, and every POST-only view is here).
POST_URL_NAMES = frozenset(
    {
        "sign-in",
        "sign-out",
        "notice-preferences",
        "presentations:delivery-create",
        "presentations:delivery-edit",
        "presentations:delivery-delete",
        "presentations:delivery-import",
        *(
            f"pssp:{name}"
            for name in (
                "review-create",
                "review-edit",
                "review-delete",
                "tasking-create",
                "tasking-edit",
                "decision-create",
                "decision-edit",
                "decision-delete",
                "report-create",
                "report-edit",
                "report-upload",
                "report-step",
                "plan-edit",
                "action-create",
                "action-edit",
                "meeting-create",
                "meeting-edit",
                "meeting-delete",
                "outcome-create",
                "outcome-edit",
                "outcome-delete",
                "event-create",
                "event-edit",
                "event-delete",
            )
        ),
        *(
            f"themes:{name}"
            for name in (
                "theme-edit",
                "tolerances",
                "deliverable-create",
                "deliverable-edit",
                "milestone-create",
                "milestone-edit",
                "status-create",
                "risk-create",
                "risk-edit",
                "assumption-create",
                "assumption-edit",
                "issue-create",
                "issue-edit",
                "decision-create",
                "decision-detail",  # adds an action to the decision
                "action-edit",
                "benefit-create",
                "benefit-detail",  # records a measurement
                "finance-create",
                "finance-edit",
                "calendar",  # resets the secret feed address
            )
        ),
        *(
            f"reports:{name}"
            for name in ("report-create", "highlight-create", "report-edit", *REPORT_BUTTONS)
        ),
    }
)
