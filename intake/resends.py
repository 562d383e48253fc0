"""A form posted twice is handled once.

Every page's POST form carries a client token (intake/templatetags/client_token.py). The
first post of a token is recorded before its view runs; when the view answers with a
redirect (every page saves, then redirects), where it led is recorded too. A second post of
the same token (a double click, a browser resending after a lost answer) does not run the
view again: it waits for the first to finish and is sent where the first one led, with a
note that nothing was saved twice. An answer that is not a redirect (a form shown again with
its errors) saves nothing, so the token is free to be sent again.

The API has its own idempotency (client UUIDs in the bodies); requests without a token, and
visitors who are not signed in (the sign-in form), pass untouched.
"""

from __future__ import annotations

import time
import uuid
from collections.abc import Callable
from typing import cast

from django.contrib import messages
from django.contrib.auth.models import User
from django.db import IntegrityError, transaction
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import Resolver404, ResolverMatch, resolve
from django.utils.translation import gettext as _

from intake.models import FormSubmission
from intake.templatetags.client_token import FIELD

# How long a second post waits for the first to finish before it is told to look later.
WAIT_SECONDS = 10.0
POLL_SECONDS = 0.1


# Posting these twice does no harm, and a page shown again from the browser's history must
# still change the language.
REPEATABLE = frozenset({"set_language", "logout", "login"})


def _token_of(request: HttpRequest) -> uuid.UUID | None:
    if request.method != "POST" or request.path.startswith("/api/"):
        return None
    match = request.resolver_match or _resolve(request.path_info)
    if match is None or match.url_name in REPEATABLE:
        return None
    if not getattr(request.user, "is_authenticated", False):
        return None
    try:
        return uuid.UUID(request.POST.get(FIELD, ""))
    except ValueError:
        return None


def _resolve(path: str) -> ResolverMatch | None:
    try:
        return resolve(path)
    except Resolver404:
        return None


def _signed_in(request: HttpRequest) -> User:
    return cast(User, request.user)  # _token_of lets only signed-in users through


def _claim(token: uuid.UUID, request: HttpRequest) -> bool:
    """Record the token as being handled; False if it was sent before."""
    try:
        with transaction.atomic():
            FormSubmission.objects.create(
                token=token, user=_signed_in(request), path=request.path[:300]
            )
    except IntegrityError:
        return False
    return True


def _reclaim(token: uuid.UUID, request: HttpRequest) -> FormSubmission | None:
    """Wait for the first post of the token to finish. Returns it when it led somewhere;
    None when it saved nothing and this post may be handled (the token is claimed again)."""
    deadline = time.monotonic() + WAIT_SECONDS
    while True:
        claimed = FormSubmission.objects.filter(
            token=token, user=_signed_in(request), state=FormSubmission.State.OPEN
        ).update(state=FormSubmission.State.PENDING)
        if claimed:
            return None
        first = FormSubmission.objects.filter(token=token).first()
        if first is None or first.user_id != request.user.pk:
            raise PermissionError
        if first.state == FormSubmission.State.DONE or time.monotonic() > deadline:
            return first
        time.sleep(POLL_SECONDS)


class OnceOnlyFormsMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        token = _token_of(request)
        if token is None:
            return self.get_response(request)
        if not _claim(token, request):
            try:
                first = _reclaim(token, request)
            except PermissionError:
                return self._refused(request)
            if first is not None:
                return self._replayed(request, first)
        response = self.get_response(request)
        led_somewhere = 300 <= response.status_code < 400 and response.has_header("Location")
        FormSubmission.objects.filter(token=token).update(
            state=FormSubmission.State.DONE if led_somewhere else FormSubmission.State.OPEN,
            location=response["Location"][:2000] if led_somewhere else "",
        )
        return response

    @staticmethod
    def _replayed(request: HttpRequest, first: FormSubmission) -> HttpResponse:
        if first.state != FormSubmission.State.DONE:
            return render(
                request,
                "intake/resent.html",
                {"message": _("This form is still being saved. Look again in a moment.")},
                status=409,
            )
        messages.info(request, _("This form had already been sent; it was saved once."))
        return HttpResponseRedirect(first.location)

    @staticmethod
    def _refused(request: HttpRequest) -> HttpResponse:
        return render(
            request,
            "intake/resent.html",
            {"message": _("This form cannot be sent again. Open the page again.")},
            status=409,
        )
