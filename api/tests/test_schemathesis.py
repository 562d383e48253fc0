"""Schemathesis fuzzes every operation of the OpenAPI schema in-process (WSGI): no answer may
be a 500, and every answer must match the schema's status codes, content types and bodies."""

from collections.abc import Iterator

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from api.models import ApiToken
from people.tests.factories import PersonFactory

_django = get_wsgi_application()


def _over_https(environ: dict, start_response):  # noqa: ANN202 - a WSGI callable
    """The API is served over https in production; requests say so, so that the https
    redirect of the production settings answers nothing in their place."""
    environ["wsgi.url_scheme"] = "https"
    return _django(environ, start_response)


schema = schemathesis.openapi.from_wsgi("/api/openapi.json", _over_https)
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]


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


@pytest.fixture
def token(personas) -> str:
    _record, raw = ApiToken.issue(personas["registrar-onsong"], "schemathesis")
    return raw


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
def test_no_operation_crashes_or_breaks_its_schema(case, token: str, person_id: int) -> None:
    steer(case, person_id)
    case.call_and_validate(headers={"Authorization": f"Bearer {token}"}, checks=CHECKS)
