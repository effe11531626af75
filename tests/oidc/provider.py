"""A real OpenID Connect provider process for the tests (tests/oidc_provider/provider.mjs, the
npm package oidc-provider), and a person signing in at it as a browser would."""

import json
import os
import re
import secrets
import socket
import subprocess
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urljoin

import jwt
import requests
from cryptography.hazmat.primitives.asymmetric import rsa

HERE = Path(__file__).resolve().parent.parent / "oidc_provider"
CLIENT_ID = "dps-programme-manager"
CLIENT_SECRET = secrets.token_urlsafe(32)
KEY_ID = "test-signing-key"

# Who may sign in at the provider, with the claims it gives them.
ACCOUNTS = {
    "pat.planner@force.example": {
        "email": "pat.planner@force.example",
        "preferred_username": "pat.planner@force.example",
        "given_name": "Pat",
        "family_name": "Planner",
        "groups": ["dps-planning-managers", "all-staff"],
    },
    "chris.cleared@force.example": {
        "email": "chris.cleared@force.example",
        "preferred_username": "chris.cleared@force.example",
        "groups": ["dps-planning-managers"],
        "dps_restricted_clearance": True,
    },
    "casey.claimsgroup@force.example": {
        # In a group whose name says "restricted": a group never clears anyone.
        "preferred_username": "casey.claimsgroup@force.example",
        "groups": ["dps-planning-managers", "restricted", "dps_restricted_clearance"],
        "dps_restricted_clearance": "true",
    },
    "morgan.member@force.example": {
        "preferred_username": "morgan.member@force.example",
        "groups": ["dps-committee-members"],
    },
    "nobody.here@force.example": {
        "preferred_username": "nobody.here@force.example",
        "groups": ["all-staff"],
    },
}


def ensure_installed():
    """`npm ci` for the provider's own package.json, once per machine (node is present)."""
    if not (HERE / "node_modules" / "oidc-provider").exists():
        subprocess.run(
            ["npm", "ci", "--prefix", str(HERE), "--no-audit", "--no-fund", "--loglevel=error"],
            check=True,
        )


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def new_signing_key():
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


def jwk_of(key, kid=KEY_ID):
    jwk = json.loads(jwt.algorithms.RSAAlgorithm.to_jwk(key))
    return jwk | {"kid": kid, "alg": "RS256", "use": "sig"}


@dataclass
class RunningProvider:
    issuer: str
    process: subprocess.Popen
    signing_key: object
    redirect_uris: list = field(default_factory=list)

    def stop(self):
        self.process.terminate()
        self.process.wait(timeout=10)

    def sign(self, claims, key=None, kid=KEY_ID):
        """An ID token signed with the provider's own key (or another one), for the refusals."""
        return jwt.encode(claims, key or self.signing_key, algorithm="RS256", headers={"kid": kid})


def start(redirect_uris):
    ensure_installed()
    port = free_port()
    key = new_signing_key()
    environment = os.environ | {
        "PORT": str(port),
        "CLIENT_ID": CLIENT_ID,
        "CLIENT_SECRET": CLIENT_SECRET,
        "REDIRECT_URIS": ",".join(redirect_uris),
        "SIGNING_JWK": json.dumps(jwk_of(key)),
        "ACCOUNTS": json.dumps(ACCOUNTS),
    }
    process = subprocess.Popen(
        ["node", str(HERE / "provider.mjs")],
        env=environment,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    seen = []
    for line in process.stdout:
        seen.append(line)
        if line.startswith("ready "):
            # Drain what it says from now on, so a full pipe never blocks it.
            threading_drain(process)
            return RunningProvider(line.split()[1], process, key, redirect_uris)
    process.wait(timeout=10)
    raise RuntimeError("The OpenID provider did not start:\n" + "".join(seen))


def threading_drain(process):
    import threading

    threading.Thread(target=lambda: [None for _ in process.stdout], daemon=True).start()


def sign_in_at_provider(authorization_url, login, *, back_to):
    """What a browser does at the provider: open the authorization address, sign in with the
    login (any password), follow the redirects. Returns the address it sends the browser back
    to (starting with `back_to`)."""
    browser = requests.Session()
    page = browser.get(authorization_url, timeout=10)
    page.raise_for_status()
    action = re.search(r'<form[^>]*action="([^"]+)"', page.text).group(1)
    response = browser.post(
        urljoin(page.url, action),
        data={"prompt": "login", "login": login, "password": "any password"},
        allow_redirects=False,
        timeout=10,
    )
    while response.status_code in (302, 303):
        location = urljoin(response.url, response.headers["Location"])
        if location.startswith(back_to):
            return location
        response = browser.get(location, allow_redirects=False, timeout=10)
    raise AssertionError(f"The provider did not send the browser back: {response.status_code}")
