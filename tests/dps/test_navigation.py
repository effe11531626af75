"""The navigation groups destinations into sections of the work; each role sees only the
sections, and the destinations inside them, it may open."""

import re

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.test import RequestFactory
from django.urls import reverse

from dps import navigation
from dps.navigation import NavItem, all_items, sections_for


def sections_seen(user, path="/"):
    request = RequestFactory().get(path)
    request.user = user
    return sections_for(request)


def labels(sections):
    return {section.label: [item.label for item in section.items] for section in sections}


def primary_links(html):
    menu = re.search(
        r'<nav class="moj-primary-navigation" aria-label="Menu">(.*?)</nav>', html, re.S
    )
    return re.findall(r'href="([^"]+)"', menu.group(1)) if menu else []


def test_the_planner_sees_four_sections_each_with_its_own_pages(planner):
    assert labels(sections_seen(planner)) == {
        "Programme": ["Programme", "Dashboard", "Milestones", "Risks", "Timeline"],
        "PSSP delivery": ["Delivery log", "PSSP statistics", "Import sessions", "Products"],
        "Tasking and engagement": [
            "Boroughs",
            "Tasking",
            "Borough reports",
            "Engagement",
            "Outcomes",
            "Events",
        ],
        "Committee papers": ["Reports", "Committee papers"],
    }


def test_a_committee_member_sees_only_committee_papers(committee_member):
    assert labels(sections_seen(committee_member)) == {"Committee papers": ["Committee papers"]}


def test_staff_see_no_programme_and_no_import(staff_user):
    seen = labels(sections_seen(staff_user))
    assert "Programme" not in seen
    assert "Import sessions" not in seen["PSSP delivery"]


def test_the_administrator_sees_administration(administrator):
    assert "Administration" in labels(sections_seen(administrator))


def test_someone_without_a_role_sees_no_sections(outsider):
    assert sections_seen(outsider) == []


def test_a_section_opens_its_first_page_the_user_may_open(planner, staff_user):
    planner_sections = {section.label: section for section in sections_seen(planner)}
    assert planner_sections["Programme"].url == reverse("themes:programme")
    staff_sections = {section.label: section for section in sections_seen(staff_user)}
    assert staff_sections["PSSP delivery"].url == reverse("presentations:delivery-list")


def test_only_the_closest_destination_and_its_section_are_current(planner):
    sections = sections_seen(planner, reverse("pssp:report-list") + "?page=2")
    current = [(s.label, i.label) for s in sections for i in s.items if i.active]
    assert current == [("Tasking and engagement", "Borough reports")]
    assert [s.label for s in sections if s.active] == ["Tasking and engagement"]


def test_every_item_names_a_known_section():
    assert {item.section for item in all_items()} <= set(navigation.SECTIONS)


def test_an_item_in_an_unknown_section_is_refused(monkeypatch):
    from themes import navigation as themes_navigation

    stray = NavItem("Stray", "themes:programme", "themes.view_theme", section="Elsewhere")
    monkeypatch.setattr(themes_navigation, "NAV_ITEMS", [*themes_navigation.NAV_ITEMS, stray])
    with pytest.raises(ImproperlyConfigured, match="Elsewhere"):
        all_items()


def test_the_header_shows_sections_and_the_page_shows_its_sections_pages(client_as, planner):
    html = client_as(planner).get(reverse("presentations:delivery-list")).content.decode()
    assert primary_links(html) == [
        reverse("themes:programme"),
        reverse("presentations:delivery-list"),
        reverse("pssp:borough-list"),
        reverse("reports:manage"),
    ]
    sub = re.search(
        r'<nav class="moj-sub-navigation[^"]*" aria-label="PSSP delivery">(.*?)</nav>', html, re.S
    )
    assert sub, "the delivery log shows its section's pages"
    assert reverse("presentations:delivery-import") in sub.group(1)
    assert reverse("themes:milestone-list") not in html


def test_the_home_page_belongs_to_no_section(client_as, planner):
    html = client_as(planner).get(reverse("home")).content.decode()
    assert "moj-sub-navigation" not in html
    assert "aria-current" not in re.search(r'aria-label="Menu">(.*?)</nav>', html, re.S).group(1)


def test_a_section_with_one_page_has_no_second_level(client_as, committee_member):
    html = client_as(committee_member).get(reverse("reports:index")).content.decode()
    assert primary_links(html) == [reverse("reports:index")]
    assert "moj-sub-navigation" not in html
    assert 'aria-current="page"' in html


def test_addresses_follow_where_the_service_is_mounted(planner):
    from django.urls import set_script_prefix

    try:
        set_script_prefix("/dps/")
        mounted = {s.label: s.url for s in sections_seen(planner)}
    finally:
        set_script_prefix("/")
    assert mounted["PSSP delivery"] == "/dps" + reverse("presentations:delivery-list")
    at_root = {s.label: s.url for s in sections_seen(planner)}
    assert at_root["PSSP delivery"] == reverse("presentations:delivery-list")


def test_each_user_sees_only_their_own_destinations_whoever_asked_first(
    planner, committee_member, staff_user
):
    # The addresses are worked out once per process; who sees which is decided every time.
    assert labels(sections_seen(planner))["Programme"]
    assert labels(sections_seen(committee_member)) == {"Committee papers": ["Committee papers"]}
    assert "Programme" not in labels(sections_seen(staff_user))
    assert labels(sections_seen(planner))["Programme"]


def test_an_item_shows_exactly_when_the_user_has_its_permission(
    planner, cleared_planner, committee_member, staff_user, administrator, outsider
):
    administrator.is_superuser = True
    administrator.save()
    for user in (planner, cleared_planner, committee_member, staff_user, administrator, outsider):
        shown = {item.label for section in sections_seen(user) for item in section.items}
        expected = {item.label for item in all_items() if user.has_perm(item.permission)}
        assert shown == expected, user.username
    administrator.is_active = False
    administrator.save()
    assert sections_seen(administrator) == []
