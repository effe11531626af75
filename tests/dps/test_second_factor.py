"""Local accounts need a TOTP second factor when DEBUG is off (dps/second_factor.py); every local
sign-in, sign-out and refusal is recorded (dps.models.SignInRecord)."""

import base64
import re

import pytest
from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from dps.models import SignInRecord
from tests.browser.helpers import PASSWORD

pytestmark = pytest.mark.django_db


@pytest.fixture
def second_factor_required(settings):
    settings.REQUIRE_SECOND_FACTOR = True
    return settings


def sign_in_with_password(client, user):
    response = client.post(reverse("sign-in"), {"username": user.username, "password": PASSWORD})
    assert response.status_code == 302, response.content.decode()[:500]
    return response


def code_for(device):
    """The code the person's authenticator app shows now."""
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):06d}"


def test_the_embedded_demo_asks_for_no_second_factor(client, planner):
    sign_in_with_password(client, planner)
    assert client.get(reverse("themes:programme")).status_code == 200


def test_a_local_account_enrols_an_authenticator_before_anything_else(
    client, planner, second_factor_required
):
    sign_in_with_password(client, planner)
    response = client.get(reverse("themes:programme"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("second-factor-enrol"))
    page = client.get(response["Location"])
    html = page.content.decode()
    assert 'src="data:image/svg+xml;base64,' in html and 'alt="QR code' in html
    secret = re.search(r'<code class="dps-secret">([A-Z2-7]+)</code>', html).group(1)
    device = TOTPDevice.objects.get(user=planner, confirmed=False)
    assert secret == base64.b32encode(device.bin_key).decode()

    wrong = client.post(reverse("second-factor-enrol"), {"code": "000000", "next": "/themes/"})
    assert wrong.status_code == 200 and "The code is wrong" in wrong.content.decode()
    assert "govuk-error-summary" in wrong.content.decode()

    device.refresh_from_db()
    device.throttle_reset()  # the wrong code above counts against the throttle
    right = client.post(
        reverse("second-factor-enrol"), {"code": code_for(device), "next": "/themes/"}
    )
    assert right.status_code == 302 and right["Location"] == "/themes/"
    assert TOTPDevice.objects.get(user=planner).confirmed
    assert client.get(reverse("themes:programme")).status_code == 200


def test_an_enrolled_account_gives_a_code_at_each_sign_in(client, planner, second_factor_required):
    device = TOTPDevice.objects.create(user=planner, name="phone", confirmed=True)
    sign_in_with_password(client, planner)
    response = client.get(reverse("home"))
    assert response["Location"].startswith(reverse("second-factor") + "?")
    assert client.get(reverse("pssp:borough-list")).status_code == 302
    code = code_for(device)
    response = client.post(reverse("second-factor"), {"code": code, "next": "/"})
    assert response.status_code == 302
    assert client.get(reverse("themes:programme")).status_code == 200
    # The same code cannot be used twice (a code seen over a shoulder). The very code sent
    # above, not one computed again: the clock may have moved on to the next 30-second step.
    client.post(reverse("sign-out"))
    sign_in_with_password(client, planner)
    response = client.post(reverse("second-factor"), {"code": code, "next": "/"})
    assert response.status_code == 200 and "The code is wrong" in response.content.decode()


@pytest.mark.parametrize("code", ["", "12345", "1234567", "abcdef", "١٢٣٤٥٦", "12 456", "\x00" * 6])
def test_a_malformed_code_is_a_form_error(client, planner, second_factor_required, code):
    TOTPDevice.objects.create(user=planner, name="phone", confirmed=True)
    sign_in_with_password(client, planner)
    response = client.post(reverse("second-factor"), {"code": code})
    assert response.status_code == 200
    assert client.get(reverse("home")).status_code == 302


def test_the_next_address_stays_on_this_site(client, planner, second_factor_required):
    device = TOTPDevice.objects.create(user=planner, name="phone", confirmed=True)
    sign_in_with_password(client, planner)
    response = client.post(
        reverse("second-factor"), {"code": code_for(device), "next": "https://evil.example/"}
    )
    assert response["Location"] == reverse("home")


def test_local_sign_ins_sign_outs_and_refusals_are_recorded(client, planner):
    client.post(reverse("sign-in"), {"username": planner.username, "password": "wrong password"})
    sign_in_with_password(client, planner)
    client.post(reverse("sign-out"))
    records = list(
        SignInRecord.objects.order_by("at", "id").values_list("event", "method", "username")
    )
    assert records == [
        ("refused", "local", planner.username),
        ("signed-in", "local", planner.username),
        ("signed-out", "local", planner.username),
    ]


def test_a_password_alone_cannot_enrol_a_second_authenticator(
    client, planner, second_factor_required
):
    TOTPDevice.objects.create(user=planner, name="phone", confirmed=True)
    sign_in_with_password(client, planner)
    response = client.get(reverse("second-factor-enrol"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("second-factor") + "?")
    stranger = TOTPDevice(user=planner, confirmed=False)
    response = client.post(reverse("second-factor-enrol"), {"code": code_for(stranger)})
    assert response.status_code == 302 and TOTPDevice.objects.filter(user=planner).count() == 1
    assert client.get(reverse("home")).status_code == 302


def test_the_address_asked_for_is_kept_whole(client, planner, second_factor_required):
    device = TOTPDevice.objects.create(user=planner, name="phone", confirmed=True)
    sign_in_with_password(client, planner)
    wanted = "/themes/milestones/?rag=red&open_only=on"
    response = client.get(wanted)
    assert client.get(response["Location"]).context["next"] == wanted
    response = client.post(reverse("second-factor"), {"code": code_for(device), "next": wanted})
    assert response["Location"] == wanted
