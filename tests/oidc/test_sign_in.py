"""Sign-in through the force's OpenID Connect provider (dps/oidc.py), against a real provider
process (tests/oidc_provider/): discovery, the code flow with PKCE and a nonce, the ID token's
checks, the groups claim mapped to roles, clearance only from its own claim, and every sign-in,
sign-out and refusal recorded."""

import time
from urllib.parse import parse_qs, urlsplit

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import ImproperlyConfigured, SuspiciousOperation
from django.urls import reverse

from dps import oidc
from dps.models import ExternalIdentity, SignInRecord
from dps.roles import ADMINISTRATOR, COMMITTEE_MEMBER, PLANNING_MANAGER
from tests.factories import UserFactory
from tests.oidc import provider as oidc_provider
from tests.oidc.conftest import CALLBACK

pytestmark = pytest.mark.django_db


def sign_in(client, login, *, tamper=None):
    """The whole flow as a browser runs it: our start page, the provider, our callback.
    `tamper(session_state)` may change what the service remembered before the callback."""
    start = client.get(reverse("oidc_authentication_init"))
    assert start.status_code == 302
    back = oidc_provider.sign_in_at_provider(start["Location"], login, back_to=CALLBACK)
    if tamper:
        session = client.session
        for state in session["oidc_states"].values():
            tamper(state)
        session.save()
    return client.get(back.removeprefix("http://testserver"))


def user_of(login):
    return ExternalIdentity.objects.select_related("user").get(subject=login).user


def roles_of(user):
    return sorted(user.groups.values_list("name", flat=True))


# --- discovery ----------------------------------------------------------------------------------


def test_discovery_gives_the_providers_endpoints(oidc_settings, provider):
    document = oidc.discovery()
    assert document["issuer"] == provider.issuer
    assert document["authorization_endpoint"].startswith(provider.issuer)
    assert "S256" in document["code_challenge_methods_supported"]


def test_discovery_naming_another_issuer_is_refused(oidc_settings, provider):
    # The same server, reached under another name: its document names its own issuer.
    oidc_settings.OIDC_ISSUER = provider.issuer.replace("127.0.0.1", "localhost")
    with pytest.raises(ImproperlyConfigured):
        oidc.discovery()


def test_without_an_issuer_the_provider_pages_are_404(client):
    assert client.get(reverse("oidc_authentication_init")).status_code == 404
    assert "force account" not in client.get(reverse("sign-in")).content.decode()


def test_the_sign_in_page_offers_the_provider(oidc_settings, client):
    page = client.get(reverse("sign-in")).content.decode()
    assert reverse("oidc_authentication_init") in page and "Local account" in page


# --- the code flow ------------------------------------------------------------------------------


def test_the_code_flow_sends_state_nonce_and_a_pkce_challenge(oidc_settings, client):
    start = client.get(reverse("oidc_authentication_init"))
    query = parse_qs(urlsplit(start["Location"]).query)
    assert query["code_challenge_method"] == ["S256"]
    assert len(query["code_challenge"][0]) == 43  # a SHA-256, base64url without padding
    assert query["nonce"] and query["state"] and query["client_id"] == [oidc_provider.CLIENT_ID]
    assert query["redirect_uri"] == [CALLBACK]


def test_a_planner_signs_in_through_the_provider(oidc_settings, client):
    response = sign_in(client, "pat.planner@force.example")
    assert response.status_code == 302 and response["Location"] == reverse("home")
    user = user_of("pat.planner@force.example")
    assert roles_of(user) == [PLANNING_MANAGER]
    assert not user.has_perm("themes.view_restricted_theme")
    assert not user.has_usable_password() and not user.is_superuser
    assert (user.first_name, user.last_name) == ("Pat", "Planner")
    assert client.get(reverse("themes:programme")).status_code == 200
    signed_in = SignInRecord.objects.get(event=SignInRecord.Event.SIGNED_IN)
    assert (signed_in.method, signed_in.user) == (SignInRecord.Method.OIDC, user)


def test_clearance_comes_only_from_the_explicit_claim(oidc_settings, client):
    sign_in(client, "chris.cleared@force.example")
    assert user_of("chris.cleared@force.example").has_perm("themes.view_restricted_theme")
    client.logout()
    # Groups named like the clearance, and the claim as the string "true": not cleared.
    sign_in(client, "casey.claimsgroup@force.example")
    casey = user_of("casey.claimsgroup@force.example")
    assert roles_of(casey) == [PLANNING_MANAGER]
    assert not casey.has_perm("themes.view_restricted_theme")


def test_groups_map_to_roles_and_are_replaced_at_each_sign_in(oidc_settings, client):
    sign_in(client, "morgan.member@force.example")
    member = user_of("morgan.member@force.example")
    assert roles_of(member) == [COMMITTEE_MEMBER] and not member.is_staff
    # Given more by hand since: the next sign-in puts back exactly what the provider says.
    member.groups.add(member.groups.model.objects.get(name=ADMINISTRATOR))
    client.logout()
    sign_in(client, "morgan.member@force.example")
    assert roles_of(user_of("morgan.member@force.example")) == [COMMITTEE_MEMBER]
    assert ExternalIdentity.objects.count() == 1


def test_a_person_in_no_mapped_group_is_refused_and_recorded(oidc_settings, client):
    response = sign_in(client, "nobody.here@force.example")
    assert response.status_code == 302 and "failed=provider" in response["Location"]
    assert not ExternalIdentity.objects.exists()
    refused = SignInRecord.objects.get(event=SignInRecord.Event.REFUSED)
    assert refused.method == SignInRecord.Method.OIDC and "no role" in refused.detail
    page = client.get(response["Location"]).content.decode()
    assert "You could not be signed in" in page


def test_a_local_account_is_never_taken_over_by_the_provider(oidc_settings, client):
    local = UserFactory(username="pat.planner@force.example")
    response = sign_in(client, "pat.planner@force.example")
    assert "failed=provider" in response["Location"]
    assert not ExternalIdentity.objects.filter(user=local).exists()
    assert "_auth_user_id" not in client.session


def test_a_wrong_pkce_verifier_is_refused_by_the_provider(oidc_settings, client):
    def wrong_verifier(state):
        state["code_verifier"] = "x" * 64

    response = sign_in(client, "pat.planner@force.example", tamper=wrong_verifier)
    assert "failed=provider" in response["Location"]
    assert SignInRecord.objects.filter(event=SignInRecord.Event.REFUSED).exists()
    assert get_user_model().objects.filter(username="pat.planner@force.example").count() == 0


def test_an_id_token_for_another_nonce_is_refused(oidc_settings, client):
    def other_nonce(state):
        state["nonce"] = "not-the-one-sent"

    response = sign_in(client, "pat.planner@force.example", tamper=other_nonce)
    assert "failed=provider" in response["Location"]
    assert "Nonce" in SignInRecord.objects.get(event=SignInRecord.Event.REFUSED).detail


def test_an_unknown_state_is_a_400_not_a_sign_in(oidc_settings, client):
    client.get(reverse("oidc_authentication_init"))
    response = client.get(reverse("oidc_authentication_callback"), {"code": "x", "state": "y"})
    assert response.status_code == 400
    assert "_auth_user_id" not in client.session


def test_signing_out_is_recorded(oidc_settings, client):
    sign_in(client, "pat.planner@force.example")
    client.post(reverse("sign-out"))
    signed_out = SignInRecord.objects.get(event=SignInRecord.Event.SIGNED_OUT)
    assert signed_out.method == SignInRecord.Method.OIDC
    assert signed_out.user == user_of("pat.planner@force.example")


def test_a_provider_user_is_not_asked_for_the_local_second_factor(oidc_settings, client):
    oidc_settings.REQUIRE_SECOND_FACTOR = True
    sign_in(client, "pat.planner@force.example")
    assert client.get(reverse("themes:programme")).status_code == 200


# --- the ID token's checks, against the provider's published keys -----------------------------


def _claims(provider, **changes):
    now = int(time.time())
    claims = {
        "iss": provider.issuer,
        "sub": "pat.planner@force.example",
        "aud": oidc_provider.CLIENT_ID,
        "iat": now,
        "exp": now + 300,
        "nonce": "the-nonce",
    }
    return {name: value for name, value in (claims | changes).items() if value is not None}


def test_a_well_formed_token_passes(oidc_settings, provider):
    token = provider.sign(_claims(provider))
    payload = oidc.ProviderBackend().verify_token(token, nonce="the-nonce")
    assert payload["sub"] == "pat.planner@force.example"


@pytest.mark.parametrize(
    "changes",
    [
        {"aud": "another-client"},
        {"exp": int(time.time()) - 3600, "iat": int(time.time()) - 7200},
        {"iss": "https://impostor.example"},
        {"nonce": "another-nonce"},
        {"nonce": None},
        {"exp": None},
    ],
    ids=["wrong-audience", "expired", "wrong-issuer", "wrong-nonce", "no-nonce", "no-expiry"],
)
def test_a_token_with_wrong_claims_is_refused(oidc_settings, provider, changes):
    token = provider.sign(_claims(provider, **changes))
    with pytest.raises(SuspiciousOperation):
        oidc.ProviderBackend().verify_token(token, nonce="the-nonce")


def test_a_token_signed_with_another_key_is_refused(oidc_settings, provider):
    forged = provider.sign(_claims(provider), key=oidc_provider.new_signing_key())
    with pytest.raises(SuspiciousOperation):
        oidc.ProviderBackend().verify_token(forged, nonce="the-nonce")


def test_an_unsigned_token_is_refused(oidc_settings, provider):
    import jwt

    unsigned = jwt.encode(_claims(provider), None, algorithm="none")
    with pytest.raises(SuspiciousOperation):
        oidc.ProviderBackend().verify_token(unsigned, nonce="the-nonce")
    with pytest.raises(SuspiciousOperation):
        oidc.ProviderBackend().verify_token("not a token", nonce="the-nonce")


@pytest.mark.parametrize("error", ["access_denied", "a\x00b" + "x" * 5000])
def test_an_error_from_the_provider_is_a_refusal_recorded(oidc_settings, client, error):
    client.get(reverse("oidc_authentication_init"))
    state = next(iter(client.session["oidc_states"]))
    response = client.get(reverse("oidc_authentication_callback"), {"error": error, "state": state})
    assert response.status_code == 302 and "failed=provider" in response["Location"]
    refused = SignInRecord.objects.get(event=SignInRecord.Event.REFUSED)
    assert refused.detail.startswith("The provider answered: a")
    assert "\x00" not in refused.detail and len(refused.detail) <= 300
