"""The past dashboard is of its date throughout: every count opens its list as at the same date,
narrowed to the rows it counts, and cost exceptions use the money as it stood then."""

import datetime
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.factories import theme
from tests.themes.history import dated
from themes.models import Theme, ThemeFinance

pytestmark = pytest.mark.django_db


def dashboard(client, as_at):
    return client.get(reverse("themes:dashboard"), {"as_at": as_at})


def list_links(page):
    """Every link from the page to the milestone list or the RAID log with a query (the counts'
    links; the site navigation's plain links open today's lists on purpose)."""
    paths = (reverse("themes:milestone-list"), reverse("themes:risk-list"))
    hrefs = re.findall(r'href="([^"]+)"', page.content.decode())
    return [h.replace("&amp;", "&") for h in hrefs if "?" in h and h.split("?")[0] in paths]


def test_every_list_link_on_the_past_dashboard_carries_the_date(client_as, planner, go_live):
    links = list_links(dashboard(client_as(planner), "2008-03-31"))
    assert links  # the exceptions, each panel and the risks past review
    assert all("as_at=2008-03-31" in link for link in links), links
    today = list_links(dashboard(client_as(planner), timezone.localdate().isoformat()))
    assert not any("as_at=" in link for link in today)


def test_the_exceptions_link_opens_the_exceptions_then(client_as, planner, go_live):
    client = client_as(planner)
    march = dashboard(client, "2008-03-31")
    assert march.context["summary"]["exception_count"] == 1
    link = f"{reverse('themes:milestone-list')}?as_at=2008-03-31&amp;rag=red"
    assert link in march.text
    rows = client.get(link.replace("&amp;", "&")).context["table"].data
    assert [(m.title, m.rag) for m in rows] == [("Go-live", "red")]
    # In January it was on its baseline: green then, so the same filter finds nothing.
    january = client.get(reverse("themes:milestone-list"), {"as_at": "2008-01-10", "rag": "red"})
    assert list(january.context["table"].data) == []


def test_the_risks_for_review_link_opens_the_risks_past_review_then(
    client_as, planner, covert_and_overt
):
    client = client_as(planner)
    june = dashboard(client, "2008-06-01")
    count = june.context["risks_for_review"]["count"]
    assert count == 1  # the overt one; the covert one is absent for the uncleared
    link = f"{reverse('themes:risk-list')}?as_at=2008-06-01&amp;review_before=2008-06-01"
    assert link in june.text
    rows = client.get(link.replace("&amp;", "&")).context["table"].data
    assert [r.title for r in rows] == ["Overt staffing risk"]
    # Its review date, 1 February 2008, had not yet passed on 1 February.
    before = client.get(
        reverse("themes:risk-list"), {"as_at": "2008-06-01", "review_before": "2008-02-01"}
    )
    assert list(before.context["table"].data) == []


@pytest.mark.parametrize(
    "name, query",
    [
        ("themes:milestone-list", {"as_at": "2008-03-31", "rag": "purple"}),
        ("themes:risk-list", {"as_at": "2008-03-31", "review_before": "soon"}),
    ],
)
def test_past_list_filters_refuse_hostile_values_without_a_500(client_as, planner, name, query):
    assert client_as(planner).get(reverse(name), query).status_code == 400


def _overt_money_restated(planner):
    """Overt's 2008/09 forecast: £130,000 on a £100,000 budget (30% over a 10% tolerance) when
    recorded on 2 January 2008, re-stated to £105,000 (within it) on 1 June 2008."""
    overt = theme("overt")
    with dated(datetime.date(2008, 1, 2), Theme, ThemeFinance):
        overt.cost_tolerance_percent = 10
        overt.save()
        row = overt.finances.create(financial_year="2008/09", budget=100000, forecast=130000)
    with dated(datetime.date(2008, 6, 1), ThemeFinance):
        row.forecast = 105000
        row.save()


def test_cost_exceptions_in_the_past_use_the_money_as_it_stood(client_as, planner):
    _overt_money_restated(planner)
    client = client_as(planner)
    march = dashboard(client, "2008-03-31")
    assert [(r["theme__code"], r["over_percent"]) for r in march.context["cost_exceptions"]] == [
        ("overt", 30)
    ]
    assert "forecast spend £130,000 is 30.0% over budget £100,000" in march.text
    assert dashboard(client, "2008-06-01").context["cost_exceptions"] == []
    assert dashboard(client, "2007-12-31").context["cost_exceptions"] == []  # not yet recorded
    today = dashboard(client, timezone.localdate().isoformat())
    assert today.context["cost_exceptions"] == []


def test_a_cost_tolerance_set_since_does_not_judge_the_past(client_as, planner):
    """The tolerance is the theme's then: one first set today makes no exception in March 2008."""
    overt = theme("overt")
    with dated(datetime.date(2008, 1, 2), ThemeFinance):
        overt.finances.create(financial_year="2008/09", budget=100000, forecast=130000)
    overt.cost_tolerance_percent = 10
    overt.save()
    client = client_as(planner)
    assert dashboard(client, "2008-03-31").context["cost_exceptions"] == []
    today = dashboard(client, timezone.localdate().isoformat()).context["cost_exceptions"]
    assert [row["theme__code"] for row in today] == ["overt"]


def test_past_cost_exceptions_leave_out_a_restricted_theme_for_the_uncleared(
    client_as, planner, cleared_planner
):
    covert = theme("covert")
    with dated(datetime.date(2008, 1, 2), Theme, ThemeFinance):
        covert.cost_tolerance_percent = 10
        covert.save()
        covert.finances.create(financial_year="2008/09", budget=100000, forecast=150000)
    hidden = dashboard(client_as(planner), "2008-03-31")
    assert hidden.context["cost_exceptions"] == []
    seen = dashboard(client_as(cleared_planner), "2008-03-31")
    assert [r["theme__code"] for r in seen.context["cost_exceptions"]] == ["covert"]
