"""The second-factor pages: set up an authenticator app, type its code at sign-in, see your status."""

from urllib.parse import urlencode

import segno
from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_otp import login as otp_login
from django_otp import match_token

from accounts.services import (
    confirm_device,
    confirmed_device,
    pending_device,
    second_factor_required,
)
from people.audit import AuditEntry, record_audit
from waystation.redirects import safe_next


class CodeForm(forms.Form):
    code = forms.CharField(
        label=gettext_lazy("Six-digit code from your authenticator app"),
        max_length=12,
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "autofocus": True}
        ),
    )


def _next_url(request: HttpRequest) -> str:
    return safe_next(request) or "/"


@login_required
def setup(request: HttpRequest) -> HttpResponse:
    """Show the QR code of a new TOTP secret; the device counts once a code from it is typed."""
    if request.user.is_verified():
        return redirect("profile")
    if confirmed_device(request.user) is not None:
        query = urlencode({"next": _next_url(request)})
        return redirect(f"{reverse('otp-verify')}?{query}")
    device = pending_device(request.user)
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if confirm_device(device, form.cleaned_data["code"]):
            otp_login(request, device)
            record_audit(
                user=request.user,
                action=AuditEntry.Action.UPDATE,
                obj=device,
                reason=_("Set up a second factor"),
            )
            messages.success(request, _("Your second factor is set up."))
            return redirect(_next_url(request))
        form.add_error(
            "code", _("That code is not right. Check the time on your phone and try again.")
        )
    qr = segno.make(device.config_url, error="m")
    return render(
        request,
        "accounts/setup.html",
        {
            "form": form,
            "qr_svg": qr.svg_inline(scale=5, title=_("QR code for your authenticator app")),
            "secret": device.key,
            "required": second_factor_required(request.user),
            "next": _next_url(request),
        },
    )


@login_required
def verify(request: HttpRequest) -> HttpResponse:
    """The second step of signing in for anyone who has a confirmed device."""
    if request.user.is_verified():
        return redirect(_next_url(request))
    if confirmed_device(request.user) is None:
        return redirect("otp-setup")
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        code = form.cleaned_data["code"].strip().replace(" ", "")
        device = match_token(request.user, code)
        if device is not None:
            otp_login(request, device)
            return redirect(_next_url(request))
        form.add_error(
            "code", _("That code is not right. Check the time on your phone and try again.")
        )
    return render(request, "accounts/verify.html", {"form": form, "next": _next_url(request)})


@login_required
def profile(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "accounts/profile.html",
        {
            "device": confirmed_device(request.user),
            "required": second_factor_required(request.user),
        },
    )
