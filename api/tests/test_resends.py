"""A resent client UUID answers with the stored record, so it is a read: out of scope it is
absent (404), in scope other content is a conflict (409), and the answer is audited."""

import uuid

import pytest
from django.db import IntegrityError, transaction
from django.test import Client
from django.utils import timezone

from api.models import ApiToken
from people.models import AuditEntry, Crossing, Household, Person
from people.states import JourneyState
from people.tests.factories import PersonFactory


def api_client(user) -> Client:
    _token, raw = ApiToken.issue(user, "resend test")
    return Client(headers={"Authorization": f"Bearer {raw}"})


def post(client: Client, url: str, payload: dict):
    return client.post(url, payload, content_type="application/json")


def member(**fields: object) -> dict:
    return {"given_name_hangul": "재수", "sex": "M", "birth_date_precision": "unknown", **fields}


@pytest.fixture
def onsong_household(personas) -> dict:
    """A household registered at Onsong through the API, with its member's client UUID."""
    payload = {
        "client_uuid": str(uuid.uuid4()),
        "station": "onsong",
        "members": [member(client_uuid=str(uuid.uuid4()))],
    }
    answer = post(api_client(personas["registrar-onsong"]), "/api/households", payload)
    assert answer.status_code == 201
    return {"payload": payload, "person_id": answer.json()["members"][0]["id"]}


def crossing_payload(person_id: int, station: str, client_uuid: str | None = None) -> dict:
    return {
        "client_uuid": client_uuid or str(uuid.uuid4()),
        "person_id": person_id,
        "station": station,
        "direction": "in",
        "crossed_at": timezone.now().isoformat(),
    }


def test_another_stations_uuid_resent_is_not_found(personas, onsong_household) -> None:
    musan = api_client(personas["registrar-musan"])
    household_uuid = onsong_household["payload"]["client_uuid"]
    member_uuid = onsong_household["payload"]["members"][0]["client_uuid"]
    as_person = {"station": "musan", **member(client_uuid=member_uuid, given_name_hangul="아무")}
    assert post(musan, "/api/persons", as_person).status_code == 404
    as_household = {"client_uuid": household_uuid, "station": "musan", "members": [member()]}
    assert post(musan, "/api/households", as_household).status_code == 404
    crossing = post(
        api_client(personas["registrar-onsong"]),
        "/api/crossings",
        crossing_payload(onsong_household["person_id"], "onsong"),
    )
    assert crossing.status_code == 201
    musan_person = PersonFactory(station=personas.musan)
    reused = crossing_payload(musan_person.pk, "musan", crossing.json()["client_uuid"])
    assert post(musan, "/api/crossings", reused).status_code == 404


def test_a_member_or_loaded_record_cannot_be_read_by_resending_its_uuid(
    personas, onsong_household
) -> None:
    """Household members and loaded rows were never sent alone: resending their UUID as a
    person is a conflict, never the record."""
    onsong = api_client(personas["registrar-onsong"])
    member_uuid = onsong_household["payload"]["members"][0]["client_uuid"]
    answer = post(onsong, "/api/persons", {"station": "onsong", **member(client_uuid=member_uuid)})
    assert answer.status_code == 409 and "given_name_hangul" not in answer.json()
    loaded = PersonFactory(station=personas.onsong)
    resent = {"station": "onsong", **member(client_uuid=str(loaded.client_uuid))}
    assert post(onsong, "/api/persons", resent).status_code == 409
    assert Person.objects.count() == 2


def test_a_resend_with_the_same_content_is_audited_as_a_read(personas, onsong_household) -> None:
    onsong = api_client(personas["registrar-onsong"])
    reads = AuditEntry.objects.filter(action=AuditEntry.Action.VIEW)
    before = reads.count()
    again = post(onsong, "/api/households", onsong_household["payload"])
    assert again.status_code == 200
    assert reads.count() == before + 1
    assert reads.order_by("-id").first().person_id == onsong_household["person_id"]


@pytest.mark.django_db
@pytest.mark.parametrize("model", [Household, Person, Crossing])
def test_the_database_refuses_a_submission_without_its_hash(model) -> None:
    person = PersonFactory()
    Crossing.objects.create(
        person=person, station=person.station, direction="in", crossed_at=timezone.now(),
        created_at=timezone.now(),
    )  # fmt: skip
    if model is Household:
        Household.objects.create(station=person.station, created_at=timezone.now())
    with pytest.raises(IntegrityError), transaction.atomic():
        model.objects.update(submission_hash="")


def test_a_crossing_for_a_person_out_of_scope_or_missing_gets_one_answer(personas) -> None:
    """Another station's person and no person at all are told apart by nothing."""
    musan = api_client(personas["registrar-musan"])
    onsong_person = PersonFactory(station=personas.onsong)
    elsewhere = post(musan, "/api/crossings", crossing_payload(onsong_person.pk, "musan"))
    missing = post(musan, "/api/crossings", crossing_payload(987654321, "musan"))
    assert elsewhere.status_code == missing.status_code == 404
    assert elsewhere.json() == missing.json()
    onsong_person.state = JourneyState.RETURNED
    onsong_person.save()
    back = post(musan, "/api/crossings", crossing_payload(onsong_person.pk, "musan"))
    assert back.status_code == 201, back.content
