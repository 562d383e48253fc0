"""The API takes JSON as its schema states it: numbers as numbers, objects as objects."""

import uuid

import pytest
from django.test import Client

from api.models import ApiToken
from people.tests.factories import PersonFactory


def api(personas) -> Client:
    _token, raw = ApiToken.issue(personas["registrar-onsong"], "strict")
    return Client(headers={"Authorization": f"Bearer {raw}"})


def household(**member: object) -> dict:
    return {
        "client_uuid": str(uuid.uuid4()),
        "station": "onsong",
        "members": [{"given_name_hangul": "재수", "sex": "M", "birth_date_precision": "unknown",
                     **member}],
    }  # fmt: skip


@pytest.mark.parametrize("years", ["5", True, 5.5])
def test_a_number_sent_as_text_or_a_boolean_is_refused(personas, years: object) -> None:
    answer = api(personas).post(
        "/api/households", household(education_years=years), content_type="application/json"
    )
    assert answer.status_code == 422
    assert "members.0.education_years" in answer.json()["errors"]


@pytest.mark.parametrize("changes", [[None, None], "occupation", 5, None])
def test_changes_that_are_not_an_object_are_refused(personas, changes: object) -> None:
    person = PersonFactory(station=personas.onsong)
    answer = api(personas).patch(
        f"/api/persons/{person.pk}",
        {"client_uuid": str(uuid.uuid4()), "version": 1, "changes": changes},
        content_type="application/json",
    )
    assert answer.status_code == 422 and "changes" in answer.json()["errors"]


def test_a_household_member_that_is_not_an_object_is_refused(personas) -> None:
    payload = {**household(), "members": [["재수", "M"]]}
    answer = api(personas).post("/api/households", payload, content_type="application/json")
    assert answer.status_code == 422


@pytest.mark.django_db
def test_the_health_endpoint_answers_for_the_database() -> None:
    answer = Client().get("/healthz/")
    assert answer.status_code == 200 and answer.json() == {"status": "ok", "database": "ok"}
