"""The second-factor pages: set up an authenticator app, type its code at sign-in, see your status."""

from typing import cast
from urllib.parse import urlencode

import segno
from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.models import User
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlsafe_base64_decode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_POST
from django_otp import login as otp_login
from django_otp import match_token

from accounts.services import (
    ENROLMENT_SESSION_KEY,
    confirm_device,
    confirmed_device,
    enrolment_links,
    looks_like_recovery_code,
    make_recovery_codes,
    manual_key,
    may_enrol,
    pending_device,
    recovery_codes_left,
    second_factor_required,
    seconds_to_wait,
    use_recovery_code,
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


class SignInCodeForm(forms.Form):
    """At sign-in a recovery code (letters and digits) may stand in for the app's code, so the
    phone's keyboard is not limited to digits."""

    code = forms.CharField(
        label=gettext_lazy("Six-digit code from your authenticator app, or a recovery code"),
        max_length=16,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "autofocus": True}),
    )


def _next_url(request: HttpRequest) -> str:
    return safe_next(request) or "/"


def _throttled(seconds: int) -> str:
    return _(
        "Too many wrong codes: wait %(n)d seconds before typing the next one, "
        "then type the code your app shows at that moment."
    ) % {"n": seconds}


def _wrong_code(device: object) -> str:
    wrong = _("That code is not right. Check the time on your phone and try again.")
    if wait := seconds_to_wait(device):
        return f"{wrong} {_throttled(wait)}"
    return wrong


@login_required
def enrol(request: HttpRequest, uidb64: str, token: str) -> HttpResponse:
    """An administrator's one-time link to set up a first device (OTP_ENROLMENT_BY_LINK)."""
    try:
        user_id = int(urlsafe_base64_decode(uidb64).decode())
    except (ValueError, UnicodeDecodeError):
        user_id = None
    user = cast(User, request.user)  # login_required: a signed-in user
    if user_id != user.pk or not enrolment_links.check_token(user, token):
        return render(request, "accounts/enrol_by_link.html", {"invalid": True}, status=403)
    request.session[ENROLMENT_SESSION_KEY] = request.user.pk
    return redirect("otp-setup")


@login_required
def setup(request: HttpRequest) -> HttpResponse:
    """Show the QR code of a new TOTP secret; the device counts once a code from it is typed."""
    if request.user.is_verified():
        return redirect("profile")
    if confirmed_device(request.user) is not None:
        query = urlencode({"next": _next_url(request)})
        return redirect(f"{reverse('otp-verify')}?{query}")
    if not may_enrol(request):
        return render(request, "accounts/enrol_by_link.html", status=403)
    device = pending_device(request.user)
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if wait := seconds_to_wait(device):
            form.add_error("code", _throttled(wait))
        elif confirm_device(device, form.cleaned_data["code"]):
            request.session.pop(ENROLMENT_SESSION_KEY, None)
            otp_login(request, device)
            record_audit(
                user=request.user,
                action=AuditEntry.Action.UPDATE,
                obj=device,
                reason=_("Set up a second factor"),
            )
            messages.success(request, _("Your second factor is set up."))
            return _show_new_codes(request)
        else:
            form.add_error("code", _wrong_code(device))
    qr = segno.make(device.config_url, error="m")
    return render(
        request,
        "accounts/setup.html",
        {
            "form": form,
            "qr_svg": qr.svg_inline(scale=5, title=_("QR code for your authenticator app")),
            "secret": manual_key(device),
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
    form = SignInCodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        code = form.cleaned_data["code"].strip().replace(" ", "")
        if wait := seconds_to_wait(confirmed_device(request.user)):
            form.add_error("code", _throttled(wait))
        elif looks_like_recovery_code(code):
            device = confirmed_device(request.user)
            assert device is not None  # a user without one was sent to set one up above
            if use_recovery_code(request.user, code):
                otp_login(request, device)
                record_audit(
                    user=request.user,
                    action=AuditEntry.Action.UPDATE,
                    obj=device,
                    reason=_("Signed in with a recovery code"),
                )
                left = recovery_codes_left(request.user)
                messages.warning(
                    request,
                    ngettext(
                        "You signed in with a recovery code: %(n)d code is left. Each works once.",
                        "You signed in with a recovery code: %(n)d codes are left. Each works "
                        "once.",
                        left,
                    )
                    % {"n": left},
                )
                return redirect(_next_url(request))
            device.throttle_increment()
            form.add_error("code", _("That recovery code is not right, or was used already."))
        elif (device := match_token(request.user, code)) is not None:
            otp_login(request, device)
            return redirect(_next_url(request))
        else:
            form.add_error("code", _wrong_code(confirmed_device(request.user)))
    return render(request, "accounts/verify.html", {"form": form, "next": _next_url(request)})


@login_required
def profile(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "accounts/profile.html",
        {
            "device": confirmed_device(request.user),
            "required": second_factor_required(request.user),
            "codes_left": recovery_codes_left(request.user),
        },
    )


NEW_CODES_SESSION_KEY = "recovery_codes_to_show"


def _show_new_codes(request: HttpRequest) -> HttpResponse:
    """Make new recovery codes and show them on the next page, once."""
    request.session[NEW_CODES_SESSION_KEY] = make_recovery_codes(request.user)
    query = urlencode({"next": _next_url(request)})
    return redirect(f"{reverse('otp-recovery-codes')}?{query}")


@login_required
def recovery_codes(request: HttpRequest) -> HttpResponse:
    """The recovery codes just made, shown this once; later only how many are left."""
    if confirmed_device(request.user) is None:
        return redirect("otp-setup")
    codes = request.session.pop(NEW_CODES_SESSION_KEY, None)
    context = {
        "codes": codes,
        "left": recovery_codes_left(request.user),
        "next": _next_url(request),
    }
    response = render(request, "accounts/recovery_codes.html", context)
    response["Cache-Control"] = "no-store"
    return response


@require_POST
@login_required
def recovery_codes_new(request: HttpRequest) -> HttpResponse:
    """New codes in place of the old ones (all used, or seen by someone else)."""
    device = confirmed_device(request.user)
    if device is None:
        return redirect("otp-setup")
    record_audit(
        user=request.user,
        action=AuditEntry.Action.UPDATE,
        obj=device,
        reason=_("Made new recovery codes"),
    )
    return _show_new_codes(request)
