"""A second factor (TOTP, django-otp) for local accounts when DEBUG is off.

Local accounts are the embedded demo's and the break-glass administrators'; everyone else signs
in through the force's identity provider, which asks for its own second factor. With
`REQUIRE_SECOND_FACTOR` on (the default when DEBUG is off), a local account signed in with its
password reaches nothing but these pages and sign-out until it has given a code from its
authenticator app: first enrolling one (a QR code and the secret to type), then at each sign-in.
"""

import base64

import segno
from django import forms
from django.conf import settings
from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice

from dps.forms import Form
from dps.models import SignInRecord

SESSION_METHOD = "dps_sign_in_method"


def needs_second_factor(request):
    """A local account signed in by password that has not given a code in this session."""
    user = request.user
    return (
        settings.REQUIRE_SECOND_FACTOR
        and user.is_authenticated
        and request.session.get(SESSION_METHOD) != SignInRecord.Method.OIDC
        and not user.is_verified()
    )


class SecondFactorMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if needs_second_factor(request) and request.path not in _open_paths():
            has_device = TOTPDevice.objects.filter(user=request.user, confirmed=True).exists()
            target = reverse("second-factor" if has_device else "second-factor-enrol")
            return redirect(f"{target}?{urlencode({'next': request.get_full_path()})}")
        return self.get_response(request)


def _open_paths():
    return {reverse("second-factor"), reverse("second-factor-enrol"), reverse("sign-out")}


class CodeForm(Form):
    code = forms.CharField(
        label="Code from your authenticator app",
        help_text="6 digits, for example 123456.",
        min_length=6,
        max_length=6,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}),
    )

    def __init__(self, *args, device=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.device = device

    def clean_code(self):
        code = self.cleaned_data["code"].strip()
        if not code.isascii() or not code.isdigit() or not self.device.verify_token(code):
            raise forms.ValidationError("The code is wrong or has expired. Try the newest one.")
        return code


def _next_url(request):
    wanted = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(wanted, {request.get_host()}, request.is_secure()):
        return wanted
    return reverse("home")


def qr_code_data_uri(device):
    """The enrolment QR code (an otpauth:// URI) as an SVG data URI: no script, no third party."""
    svg = segno.make(device.config_url, error="m").svg_inline(scale=5, title="")
    return "data:image/svg+xml;base64," + base64.b64encode(svg.encode()).decode()


def enrol(request):
    """Add an authenticator app: scan the QR code (or type the secret), then give a code."""
    if not needs_second_factor(request):
        return redirect(_next_url(request))
    if TOTPDevice.objects.filter(user=request.user, confirmed=True).exists():
        # A password alone never adds another authenticator to an account that has one.
        return redirect(f"{reverse('second-factor')}?{urlencode({'next': _next_url(request)})}")
    # The same secret until it is confirmed, so a reload does not invalidate a scanned code.
    device = TOTPDevice.objects.filter(user=request.user, confirmed=False).order_by("pk").first()
    if device is None:
        device = TOTPDevice.objects.create(
            user=request.user, confirmed=False, name="Authenticator app"
        )
    form = CodeForm(request.POST or None, device=device)
    if request.method == "POST" and form.is_valid():
        device.confirmed = True
        device.save(update_fields=["confirmed"])
        otp_login(request, device)
        messages.success(request, "Your authenticator app is set up.")
        return redirect(_next_url(request))
    context = {
        "form": form,
        "qr_code": qr_code_data_uri(device),
        "secret": base64.b32encode(device.bin_key).decode(),
        "next": _next_url(request),
    }
    return render(request, "registration/second_factor_enrol.html", context)


def verify(request):
    """Give the code from the authenticator app enrolled before."""
    if not needs_second_factor(request):
        return redirect(_next_url(request))
    device = TOTPDevice.objects.filter(user=request.user, confirmed=True).first()
    if device is None:
        return redirect(reverse("second-factor-enrol"))
    form = CodeForm(request.POST or None, device=device)
    if request.method == "POST" and form.is_valid():
        otp_login(request, device)
        return redirect(_next_url(request))
    return render(
        request, "registration/second_factor.html", {"form": form, "next": _next_url(request)}
    )
