"""The header's and footer's links to the fixed pages, reversed once per process and mount point."""

import pytest
from django.template import Context, Template
from django.urls import reverse, set_script_prefix

pytestmark = pytest.mark.django_db


def drawn(name):
    return Template("{% load links %}{% page_url name %}").render(Context({"name": name}))


def test_a_fixed_page_links_where_url_would():
    for name in ("home", "help", "search", "sign-out", "notice-preferences"):
        assert drawn(name) == reverse(name)


def test_the_links_follow_where_the_service_is_mounted():
    at_root = reverse("help")
    set_script_prefix("/dps/")
    try:
        assert drawn("help") == "/dps" + at_root
    finally:
        set_script_prefix("/")
    assert drawn("help") == reverse("help")


def test_every_page_links_home_help_search_and_sign_out(client_as, planner):
    page = client_as(planner).get(reverse("help")).content.decode()
    for name in ("home", "help", "search", "notice-preferences"):
        assert f'href="{reverse(name)}"' in page or f'action="{reverse(name)}"' in page, name
    assert f'action="{reverse("sign-out")}"' in page
