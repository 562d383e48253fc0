"""Schemathesis fuzzes the API in-process (WSGI): no answer may be a 500, and every answer must
match the schema's status codes, content types and bodies. It runs on whichever database the
suite runs on (CI: SQLite, then PostgreSQL), signed in both ways a client can be: with an API
token and with a browser's session (cookie and CSRF header, as the offline intake page sends).

Two phases: every operation alone with fuzzed input, and a stateful phase that follows the
schema's links (register a household, read a member, edit them, record their crossing) with
input steered past the first validation into the services; the stateful phase must see a good
share of its writes accepted, or it is not testing the services at all."""

import datetime as dt
import random
from collections import Counter
from collections.abc import Iterator

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from django.test import Client
from hypothesis import HealthCheck, settings
from hypothesis.stateful import (
    Bundle,
    RuleBasedStateMachine,
    multiple,
    rule,
    run_state_machine_as_test,
)
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from api.models import ApiToken
from people.models import Person
from people.tests.factories import PersonFactory

_django = get_wsgi_application()
HOST = "localhost"


def _over_https(environ: dict, start_response):  # noqa: ANN202 - a WSGI callable
    """The API is served over https in production; requests say so, so that the https
    redirect of the production settings answers nothing in their place."""
    environ["wsgi.url_scheme"] = "https"
    environ["HTTP_HOST"] = HOST
    if "HTTP_X_SESSION_COOKIE" in environ:  # the test client's own cookie jar sends none
        environ["HTTP_COOKIE"] = environ.pop("HTTP_X_SESSION_COOKIE")
    return _django(environ, start_response)


schema = schemathesis.openapi.from_wsgi("/api/openapi.json", _over_https)
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]
# What the steering puts in place of fuzzed names, so some registrations pass validation.
NAMES = [("안", "재수", "安", "在秀", "An", "Jae-su"), ("김", "영희", "金", "英姬", "Kim", "Yeong-hui"),
         ("리", "명수", "李", "明洙", "Ri", "Myong-su"), ("박", "순자", "朴", "順子", "Pak", "Sun-ja")]  # fmt: skip
NAME_FIELDS = ("family_name_hangul", "given_name_hangul", "family_name_hanzi",
               "given_name_hanzi", "family_name_latin", "given_name_latin")  # fmt: skip


@pytest.fixture(autouse=True)
def keep_the_test_connection() -> Iterator[None]:
    """Requests reach the WSGI app directly, not through Django's test client, so detach what
    the test client detaches: closing connections at each request, which on PostgreSQL would
    close the test's own transaction."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


def token_headers(user) -> dict[str, str]:
    _record, raw = ApiToken.issue(user, "schemathesis")
    return {"Authorization": f"Bearer {raw}"}


def session_headers(user) -> dict[str, str]:
    """The headers of a signed-in browser: its session and CSRF cookies, the CSRF header the
    intake page's script sends, and the same-origin Referer Django checks over https."""
    client = Client()
    client.force_login(user)
    client.get("/people/register/")  # the page sets the CSRF cookie
    # the test client connects Django's closing of connections again after its request; the
    # fuzzed requests must not close the test's own (PostgreSQL) connection
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    session, csrf = client.cookies["sessionid"].value, client.cookies["csrftoken"].value
    return {
        "X-Session-Cookie": f"sessionid={session}; csrftoken={csrf}",
        "X-CSRFToken": csrf,
        "Referer": f"https://{HOST}/people/register/",
        "Origin": f"https://{HOST}",
    }


HEADERS = {"token": token_headers, "session": session_headers}


@pytest.fixture(params=sorted(HEADERS))
def headers(request, personas) -> dict[str, str]:
    return HEADERS[request.param](personas["registrar-onsong"])


@pytest.fixture
def person_id(personas) -> int:
    return PersonFactory(station=personas.onsong).pk


def steer(case, person_id: int) -> None:
    """Random station codes and ids stop at "unknown station/person"; half of the cases get a
    real one so the fuzzing reaches the services behind those checks."""
    if isinstance(case.body, dict):
        if isinstance(case.body.get("station"), str) and len(case.body["station"]) % 2 == 0:
            case.body["station"] = "onsong"
        if isinstance(case.body.get("person_id"), int) and case.body["person_id"] % 2 == 0:
            case.body["person_id"] = person_id
    parameters = case.path_parameters or {}
    if isinstance(parameters.get("person_id"), int) and parameters["person_id"] % 2 == 0:
        parameters["person_id"] = person_id


@pytest.mark.django_db
@schema.parametrize()
@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
def test_no_operation_crashes_or_breaks_its_schema(case, headers: dict, person_id: int) -> None:
    steer(case, person_id)
    case.call_and_validate(headers=headers, checks=CHECKS)


PERSON_FIELDS = frozenset(
    {*NAME_FIELDS, "client_uuid", "sex", "birth_date", "birth_date_precision", "place_of_origin",
     "document_number", "education_level", "education_years", "occupation", "languages",
     "category", "station", "household_uuid", "crossed_at"}
)  # fmt: skip
PLAIN_TEXT = {"place_of_origin": ["延吉", "Yanji", "용정"], "occupation": ["miner", "교사", ""]}


def _past_moment(rng: random.Random) -> str:
    moment = dt.datetime.now(dt.UTC) - dt.timedelta(minutes=rng.randrange(1, 10**6))
    return moment.isoformat()


def _valid_member(member: object, rng: random.Random) -> object:
    """A fuzzed member with what the services check first made plausible, most of the time:
    only known fields, a name, a sex, a birth date, plain text; the rest stays as fuzzed."""
    if not isinstance(member, dict) or rng.random() < 0.15:
        return member
    names = dict(zip(NAME_FIELDS, rng.choice(NAMES), strict=True))
    born = dt.date(1930, 1, 1) + dt.timedelta(days=rng.randrange(0, 365 * 60))
    steered = {key: value for key, value in member.items() if key in PERSON_FIELDS}
    for name, choices in PLAIN_TEXT.items():
        if rng.random() < 0.8:
            steered[name] = rng.choice(choices)
    if rng.random() < 0.8:
        steered["languages"] = rng.choice([[], ["ko"], ["ko", "zh"]])
    if "crossed_at" in steered:
        steered["crossed_at"] = _past_moment(rng)
    return {
        **steered,
        **names,
        "sex": rng.choice("MFX"),
        "birth_date": born.isoformat(),
        "birth_date_precision": rng.choice(["day", "month", "year"]),
        "document_number": "",
    }


KNOWN_BODY_KEYS = frozenset(
    {*PERSON_FIELDS, "members", "head_index", "person_id", "direction", "note", "version",
     "changes"}
)  # fmt: skip


class Steering:
    """Moves the stateful phase's fuzzed requests past the first checks, counting how many
    writes the services accepted."""

    def __init__(self, person_id: int) -> None:
        self.person_id = person_id
        self.rng = random.Random(20)
        self.writes: Counter[str] = Counter()

    def before(self, case) -> None:  # noqa: ANN001 - a schemathesis Case
        body = case.body
        if isinstance(body, dict):
            if self.rng.random() < 0.85:
                for key in set(body) - KNOWN_BODY_KEYS:
                    body.pop(key)
            if "station" in body and self.rng.random() < 0.9:
                body["station"] = "onsong"
            if "crossed_at" in body and self.rng.random() < 0.9:
                body["crossed_at"] = _past_moment(self.rng)
            if isinstance(body.get("members"), list):
                body["members"] = [_valid_member(m, self.rng) for m in body["members"][:5]]
                body["head_index"] = 0
            elif "sex" in body and "station" in body:
                case.body = body = _valid_member(body, self.rng)
                body.pop("household_uuid", None)
                body["station"] = "onsong"
            if "direction" in body:
                if self.rng.random() < 0.8:
                    body["note"] = self.rng.choice(["", "by the river ford", "강을 건넘"])
                if not isinstance(body.get("person_id"), int) or self.rng.random() < 0.3:
                    body["person_id"] = self.person_id
            if "version" in body and isinstance(body.get("changes"), dict):
                if self.rng.random() < 0.8:
                    body["changes"] = _valid_member(body["changes"], self.rng)
                    for key in ("station", "household_uuid", "crossed_at", "client_uuid"):
                        body["changes"].pop(key, None)
                target = (case.path_parameters or {}).get("person_id", self.person_id)
                current = Person.objects.filter(pk=target).values_list("version", flat=True)
                if current and self.rng.random() < 0.8:
                    body["version"] = current[0]
                body["changes"].pop("document_number", None)
                for name in NAME_FIELDS:
                    if name in body["changes"] and self.rng.random() < 0.8:
                        body["changes"].pop(name)
                if body["changes"].get("birth_date") and self.rng.random() < 0.8:
                    body["changes"]["birth_date"] = "1950-06-01"

    def after(self, case, response) -> None:  # noqa: ANN001 - schemathesis objects
        if case.method.upper() in ("POST", "PATCH"):
            self.writes["sent"] += 1
            if 200 <= response.status_code < 300:
                self.writes["accepted"] += 1


def _operation(path: str, method: str):  # noqa: ANN202 - a schemathesis operation
    return schema[path][method]


def _call(case, headers: dict, steering: Steering):  # noqa: ANN001, ANN202
    steering.before(case)
    response = case.call(headers=headers)
    steering.after(case, response)
    case.validate_response(response, checks=CHECKS)
    return response


def _workflow(headers: dict, steering: Steering) -> type[RuleBasedStateMachine]:
    """Registration as a client works it: households and persons are registered (fuzzed
    bodies, steered), and the persons registered are read, edited and cross the border."""
    households = _operation("/api/households", "POST").as_strategy()
    persons_post = _operation("/api/persons", "POST").as_strategy()
    read = _operation("/api/persons/{person_id}", "GET").as_strategy()
    edit = _operation("/api/persons/{person_id}", "PATCH").as_strategy()
    crossings = _operation("/api/crossings", "POST").as_strategy()
    listing = _operation("/api/persons", "GET").as_strategy()

    class Workflow(RuleBasedStateMachine):
        persons = Bundle("persons")

        @rule(target=persons, case=households)
        def register_household(self, case) -> object:  # noqa: ANN001
            answer = _call(case, headers, steering)
            if answer.status_code in (200, 201):
                return multiple(*(member["id"] for member in answer.json()["members"]))
            return multiple()

        @rule(target=persons, case=persons_post)
        def register_person(self, case) -> object:  # noqa: ANN001
            answer = _call(case, headers, steering)
            return multiple(answer.json()["id"]) if answer.status_code in (200, 201) else multiple()

        @rule(person=persons, case=read)
        def read_person(self, person: int, case) -> None:  # noqa: ANN001
            case.path_parameters["person_id"] = person
            assert _call(case, headers, steering).status_code == 200

        @rule(person=persons, case=edit)
        def edit_person(self, person: int, case) -> None:  # noqa: ANN001
            case.path_parameters["person_id"] = person
            _call(case, headers, steering)

        @rule(person=persons, case=crossings)
        def record_crossing(self, person: int, case) -> None:  # noqa: ANN001
            if isinstance(case.body, dict):
                case.body["person_id"] = person
            _call(case, headers, steering)

        @rule(case=listing)
        def list_persons(self, case) -> None:  # noqa: ANN001
            _call(case, headers, steering)

    return Workflow


@pytest.mark.django_db
@pytest.mark.parametrize("auth", sorted(HEADERS))
def test_stateful_runs_reach_the_services_and_never_fail(personas, auth: str) -> None:
    person = PersonFactory(station=personas.onsong)
    steering = Steering(person.pk)
    run_state_machine_as_test(
        _workflow(HEADERS[auth](personas["registrar-onsong"]), steering),
        settings=settings(
            max_examples=10,
            stateful_step_count=10,
            deadline=None,
            suppress_health_check=list(HealthCheck),
        ),
    )
    sent, accepted = steering.writes["sent"], steering.writes["accepted"]
    assert sent >= 20, f"the stateful phase sent only {sent} writes"
    assert accepted >= sent // 5, f"only {accepted} of {sent} writes reached the services"
