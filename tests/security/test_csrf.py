"""CSRF: every form carries the token, and every URL that acts on a POST refuses one without it.

Which URLs take a POST is listed in support.POST_URL_NAMES; the crawl below proves the list is
complete (every post form on every page targets a listed URL, and every POST-only view is
listed), and each listed URL is then posted to without the token.
"""

from urllib.parse import urlsplit

import pytest
from django.conf import settings
from django.middleware.csrf import get_token
from django.test import Client, RequestFactory
from django.urls import Resolver404, resolve, reverse

from pssp.models import BoroughReport
from tests.pssp.factories import pdf_upload
from tests.security.samples import SAMPLES
from tests.security.support import (
    POST_URL_NAMES,
    RoleClients,
    all_routes,
    post_forms,
)

pytestmark = pytest.mark.django_db

# Views exempt from the CSRF middleware, each with the reason it is still protected.
EXEMPT_BUT_RECHECKED = {
    # Exempt only so the upload size limit is in place before the body is read; the view it
    # calls is csrf_protect'ed (proved below with the other POST URLs).
    "pssp:report-upload",
}


def _signed_in(user, **kwargs):
    client = Client(**kwargs)
    if user is not None:
        client.force_login(user)
    return client


def _target(page_name, action):
    if not action:
        return page_name
    try:
        return resolve(urlsplit(action).path).view_name
    except Resolver404:
        return f"<unresolvable {action}>"


def test_the_crawl_saw_every_kind_of_page(crawl):
    assert len({page.name for page in crawl if page.status == 200 and page.html}) > 80


def test_every_post_form_carries_the_csrf_token(crawl):
    missing = [
        (page.url, action)
        for page in crawl
        for action, inputs in post_forms(page.html)
        if "csrfmiddlewaretoken" not in inputs
    ]
    assert not missing


def test_every_form_posts_to_a_url_listed_as_taking_posts(crawl):
    targets = {_target(page.name, action) for page in crawl for action, _ in post_forms(page.html)}
    assert targets - POST_URL_NAMES == set()
    # The crawl found forms for most of the list (the rest are buttons shown in other states,
    # e.g. "Publish" on an approved report).
    assert len(targets) >= 50


def test_every_post_only_view_is_listed(crawl):
    post_only = {
        page.name
        for page in crawl
        if page.status == 405 and "POST" in page.headers.get("Allow", "")
    }
    assert post_only, "the crawl should meet the report buttons"
    assert post_only - POST_URL_NAMES == set()


def test_no_view_skips_the_csrf_check_unless_it_checks_itself():
    exempt = {route.name for route in all_routes() if getattr(route.callback, "csrf_exempt", 0)}
    assert exempt == EXEMPT_BUT_RECHECKED


def _post_sample(name):
    variants = SAMPLES.get(name, {"": lambda world: {}})
    return next(iter(variants.values()))


@pytest.fixture(scope="module")
def strict_clients(world, django_db_blocker):
    """Clients that check CSRF as a browser's requests are checked."""
    with django_db_blocker.unblock():
        return RoleClients(world.users, enforce_csrf_checks=True)


@pytest.mark.parametrize("name", sorted(POST_URL_NAMES))
def test_a_post_without_the_token_is_refused(name, world, strict_clients):
    """Posted by someone allowed to, without the token: 403 from the CSRF check. With the
    token, the same POST is not refused: the 403 was the token's doing, not the permission's."""
    user = None if name == "sign-in" else world.users["cleared_planner"]
    client = strict_clients["anonymous" if user is None else "cleared_planner"]
    url = reverse(name, kwargs=_post_sample(name)(world))
    data = {"username": "chris.cleared", "password": "wrong"} if name == "sign-in" else {}

    refused = client.post(url, data)
    assert refused.status_code == 403
    assert "CSRF verification failed" in refused.text

    # What a browser holds after loading the form: the CSRF cookie, and the token in the form.
    token = get_token(RequestFactory().get("/"))
    client.cookies[settings.CSRF_COOKIE_NAME] = token
    accepted = client.post(url, {**data, "csrfmiddlewaretoken": token})
    assert accepted.status_code != 403


def test_a_multipart_upload_without_the_token_is_refused(world):
    report = world.open["borough_report"]
    stored = BoroughReport.objects.get(pk=report.pk).document.name
    client = _signed_in(world.users["cleared_planner"], enforce_csrf_checks=True)
    response = client.post(
        reverse("pssp:report-upload", args=[report.pk]), {"document": pdf_upload("new.pdf")}
    )
    assert response.status_code == 403
    assert BoroughReport.objects.get(pk=report.pk).document.name == stored


@pytest.mark.parametrize(
    "url", ["/admin/login/", "/admin/dps/borough/add/", "/admin/logout/"], ids=str
)
def test_the_admin_refuses_posts_without_the_token(url, world):
    client = _signed_in(
        None if url == "/admin/login/" else world.users["administrator"], enforce_csrf_checks=True
    )
    response = client.post(url, {"username": "alex.admin", "name": "Nowhere"})
    assert response.status_code == 403
    assert "CSRF verification failed" in response.text
