"""Send a signed-in user who still owes a second factor to the page that asks for it."""

from collections.abc import Callable
from urllib.parse import urlencode

from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse

from accounts.services import confirmed_device, second_factor_required

# Pages a half-signed-in user may still open: the second-factor pages themselves, logging out,
# changing language, static files, and the API, whose session authentication refuses such a
# session itself (api/api.py: StaffSession) with a 401 a script understands, not a redirect.
EXEMPT_URL_NAMES = ("otp-verify", "otp-setup", "logout", "set_language")
EXEMPT_URL_PREFIXES = ("/accounts/second-factor/enrol/",)
EXEMPT_PREFIXES = ("/api/", "/" + settings.STATIC_URL.lstrip("/"))


class SecondFactorMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if (
            user is not None
            and user.is_authenticated
            and not user.is_verified()
            and not self._exempt(request.path)
        ):
            if confirmed_device(user) is not None:
                return self._redirect("otp-verify", request)
            if second_factor_required(user):
                return self._redirect("otp-setup", request)
        return self.get_response(request)

    @staticmethod
    def _exempt(path: str) -> bool:
        if path.startswith(EXEMPT_PREFIXES + EXEMPT_URL_PREFIXES):
            return True
        return any(path == reverse(name) for name in EXEMPT_URL_NAMES)

    @staticmethod
    def _redirect(url_name: str, request: HttpRequest) -> HttpResponse:
        query = urlencode({"next": request.get_full_path()})
        return HttpResponseRedirect(f"{reverse(url_name)}?{query}")
