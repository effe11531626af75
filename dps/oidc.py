"""Sign-in through the force's OpenID Connect provider (Microsoft Entra ID is the common case).

Configured from the environment (dps/settings.py): `OIDC_ISSUER` (its discovery document gives
every endpoint), `OIDC_CLIENT_ID`, `OIDC_CLIENT_SECRET`. mozilla-django-oidc runs the code flow
with a nonce and PKCE (S256); this module adds what it leaves to the site:

- the ID token is checked in full: RS256 signature against the provider's published keys, issuer,
  audience (our client id), expiry, issued-at and nonce. Anything else is refused and recorded;
- the user is found by the provider's (issuer, subject), never by a username or email a local
  account might share;
- the provider's groups (or roles) claim decides the roles (`dps.roles`), replaced at every
  sign-in; clearance for the restricted theme comes only from its own explicit claim, never from
  a group, and is removed when the claim is absent.
"""

import logging

import jwt
import requests
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.core.cache import cache
from django.core.exceptions import ImproperlyConfigured, SuspiciousOperation
from django.db import transaction
from django.http import Http404
from mozilla_django_oidc.auth import OIDCAuthenticationBackend
from mozilla_django_oidc.views import OIDCAuthenticationCallbackView, OIDCAuthenticationRequestView

from dps.models import ExternalIdentity, SignInRecord
from dps.roles import ADMINISTRATOR, RESTRICTED_THEME_PERMISSION, ROLES

log = logging.getLogger(__name__)

DISCOVERY_SECONDS = 60 * 60
# Clock difference tolerated between the provider and us when checking `exp` and `iat`.
LEEWAY_SECONDS = 60


class SignInRefused(SuspiciousOperation):
    """The provider's answer cannot be trusted or names no one we may let in."""


def enabled():
    return bool(getattr(settings, "OIDC_ISSUER", ""))


def discovery():
    """The provider's discovery document, fetched once an hour; its `issuer` must be exactly the
    configured one (OpenID Connect Discovery 1.0, section 4.3)."""
    issuer = settings.OIDC_ISSUER.rstrip("/")
    key = f"oidc-discovery:{issuer}"
    document = cache.get(key)
    if document is None:
        response = requests.get(
            f"{issuer}/.well-known/openid-configuration", timeout=settings.OIDC_TIMEOUT
        )
        response.raise_for_status()
        document = response.json()
        if document.get("issuer", "").rstrip("/") != issuer:
            raise ImproperlyConfigured("The provider's discovery names another issuer.")
        cache.set(key, document, DISCOVERY_SECONDS)
    return document


def roles_from_claims(claims):
    """The roles the provider's groups claim grants, by `OIDC_ROLE_GROUPS` (group → role)."""
    values = claims.get(settings.OIDC_ROLES_CLAIM) or []
    if isinstance(values, str):
        values = [values]
    mapping = settings.OIDC_ROLE_GROUPS
    return sorted(
        {mapping[value] for value in values if value in mapping and mapping[value] in ROLES}
    )


def cleared_by_claims(claims):
    """Cleared for the restricted theme only by the explicit claim set to true."""
    return claims.get(settings.OIDC_CLEARANCE_CLAIM) is True


@transaction.atomic
def apply_claims(user, claims):
    """Make the user's roles and clearance exactly what the provider says, now."""
    roles = roles_from_claims(claims)
    user.groups.set(Group.objects.filter(name__in=roles))
    app_label, codename = RESTRICTED_THEME_PERMISSION.split(".")
    clearance = Permission.objects.get(content_type__app_label=app_label, codename=codename)
    if cleared_by_claims(claims):
        user.user_permissions.add(clearance)
    else:
        user.user_permissions.remove(clearance)
    user.first_name = str(claims.get("given_name") or user.first_name)[:150]
    user.last_name = str(claims.get("family_name") or user.last_name)[:150]
    user.email = str(claims.get("email") or user.email)[:254]
    # The admin is for administrators; the provider never makes anyone a superuser.
    user.is_staff = ADMINISTRATOR in roles
    user.is_superuser = False
    user.save()
    return user


class ProviderBackend(OIDCAuthenticationBackend):
    """mozilla-django-oidc's backend with the provider's endpoints from discovery (read only
    when someone signs in through it) and the checks this module's docstring lists."""

    def __init__(self, *args, **kwargs):
        self.UserModel = get_user_model()

    # Read when used, so constructing the backend (Django does for every sign-in, local ones
    # too) never reaches the network.
    OIDC_OP_TOKEN_ENDPOINT = property(lambda self: discovery()["token_endpoint"])
    OIDC_OP_USER_ENDPOINT = property(lambda self: discovery()["userinfo_endpoint"])
    OIDC_OP_JWKS_ENDPOINT = property(lambda self: discovery()["jwks_uri"])
    OIDC_RP_CLIENT_ID = property(lambda self: settings.OIDC_CLIENT_ID)
    OIDC_RP_CLIENT_SECRET = property(lambda self: settings.OIDC_CLIENT_SECRET)
    OIDC_RP_SIGN_ALGO = "RS256"
    OIDC_RP_IDP_SIGN_KEY = None

    def authenticate(self, request, **kwargs):
        if not enabled() or request is None or "nonce" not in kwargs:
            return None  # a local sign-in: not ours
        try:
            return super().authenticate(request, **kwargs)
        # The provider's answers are untrusted input: anything malformed is a refusal, never a 500.
        except (
            SuspiciousOperation,
            jwt.PyJWTError,
            requests.RequestException,
            KeyError,
            ValueError,
        ) as error:
            record(request, SignInRecord.Event.REFUSED, SignInRecord.Method.OIDC, detail=error)
            log.warning("Sign-in through the identity provider refused: %s", error)
            return None

    def verify_token(self, token, **kwargs):
        # The library looks the key up by the header's kid before anything else: a token with
        # no kid, or another algorithm ("none"), is refused here rather than failing there.
        try:
            header = jwt.get_unverified_header(token)
        except jwt.PyJWTError as error:
            raise SignInRefused(f"ID token refused: {error}") from error
        if header.get("alg") != self.OIDC_RP_SIGN_ALGO or not header.get("kid"):
            raise SignInRefused("ID token refused: not signed with a key the provider publishes.")
        return super().verify_token(token, **kwargs)

    def _verify_jws(self, payload, key):
        """Signature, issuer, audience, expiry and issued-at, all required (the library checks
        only the signature and the nonce)."""
        try:
            return jwt.decode(
                payload,
                key,
                algorithms=[self.OIDC_RP_SIGN_ALGO],
                audience=self.OIDC_RP_CLIENT_ID,
                issuer=discovery()["issuer"],
                leeway=LEEWAY_SECONDS,
                options={"require": ["iss", "sub", "aud", "exp", "iat", "nonce"]},
            )
        except jwt.PyJWTError as error:
            raise SignInRefused(f"ID token refused: {error}") from error

    def get_userinfo(self, access_token, id_token, payload):
        """The ID token's claims, completed by the userinfo endpoint for the same subject."""
        claims = dict(payload)
        userinfo = super().get_userinfo(access_token, id_token, payload)
        if userinfo.get("sub") != payload.get("sub"):
            raise SignInRefused("The userinfo answer is for another subject.")
        claims.update(userinfo)
        return claims

    def verify_claims(self, claims):
        return bool(claims.get("sub"))

    def get_or_create_user(self, access_token, id_token, payload):
        try:
            return self._user_for(access_token, id_token, payload)
        except SuspiciousOperation as error:
            # The library turns this into "no user" itself; record why first.
            record(self.request, SignInRecord.Event.REFUSED, SignInRecord.Method.OIDC, detail=error)
            raise

    def _user_for(self, access_token, id_token, payload):
        claims = self.get_userinfo(access_token, id_token, payload)
        if not self.verify_claims(claims):
            raise SignInRefused("The provider named no subject.")
        roles = roles_from_claims(claims)
        if not roles:
            raise SignInRefused("The provider's groups give no role in this service.")
        issuer = discovery()["issuer"]
        identity = (
            ExternalIdentity.objects.select_related("user")
            .filter(issuer=issuer, subject=claims["sub"])
            .first()
        )
        if identity is None:
            username = str(
                claims.get("preferred_username") or claims.get("email") or claims["sub"]
            )[:150]
            if self.UserModel.objects.filter(username=username).exists():
                raise SignInRefused(f"The username {username} belongs to another account.")
            with transaction.atomic():
                user = self.UserModel.objects.create_user(username=username)
                user.set_unusable_password()  # signs in only through the provider
                identity = ExternalIdentity.objects.create(
                    user=user, issuer=issuer, subject=claims["sub"]
                )
        else:
            identity.save(update_fields=["last_seen"])
        return apply_claims(identity.user, claims)


def _configured(view_class):
    class Configured(view_class):
        def dispatch(self, request, *args, **kwargs):
            if not enabled():
                raise Http404("Sign-in through an identity provider is not configured.")
            return super().dispatch(request, *args, **kwargs)

    return Configured


class SignInWithProvider(_configured(OIDCAuthenticationRequestView)):
    """Sends the browser to the provider with state, nonce and a PKCE challenge."""

    def __init__(self, **kwargs):
        self.OIDC_RP_CLIENT_ID = settings.OIDC_CLIENT_ID

    @property
    def OIDC_OP_AUTH_ENDPOINT(self):  # noqa: N802 - the library's name
        return discovery()["authorization_endpoint"]


class ProviderCallback(_configured(OIDCAuthenticationCallbackView)):
    """Where the provider sends the browser back with the code (or an error)."""

    def get(self, request):
        error = request.GET.get("error")
        if error:
            # Said by the provider, or typed into the address: kept printable and short.
            said = "".join(character for character in error[:100] if character.isprintable())
            record(
                request,
                SignInRecord.Event.REFUSED,
                SignInRecord.Method.OIDC,
                detail=f"The provider answered: {said}",
            )
        return super().get(request)


# --- The record of sign-ins ---------------------------------------------------------------------


def record(request, event, method, *, user=None, username="", detail=""):
    address = request.META.get("REMOTE_ADDR") if request is not None else None
    return SignInRecord.objects.create(
        event=event,
        method=method,
        user=user if user is not None and user.pk else None,
        username=(username or (user.get_username() if user is not None else ""))[:150],
        address=address or None,
        detail=str(detail)[:300],
    )


def method_of(user):
    backend = getattr(user, "backend", "") or ""
    return (
        SignInRecord.Method.OIDC
        if backend.endswith("ProviderBackend")
        else (SignInRecord.Method.LOCAL)
    )


def on_signed_in(sender, request, user, **kwargs):
    method = method_of(user)
    if request is not None and hasattr(request, "session"):
        # Read by dps.second_factor: the provider asked for its own second factor.
        request.session["dps_sign_in_method"] = method
    record(request, SignInRecord.Event.SIGNED_IN, method, user=user)


def on_signed_out(sender, request, user, **kwargs):
    if user is None:
        return
    method = (
        SignInRecord.Method.OIDC
        if ExternalIdentity.objects.filter(user=user).exists()
        else SignInRecord.Method.LOCAL
    )
    record(request, SignInRecord.Event.SIGNED_OUT, method, user=user)


def on_refused(sender, credentials, request=None, **kwargs):
    if "nonce" in credentials:
        return  # the provider's refusals are recorded with their reason by ProviderBackend
    record(
        request,
        SignInRecord.Event.REFUSED,
        SignInRecord.Method.LOCAL,
        username=str(credentials.get("username") or ""),
        detail="Wrong username or password",
    )
