import uuid

import pytest
from django.test import Client
from django.utils import timezone

from api.models import ApiToken
from people.models import Household, Person
from people.states import JourneyState as S
from people.tests.factories import PersonFactory


def api_client(user) -> Client:
    _token, raw = ApiToken.issue(user, "test client")
    return Client(headers={"Authorization": f"Bearer {raw}"})


def household_payload(**overrides: object) -> dict:
    payload = {
        "client_uuid": str(uuid.uuid4()),
        "station": "onsong",
        "members": [
            {
                "family_name_hangul": "안",
                "given_name_hangul": "재수",
                "family_name_latin": "An",
                "given_name_latin": "Jae-su",
                "sex": "M",
                "birth_date": "1931-05-04",
            },
            {
                "family_name_hangul": "김",
                "given_name_hangul": "영희",
                "sex": "F",
                "birth_date": "1935-01-01",
                "birth_date_precision": "year",
            },
        ],
    }
    payload.update(overrides)
    return payload


def test_the_api_needs_a_valid_unrevoked_token(personas) -> None:
    assert Client().get("/api/persons").status_code == 401
    assert (
        Client(headers={"Authorization": "Bearer nonsense"}).get("/api/persons").status_code == 401
    )
    token, raw = ApiToken.issue(personas["registrar-onsong"], "tablet 3")
    client = Client(headers={"Authorization": f"Bearer {raw}"})
    assert client.get("/api/persons").status_code == 200
    token.revoked_at = timezone.now()
    token.save()
    assert client.get("/api/persons").status_code == 401


def test_creating_a_household_twice_with_one_uuid_stores_it_once_and_answers_the_same(
    personas,
) -> None:
    client = api_client(personas["registrar-onsong"])
    payload = household_payload()
    first = client.post("/api/households", payload, content_type="application/json")
    again = client.post("/api/households", payload, content_type="application/json")
    assert first.status_code == 201 and again.status_code == 200
    assert first.json() == again.json()
    assert Household.objects.count() == 1 and Person.objects.count() == 2
    # nobody on file resembles them: the files check passes both at once
    assert [m["state"] for m in first.json()["members"]] == [S.IDENTITY_CHECKED] * 2


def test_the_same_uuid_with_different_content_is_a_conflict(personas) -> None:
    client = api_client(personas["registrar-onsong"])
    payload = household_payload()
    client.post("/api/households", payload, content_type="application/json")
    payload["members"][0]["given_name_hangul"] = "철수"
    response = client.post("/api/households", payload, content_type="application/json")
    assert response.status_code == 409
    assert Person.objects.count() == 2


@pytest.mark.parametrize(
    "change, field",
    [
        ({"members": []}, "members"),
        ({"station": "nowhere"}, "station"),
        ({"client_uuid": "not-a-uuid"}, "client_uuid"),
        ({"members": [{"given_name_hangul": "재수", "sex": "Q"}]}, "members.0.sex"),
        ({"members": [{"sex": "M", "birth_date": "1931-05-04"}]}, "members.0"),
        (
            {"members": [{"given_name_hangul": "재수", "sex": "M", "birth_date": "3000-01-01"}]},
            "members.0",
        ),
        (
            {"members": [{"given_name_hangul": "재수", "sex": "M", "education_years": -1}]},
            "members.0.education_years",
        ),
        # PostgreSQL stores no NUL character: refused as bad input on every database
        ({"members": [{"given_name_hangul": "재\x00수", "sex": "M"}]}, "members.0.given_name"),
        (
            {"members": [{"given_name_hangul": "재수", "sex": "M", "languages": ["ko\x00"]}]},
            "members.0.languages",
        ),
        ({"station": "onsong\x00"}, "station"),
    ],
)
def test_bad_input_gets_field_errors_and_stores_nothing(personas, change: dict, field: str) -> None:
    response = api_client(personas["registrar-onsong"]).post(
        "/api/households", household_payload(**change), content_type="application/json"
    )
    assert response.status_code == 422, response.content
    assert any(key.startswith(field) for key in response.json()["errors"]), response.json()
    assert Person.objects.count() == 0


def test_malformed_json_is_a_client_error(personas) -> None:
    response = api_client(personas["registrar-onsong"]).post(
        "/api/households", "{not json", content_type="application/json"
    )
    assert 400 <= response.status_code < 500


def test_a_registrar_cannot_register_at_another_station_through_the_api(personas) -> None:
    response = api_client(personas["registrar-musan"]).post(
        "/api/households", household_payload(), content_type="application/json"
    )
    assert response.status_code == 422 and "station" in response.json()["errors"]


def test_single_person_and_crossing_creation_are_idempotent(personas) -> None:
    client = api_client(personas["registrar-onsong"])
    person = {
        "client_uuid": str(uuid.uuid4()),
        "station": "onsong",
        "given_name_latin": "Chol",
        "family_name_latin": "Kim",
        "sex": "M",
        "birth_date_precision": "unknown",
    }
    created = client.post("/api/persons", person, content_type="application/json")
    assert created.status_code == 201
    assert (
        client.post("/api/persons", person, content_type="application/json").json()
        == created.json()
    )
    crossing = {
        "client_uuid": str(uuid.uuid4()),
        "person_id": created.json()["id"],
        "station": "onsong",
        "direction": "out",
        "crossed_at": timezone.now().isoformat(),
    }
    first = client.post("/api/crossings", crossing, content_type="application/json")
    assert first.status_code == 201 and first.json()["person_state"] == S.RETURNED
    assert (
        client.post("/api/crossings", crossing, content_type="application/json").status_code == 200
    )
    assert Person.objects.get().crossings.count() == 2


def test_reading_and_listing_respect_scope_and_are_audited(personas) -> None:
    onsong = PersonFactory(station=personas.onsong)
    musan = PersonFactory(station=personas.musan)
    client = api_client(personas["registrar-musan"])
    assert client.get(f"/api/persons/{onsong.pk}").status_code == 404
    assert client.get(f"/api/persons/{musan.pk}").json()["id"] == musan.pk
    listing = client.get("/api/persons", {"q": "anjaesu"}).json()
    assert listing["count"] == 1 and listing["results"][0]["id"] == musan.pk
    assert (
        api_client(personas["labour"]).get("/api/persons", {"station": "onsong"}).json()["count"]
        == 1
    )
    assert client.get("/api/persons", {"limit": 0}).status_code == 422


def test_paging_past_the_end_is_empty_and_an_impossible_offset_is_a_field_error(personas) -> None:
    PersonFactory(station=personas.musan)
    client = api_client(personas["registrar-musan"])
    beyond = client.get("/api/persons", {"offset": 1_000_000_000}).json()
    assert beyond["count"] == 1 and beyond["results"] == []
    answer = client.get("/api/persons", {"offset": 2**63})
    assert answer.status_code == 422 and "offset" in answer.json()["errors"]


def test_a_filter_with_a_nul_character_is_bad_input_not_a_crash(personas) -> None:
    client = api_client(personas["registrar-musan"])
    for name in ("station", "state", "q"):
        answer = client.get("/api/persons", {name: "musan\x00"})
        assert answer.status_code == 422
        assert name in answer.json()["errors"]


def test_the_openapi_schema_is_public_and_its_docs_page_is_for_staff(personas) -> None:
    schema = Client().get("/api/openapi.json")
    assert schema.status_code == 200
    assert "/api/households" in schema.json()["paths"]
    assert personas.client_for("registrar-onsong").get("/api/docs").status_code == 200
    anonymous = Client().get("/api/docs")
    assert anonymous.status_code == 302 and "/login/" in anonymous["Location"]
