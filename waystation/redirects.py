"""The one way a page follows a `next` parameter: only to a path on this site.

A `next` that names another host (`https://evil.example/`, `//evil.example/`), a scheme, or
anything that is not a path (`abc`, which `redirect()` would try as a URL name and fail on
with a 500) is ignored for the page's own fallback."""

from typing import Any

from django.http import HttpRequest, HttpResponseRedirect
from django.shortcuts import redirect
from django.utils.http import url_has_allowed_host_and_scheme


def safe_next(request: HttpRequest) -> str | None:
    """The request's `next` (form field, else query parameter) if it is a path on this site."""
    target = request.POST.get("next") or request.GET.get("next") or ""
    if not target.startswith("/") or target.startswith(("//", "/\\")):
        return None
    if not url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return None
    return target


def redirect_back(
    request: HttpRequest, fallback: str, *args: Any, **kwargs: Any
) -> HttpResponseRedirect:
    """Back to a safe `next`, else to the fallback (a URL name with its arguments)."""
    target = safe_next(request)
    if target is not None:
        return HttpResponseRedirect(target)
    return redirect(fallback, *args, **kwargs)
