"""Journey: a cleared planning manager signs in through the force's identity provider (a real
OpenID provider process, tests/oidc_provider/), reaches the restricted theme, and signs out;
both are recorded."""

import pytest
from django.core.cache import cache
from playwright.sync_api import expect

from dps.models import ExternalIdentity, SignInRecord
from tests.oidc import provider as oidc_provider


@pytest.fixture
def provider_for_live_server(live_server, settings):
    running = oidc_provider.start([f"{live_server.url}/sign-in/provider/callback/"])
    settings.OIDC_ISSUER = running.issuer
    settings.OIDC_CLIENT_ID = oidc_provider.CLIENT_ID
    settings.OIDC_CLIENT_SECRET = oidc_provider.CLIENT_SECRET
    settings.AUTHENTICATION_BACKENDS = [
        *settings.AUTHENTICATION_BACKENDS,
        "dps.oidc.ProviderBackend",
    ]
    # Local accounts would need a TOTP code here; the provider's people do not.
    settings.REQUIRE_SECOND_FACTOR = True
    cache.clear()
    yield running
    running.stop()
    cache.clear()


def test_a_cleared_planner_signs_in_with_the_force_account(
    journey, live_server, provider_for_live_server
):
    page = journey.page
    page.goto("/themes/covert/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Sign in")
    journey.step("sign-in page offers the force account")

    page.get_by_role("link", name="Sign in with your force account").click()
    # The provider's own sign-in form (its page, not ours: no axe or screenshot here).
    assert page.url.startswith(provider_for_live_server.issuer)
    page.locator("input[name=login]").fill("chris.cleared@force.example")
    page.locator("input[name=password]").fill("any password")
    page.locator("button[type=submit]").click()

    expect(page).to_have_url(f"{live_server.url}/themes/covert/")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Covert")
    journey.step("back in the service on the restricted theme")

    identity = ExternalIdentity.objects.select_related("user").get()
    assert identity.subject == "chris.cleared@force.example"
    assert identity.user.has_perm("themes.view_restricted_theme")

    page.get_by_role("button", name="Sign out").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Sign in")
    events = list(SignInRecord.objects.order_by("at", "id").values_list("event", "method"))
    assert events == [("signed-in", "oidc"), ("signed-out", "oidc")]
