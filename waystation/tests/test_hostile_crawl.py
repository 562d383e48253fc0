"""Every route of Waystation, fed hostile values in its query parameters, form fields and path,
answers with a page or a clear refusal, never a 500: on SQLite and on PostgreSQL alike (CI runs
this suite on both). NUL, control characters and numbers or dates out of any field's range
are refused by one layer (waystation/input_guard.py) with a 400 (422 in the API)."""

import datetime as dt

import pytest
from django.test import Client
from django.urls import reverse

from api.models import ApiToken
from people.models import DatePrecision
from people.tests.factories import PersonFactory
from people.tests.personas import Personas
from waystation.input_guard import problem_with
from waystation.tests.access_rules import ADMIN, RULES, Api, Public, Rule

# Values a fuzzer, a careless paste or an attacker sends; the first ones the layer refuses.
REFUSED = [
    "a\x00b",
    "\x1b[31mred",
    "bell\x07",
    "c1\x85",
    "99999999999999999999",
    "-99999999999999999999",
    "9999-12-31",
    "0001-01-01",
    "1961-11-08T10:00:00-23:44",
    "1961-11-08T10:00:00+18:00",
]
PASSED_ON = ["²", "-1", "0", "abc", "https://evil.example/", "//evil.example/", "", " " * 3]
QUERY_NAMES = [
    "q",
    "a",
    "b",
    "day",
    "days",
    "due",
    "on",
    "since",
    "until",
    "through",
    "date",
    "page",
    "person",
    "household",
    "station",
    "state",
    "category",
    "sex",
    "education_level",
    "user",
    "role",
    "action",
    "scope",
    "type",
    "office",
    "officer",
    "status",
    "kind",
    "mode",
    "next",
    "limit",
    "offset",
    "overdue",
    "verdict",
    "fmt",
    "format",
]
FORM_NAMES = [
    "reason",
    "note",
    "to_station",
    "quantity",
    "item",
    "target",
    "name",
    "capacity",
    "subject",
    "text",
    "direction",
    "crossed_at",
    "station",
    "verdict",
    "decision",
    "due_on",
    "next",
    "client_uuid",
    "version",
    "head_index",
    "family_name_hangul",
    "given_name_hangul",
    "sex",
    "birth_date",
    "birth_date_precision",
    "languages",
]
PERSONA_PREFERENCE = [
    "registrar-onsong",
    "medical-onsong",
    "supplies-onsong",
    "documents",
    "labour",
    ADMIN,
    "auditor",
]


def test_the_layer_refuses_what_it_should_and_only_that() -> None:
    assert all(problem_with(value) for value in REFUSED)
    assert not any(problem_with(value) for value in PASSED_ON)
    assert not problem_with("line one\r\n\tline two 안재수 安在秀")
    assert not problem_with("1961-11-08T10:00:00+09:00") and not problem_with("1931-05-04")
    assert not problem_with("230103193105040016"), "an 18-digit resident ID is not a number"


def _persona_for(allowed: frozenset[str]) -> str:
    return next(name for name in PERSONA_PREFERENCE if name in allowed)


def _url(name: str, kwargs: dict[str, str], person_pk: int) -> str:
    values = {"person": person_pk, "station": "onsong", "missing": 987654321}
    return reverse(name, kwargs={k: values.get(v, v) for k, v in kwargs.items()})


def _client(personas: Personas, rule: Rule | Api) -> Client:
    persona = _persona_for(rule.allowed)
    if isinstance(rule, Api):
        _token, raw = ApiToken.issue(personas[persona], "hostile crawl")
        return Client(headers={"Authorization": f"Bearer {raw}"})
    return personas.client_for(persona)


CRAWLED = sorted(name for name, rule in RULES.items() if not isinstance(rule, Public))


@pytest.mark.parametrize("name", CRAWLED)
def test_no_route_fails_on_hostile_values(personas: Personas, name: str) -> None:
    rule = RULES[name]
    person = PersonFactory(station=personas.onsong)
    client = _client(personas, rule)
    url = _url(name, rule.kwargs, person.pk)
    failures = []
    for value in REFUSED + PASSED_ON:
        query = {key: value for key in QUERY_NAMES}
        answers = [client.get(url, query)]
        if rule.method == "post":
            answers.append(client.post(url, {key: value for key in FORM_NAMES}))
        elif rule.method == "patch":
            body = {"client_uuid": value, "version": value, "changes": {"occupation": value}}
            answers.append(client.patch(url, body, content_type="application/json"))
        for answer in answers:
            if answer.status_code >= 500:
                failures.append(f"{value!r}: {answer.status_code}")
            elif value in REFUSED and value and answer.status_code not in (400, 422):
                failures.append(f"{value!r} was not refused: {answer.status_code}")
    if rule.kwargs:
        huge = _url(name, {k: "missing" for k in rule.kwargs}, person.pk).replace(
            "987654321", "99999999999999999999"
        )
        status = client.get(huge).status_code
        if status >= 500:
            failures.append(f"a 20-digit id in the path: {status}")
    assert not failures, f"{name} ({url}):\n" + "\n".join(failures)


@pytest.mark.parametrize("origin", ["api", "page"])
def test_marking_a_birth_date_unknown_clears_the_date(personas: Personas, origin: str) -> None:
    """Found by the fuzzer: the cleared date was dropped from the edit, and the database's
    birth-date constraint refused the change with a 500."""
    person = PersonFactory(station=personas.onsong, birth_date=dt.date(1931, 5, 4))
    if origin == "api":
        _token, raw = ApiToken.issue(personas["registrar-onsong"], "edit")
        answer = Client(headers={"Authorization": f"Bearer {raw}"}).patch(
            f"/api/persons/{person.pk}",
            {"client_uuid": "0b8e2f0c-8e55-4d2c-9d0c-2b6a1d6f1a11", "version": 1,
             "changes": {"birth_date_precision": "unknown"}},
            content_type="application/json",
        )  # fmt: skip
        assert answer.status_code == 200, answer.content
    else:
        client = personas.client_for("registrar-onsong")
        form = client.get(f"/intake/people/{person.pk}/edit/").context["form"]
        data = {
            name: value
            for name, value in {**form.initial, "birth_date_precision": "unknown"}.items()
            if value is not None
        }
        data["languages"] = ""
        answer = client.post(f"/intake/people/{person.pk}/edit/", data)
        assert answer.status_code == 302, answer.content.decode()[:2000]
    person.refresh_from_db()
    assert (person.birth_date, person.birth_date_precision) == (None, DatePrecision.UNKNOWN)
