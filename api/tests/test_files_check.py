"""The files check through the API: the live check is an endpoint, verdicts travel with the
registration, and a registration without them is held for the station's review queue."""

import datetime as dt
import uuid

import pytest

from api.tests.test_api import api_client
from identity.models import MatchLabel, ReviewItem
from identity.tests.helpers import crossing, stored_person
from people.models import Person
from people.states import JourneyState as S

pytestmark = pytest.mark.django_db
BORN = dt.date(1931, 5, 4)


def earlier_record(personas) -> Person:
    person = stored_person(
        family_name_hanzi="安",
        given_name_hanzi="在秀",
        family_name_hangul="안",
        given_name_hangul="재수",
        sex="M",
        birth_date=BORN,
        station=personas.musan,
        state=S.RETURNED,
    )
    crossing(person, days_ago=200)
    return person


def member(**extra: object) -> dict:
    return {
        "family_name_hangul": "안",
        "given_name_hangul": "재수",
        "sex": "M",
        "birth_date": BORN.isoformat(),
        **extra,
    }


def test_the_live_check_finds_the_earlier_record_in_another_script(personas) -> None:
    earlier = earlier_record(personas)
    client = api_client(personas["registrar-onsong"])
    found = client.get("/api/identity/check", member()).json()
    assert found[0]["id"] == earlier.pk and found[0]["station"] == "musan"
    assert found[0]["score"] > 0 and found[0]["band"] in ("auto_link", "review")
    assert client.get("/api/identity/check", {"sex": "M"}).json() == []
    refused = api_client(personas["medical-onsong"]).get("/api/identity/check", member())
    assert refused.status_code == 403


def test_same_person_through_the_api_adds_the_crossing_to_the_earlier_record(personas) -> None:
    earlier = earlier_record(personas)
    before = Person.objects.count()
    payload = {
        "client_uuid": str(uuid.uuid4()),
        "station": "onsong",
        "members": [member(files_check=[{"candidate_id": earlier.pk, "verdict": "same"}])],
    }
    client = api_client(personas["registrar-onsong"])
    response = client.post("/api/households", payload, content_type="application/json")
    assert response.status_code == 201, response.content
    assert Person.objects.count() == before
    (answer,) = response.json()["members"]
    assert answer["id"] == earlier.pk and answer["state"] == S.IDENTITY_CHECKED
    earlier.refresh_from_db()
    assert earlier.station == personas.onsong and earlier.crossings.count() == 2
    again = client.post("/api/households", payload, content_type="application/json")
    assert again.status_code == 200 and earlier.crossings.count() == 2


def test_a_registration_without_verdicts_waits_in_the_review_queue(personas) -> None:
    earlier = earlier_record(personas)
    payload = {"client_uuid": str(uuid.uuid4()), "station": "onsong", "members": [member()]}
    response = api_client(personas["registrar-onsong"]).post(
        "/api/households", payload, content_type="application/json"
    )
    (answer,) = response.json()["members"]
    assert answer["state"] == S.REGISTERED
    item = ReviewItem.objects.get(left_id=answer["id"], resolved_at__isnull=True)
    assert item.right == earlier
    page = personas.client_for("registrar-onsong").get("/identity/review/").content.decode()
    assert 'data-testid="review-pair"' in page


def test_different_through_the_api_is_a_label_and_the_person_passes(personas) -> None:
    earlier = earlier_record(personas)
    payload = {
        "client_uuid": str(uuid.uuid4()),
        "station": "onsong",
        "given_name_hangul": "재수",
        "family_name_hangul": "안",
        "sex": "M",
        "birth_date": BORN.isoformat(),
        "files_check": [{"candidate_id": earlier.pk, "verdict": "different"}],
    }
    response = api_client(personas["registrar-onsong"]).post(
        "/api/persons", payload, content_type="application/json"
    )
    assert response.status_code == 201 and response.json()["state"] == S.IDENTITY_CHECKED
    assert MatchLabel.objects.get(left_id=response.json()["id"]).verdict == "different"


def test_two_same_verdicts_for_one_member_are_refused(personas) -> None:
    earlier = earlier_record(personas)
    other = stored_person(family_name_hanzi="安", given_name_hanzi="在秀", sex="M", birth_date=BORN)
    payload = {
        "client_uuid": str(uuid.uuid4()),
        "station": "onsong",
        "members": [
            member(
                files_check=[
                    {"candidate_id": earlier.pk, "verdict": "same"},
                    {"candidate_id": other.pk, "verdict": "same"},
                ]
            )
        ],
    }
    response = api_client(personas["registrar-onsong"]).post(
        "/api/households", payload, content_type="application/json"
    )
    assert response.status_code == 422
    assert "only one earlier record" in str(response.json()["errors"])
