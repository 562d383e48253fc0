"""One cleaning layer in front of every page and API endpoint: values that no field of
Waystation takes, and that a database or the date arithmetic behind a page fails on, are
answered with a clear 400 before any view runs.

- NUL and other control characters (C0 and C1, except tab and line breaks): PostgreSQL can
  store no NUL at all and fails on it in a comparison; no field needs the others.
- Whole numbers beyond a signed 64-bit integer, in a query value, a form field, a JSON body
  or a path segment (`/people/99999999999999999999/`): SQLite and PostgreSQL store and compare
  ids as 64-bit integers and fail on anything larger.
- Dates and times outside the years 1000-8999, or with a UTC offset beyond what clocks use
  (±14:00): no field means such a date, the date arithmetic of a page overflows near the
  ends of Python's calendar (year 1 and 9999), and PostgreSQL refuses such offsets. Dates
  merely implausible (a birth date in 2999) are for the forms to explain.

Pages get a styled 400 page naming the field; the API its usual 422 body for invalid input,
with the field's path. What a field
means (a name, a note, a birth date) is still checked by the forms and services.
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections.abc import Callable, Iterator
from typing import Any

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

LARGEST_ID = 2**63 - 1
EARLIEST_YEAR, LATEST_YEAR = 1000, 8999
LARGEST_OFFSET_MINUTES = 14 * 60
ALLOWED_CONTROLS = frozenset("\t\n\r")
# A JSON body larger than this is not walked here (the API refuses such bodies itself).
LARGEST_WALKED_BODY = 2_000_000
FORM_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")

_INTEGER = re.compile(r"[+-]?\d+")
_ID = re.compile(r"[0-9]{1,18}")
_DATE_OR_TIME = re.compile(
    r"(?P<year>[+-]?\d{4,})-\d{1,2}-\d{1,2}"
    r"(?:[T ]\d{1,2}:\d{2}(?::\d{2}(?:[.,]\d+)?)?"
    r"(?:Z|(?P<sign>[+-])(?P<hours>\d{2}):?(?P<minutes>\d{2}))?)?",
    re.IGNORECASE,
)


def problem_with(value: str) -> str | None:
    """Why a value is refused, or None when the layer lets it through."""
    for character in value:
        if character in ALLOWED_CONTROLS:
            continue
        category = unicodedata.category(character)
        if category == "Cc":
            return _("It contains a control character.")
        if category == "Cs":
            return _("It contains a broken character.")
    text = value.strip()
    if _INTEGER.fullmatch(text) and abs(int(text)) > LARGEST_ID:
        return _("The number is too large.")
    moment = _DATE_OR_TIME.fullmatch(text)
    if moment:
        if not EARLIEST_YEAR <= int(moment["year"]) <= LATEST_YEAR:
            return _("The date must lie between the years %(first)d and %(last)d.") % {
                "first": EARLIEST_YEAR,
                "last": LATEST_YEAR,
            }
        if moment["sign"] and (
            int(moment["hours"]) * 60 + int(moment["minutes"]) > LARGEST_OFFSET_MINUTES
        ):
            return _("The time zone offset is out of range.")
    return None


def parse_id(value: object) -> int | None:
    """A record id typed in a query or form: ASCII digits that fit the databases' integers,
    else None (`"²".isdigit()` is true, and int() fails on it)."""
    text = str(value or "").strip()
    return int(text) if _ID.fullmatch(text) else None


def _json_values(value: Any, path: str) -> Iterator[tuple[str, str]]:
    if isinstance(value, dict):
        for key, inner in value.items():
            yield path or "__all__", str(key)
            yield from _json_values(inner, f"{path}.{key}" if path else str(key))
    elif isinstance(value, list):
        for index, inner in enumerate(value):
            yield from _json_values(inner, f"{path}.{index}" if path else str(index))
    elif isinstance(value, str):
        yield path or "__all__", value
    elif isinstance(value, int) and not isinstance(value, bool):
        yield path or "__all__", str(value)


def _request_values(request: HttpRequest) -> Iterator[tuple[str, str]]:
    for segment in request.path.split("/"):
        yield "path", segment
    for key, values in request.GET.lists():
        yield key, key
        for value in values:
            yield key, value
    content_type = request.content_type or ""
    # The API reads JSON bodies only, from request.body, which a parsed form would consume.
    is_api = request.path.startswith("/api/")
    if request.method == "POST" and not is_api and content_type in FORM_TYPES:
        for key, values in request.POST.lists():
            yield key, key
            for value in values:
                yield key, value
    elif content_type == "application/json" and request.method in ("POST", "PUT", "PATCH"):
        length = int(request.META.get("CONTENT_LENGTH") or 0)
        if 0 < length <= LARGEST_WALKED_BODY:
            try:
                body = json.loads(request.body)
            except (ValueError, UnicodeDecodeError):
                return  # the API answers malformed JSON itself
            yield from _json_values(body, "")


def first_problem(request: HttpRequest) -> tuple[str, str] | None:
    """(field, why) for the first refused value of the request, or None."""
    for field, value in _request_values(request):
        why = problem_with(value)
        if why is not None:
            return field, why
    return None


class HostileInputMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        found = first_problem(request)
        if found is None:
            return self.get_response(request)
        field, why = found
        if request.path.startswith("/api/"):
            return JsonResponse({"detail": "Invalid input.", "errors": {field: [why]}}, status=422)
        return render(request, "refused_input.html", {"field": field, "why": why}, status=400)
