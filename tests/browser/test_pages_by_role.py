"""Each role signs in and axe checks every page its navigation offers (WCAG 2.0/2.1/2.2 A and
AA), plus a list with its filters applied and a form showing its errors where the role has them.
Each page must also be free of CSP reports and script errors, and not scroll sideways at 1280px.
(The sign-in form showing an error is checked in the staff journey.)"""

import datetime
import hashlib
import re

from django.urls import reverse

from tests.browser.helpers import axe_violations, menu_links, script_problems, sideways_overflow
from tests.factories import DeliveryFactory
from tests.themes.factories import MilestoneFactory, RiskFactory
from themes.models import Milestone

PERSONAS = ("staff_user", "planner", "cleared_planner", "committee_member", "administrator")


def staff_extras(page):
    page.goto("/presentations/log/?stream=pssp&month=2007-03&presenter=Example")
    yield "delivery log, filtered"
    page.goto("/presentations/log/new/")
    page.get_by_label("Number of attendees").fill("")
    page.get_by_role("button", name="Save", exact=True).click()
    page.locator(".govuk-error-summary").wait_for()
    yield "log form with errors"


def planner_extras(page):
    page.goto("/themes/milestones/?theme=taylor&rag=red")
    yield "milestones, filtered"
    page.goto("/reports/new/highlight/")
    page.get_by_label("Period start").fill("2008-02-30")
    page.get_by_role("button", name="Save").click()
    page.locator(".govuk-error-summary").wait_for()
    yield "highlight form with errors"
    milestone = Milestone.objects.order_by("-pk").first()
    page.goto(reverse("themes:milestone-detail", args=[milestone.pk]))
    page.locator(".moj-timeline__item").first.wait_for()
    yield "a milestone with its history"


def administrator_extras(page):
    page.goto("/pssp/boroughs/?kind=borough&q=ham")
    yield "boroughs, filtered"


EXTRAS = {
    "staff_user": staff_extras,
    "planner": planner_extras,
    "cleared_planner": planner_extras,
    "administrator": administrator_extras,
}


def some_records():
    """A little of everything, so lists and panels draw rows rather than "None"."""
    for day in (5, 12, 19):
        DeliveryFactory(
            delivered_on=datetime.date(2007, 3, day), products=["computer-misuse"], attendees=day
        )
    milestone = MilestoneFactory(
        baseline_date=datetime.date(2008, 4, 1), forecast_date=datetime.date(2008, 9, 1)
    )
    milestone.title = f"{milestone.title} (renamed)"  # a history with a change to show
    milestone.save()
    RiskFactory()


def markup_key(page, user):
    """The page's markup less what differs between two views of the same page (the CSP nonce,
    the CSRF token, who is signed in). Equal keys mean equal axe results, so a page a planner
    and a cleared planner see alike is scanned once; pages showing covert work differ."""
    markup = re.sub(r'nonce="[^"]*"|name="csrfmiddlewaretoken" value="[^"]*"', "", page.content())
    markup = markup.replace(user.get_full_name() or user.get_username(), "")
    return hashlib.sha256(markup.encode()).hexdigest()


def test_every_page_in_each_roles_navigation_passes_axe(request, signed_in_page):
    some_records()
    problems = []
    scanned = set()
    for persona in PERSONAS:
        user = request.getfixturevalue(persona)
        page = signed_in_page(user)

        def check(what, persona=persona, page=page, user=user):
            found = script_problems(page) + sideways_overflow(page)
            key = markup_key(page, user)
            if key not in scanned:
                scanned.add(key)
                found += axe_violations(page)
            problems.extend(f"{persona}, {what} ({page.url}): {problem}" for problem in found)
            page.console_errors.clear()

        check("home")
        links = menu_links(page)
        assert links, f"{persona} has no navigation"
        for label, path in links:
            response = page.goto(path)
            assert response.ok, f"{persona}: {label} ({path}) answered {response.status}"
            check(label)
        for what in EXTRAS.get(persona, lambda page: ())(page):
            check(what)
        page.context.close()
    assert not problems, "\n".join(problems)
