"""The matrix of personas x API endpoints: who may call what, within which scope."""

import uuid

from django.test import Client
from django.utils import timezone

from api.models import ApiToken
from people.tests.factories import PersonFactory

ONSONG_READERS = {
    "registrar-onsong",
    "medical-onsong",
    "supplies-onsong",
    "labour",
    "documents",
    "admin",
    "auditor",
}


def call(personas, name: str, method: str, url: str, payload: dict | None = None) -> int:
    _token, raw = ApiToken.issue(personas[name], "matrix")
    client = Client(headers={"Authorization": f"Bearer {raw}"})
    if method == "get":
        return client.get(url).status_code
    return client.post(url, payload, content_type="application/json").status_code


def test_reading_a_person_follows_station_and_province_scope(personas) -> None:
    person = PersonFactory(station=personas.onsong)
    for name in personas.names:
        if name == "no-role":
            continue
        status = call(personas, name, "get", f"/api/persons/{person.pk}")
        assert status == (200 if name in ONSONG_READERS else 404), name
    assert call(personas, "no-role", "get", f"/api/persons/{person.pk}") == 401


def test_only_the_stations_registrar_and_administrators_register_through_the_api(personas) -> None:
    for name in personas.names:
        payload = {
            "client_uuid": str(uuid.uuid4()),
            "station": "onsong",
            "members": [
                {"given_name_hangul": "재수", "sex": "M", "birth_date_precision": "unknown"}
            ],
        }
        status = call(personas, name, "post", "/api/households", payload)
        if name in ("registrar-onsong", "admin"):
            assert status == 201, name
        elif name == "no-role":
            assert status == 401
        else:
            # Out of scope the station does not exist for the caller; in scope the role is refused.
            assert status in (403, 422), (name, status)


def test_only_registrars_in_scope_record_crossings(personas) -> None:
    person = PersonFactory(station=personas.onsong)
    for name in personas.names:
        payload = {
            "client_uuid": str(uuid.uuid4()),
            "person_id": person.pk,
            "station": "onsong",
            "direction": "in",
            "crossed_at": timezone.now().isoformat(),
        }
        status = call(personas, name, "post", "/api/crossings", payload)
        expected_ok = name in ("registrar-onsong", "admin")
        assert (status == 201) == expected_ok, (name, status)
        assert status < 500
