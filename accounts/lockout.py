"""Who is signing in from where, for login throttling (django-axes).

Behind the recommended proxy every request comes from the proxy's address, so throttling by
REMOTE_ADDR locks a user name for everyone after a few wrong passwords from anywhere. The
client's address is taken from the proxy's header (CLIENT_ADDRESS_HEADER, X-Forwarded-For
by default), but only from proxies named in TRUSTED_PROXIES: the header is read from the
right, past the trusted proxies, to the first address they did not add themselves; a client
that talks to the server directly cannot choose its address by sending the header.

Signing in is locked for one user name from one address after LOGIN_FAILURE_LIMIT wrong
passwords, and for one address under any user name after LOGIN_ADDRESS_FAILURE_LIMIT (one
guesser trying many names). django-axes compares the larger of the two counts with one
limit; `failure_limit` gives it the limit that applies.
"""

from __future__ import annotations

import ipaddress
from functools import cache
from typing import Any

from axes.attempts import get_cool_off_threshold
from axes.helpers import get_client_username
from axes.models import AccessAttempt
from django.conf import settings
from django.db.models import Sum
from django.http import HttpRequest

Network = ipaddress.IPv4Network | ipaddress.IPv6Network


@cache
def _trusted(proxies: tuple[str, ...]) -> tuple[Network, ...]:
    return tuple(ipaddress.ip_network(proxy.strip(), strict=False) for proxy in proxies)


def _is_trusted(address: str) -> bool:
    try:
        parsed = ipaddress.ip_address(address)
    except ValueError:
        return False
    return any(parsed in network for network in _trusted(tuple(settings.TRUSTED_PROXIES)))


def client_address(request: HttpRequest) -> str:
    """The address of the client as the trusted proxies saw it (REMOTE_ADDR without them)."""
    address = request.META.get("REMOTE_ADDR", "")
    if not _is_trusted(address):
        return address
    header = "HTTP_" + settings.CLIENT_ADDRESS_HEADER.upper().replace("-", "_")
    forwarded = [part.strip() for part in request.META.get(header, "").split(",") if part.strip()]
    for hop in reversed(forwarded):
        try:
            ipaddress.ip_address(hop)
        except ValueError:
            return address  # a header no trusted proxy wrote: keep the proxy's own address
        if not _is_trusted(hop):
            return hop
        address = hop
    return address


def _failures(attempts: Any) -> int:
    return attempts.aggregate(total=Sum("failures_since_start"))["total"] or 0


def failure_limit(request: HttpRequest, credentials: dict | None) -> int:
    """The limit django-axes compares max(failures of this name from this address, failures
    from this address under any name) with: the per-name limit once that is reached, else
    the per-address one."""
    address = getattr(request, "axes_ip_address", None) or client_address(request)
    attempts = AccessAttempt.objects.filter(ip_address=address)
    if settings.AXES_COOLOFF_TIME is not None:
        attempts = attempts.filter(attempt_time__gte=get_cool_off_threshold(request))
    username = get_client_username(request, credentials)
    if _failures(attempts.filter(username=username)) >= settings.LOGIN_FAILURE_LIMIT:
        return settings.LOGIN_FAILURE_LIMIT
    return settings.LOGIN_ADDRESS_FAILURE_LIMIT
