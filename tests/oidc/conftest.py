import pytest
from django.core.cache import cache

from tests.oidc import provider as oidc_provider

CALLBACK = "http://testserver/sign-in/provider/callback/"


@pytest.fixture(scope="session")
def provider():
    """One real OpenID provider for the session, on a free port."""
    running = oidc_provider.start([CALLBACK])
    yield running
    running.stop()


@pytest.fixture
def oidc_settings(settings, provider):
    """The service configured for that provider, as the environment would configure it."""
    settings.OIDC_ISSUER = provider.issuer
    settings.OIDC_CLIENT_ID = oidc_provider.CLIENT_ID
    settings.OIDC_CLIENT_SECRET = oidc_provider.CLIENT_SECRET
    backends = settings.AUTHENTICATION_BACKENDS
    settings.AUTHENTICATION_BACKENDS = [*backends, "dps.oidc.ProviderBackend"]
    cache.clear()  # the discovery document of an earlier provider
    yield settings
    cache.clear()
