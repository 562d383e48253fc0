"""The resident ID number on a person: refused when its check character is wrong, kept in
the files check's keys, and the strongest evidence in scoring."""

import datetime as dt
import json

import pytest

from identity.check import live_check
from identity.engine import (
    AUTO_LINK,
    REVIEW,
    BirthDate,
    MatchModel,
    PersonRecord,
    prepare_record,
)
from identity.engine.idnumber import make_resident_id, parse_resident_id
from identity.engine.scoring import score_pair
from identity.keys import key_hash
from identity.models import BlockingKey
from identity.tests.helpers import stored_person
from intake.tests.test_edits import token_client
from people.demo.generate import PopulationPlan
from people.demo.loader import load_demo
from people.demo.resident_ids import give_resident_ids
from people.models import Person
from people.tests.test_views import registration_form

pytestmark = pytest.mark.django_db
BORN = dt.date(1958, 4, 12)
VALID = make_resident_id("222401", BORN, 123)
OTHER_VALID = make_resident_id("222405", BORN, 457)
BAD_CHECK = VALID[:17] + ("0" if VALID[17] != "0" else "1")


def member(**fields: str) -> dict:
    return {
        "family_name_hangul": "안",
        "given_name_hangul": "재수",
        "sex": "M",
        "birth_date": BORN.isoformat(),
        **fields,
    }


def test_the_registration_form_keeps_a_valid_id_and_refuses_a_wrong_check_digit(
    personas,
) -> None:
    client = personas.client_for("registrar-onsong")
    spaced = f"{VALID[:6]} {VALID[6:14]} {VALID[14:]}".lower()
    refused = client.post(
        "/people/register/",
        registration_form([member(document_number=BAD_CHECK)], personas.onsong.pk),
    )
    assert refused.status_code == 200
    assert "not a valid resident ID number" in refused.content.decode()
    assert not Person.objects.exists()

    client.post(
        "/people/register/", registration_form([member(document_number=spaced)], personas.onsong.pk)
    )
    assert Person.objects.get().document_number == VALID


def test_the_api_creates_and_reads_the_resident_id_and_explains_a_bad_one(personas) -> None:
    client = token_client(personas["registrar-onsong"])
    body = {
        "station": personas.onsong.code,
        "family_name_hangul": "안",
        "given_name_hangul": "재수",
        "sex": "M",
        "birth_date": BORN.isoformat(),
    }
    bad = client.post(
        "/api/persons", json.dumps({**body, "document_number": BAD_CHECK}), "application/json"
    )
    assert bad.status_code == 422, bad.content
    assert "document_number" in bad.content.decode()
    assert not Person.objects.exists()

    made = client.post(
        "/api/persons", json.dumps({**body, "document_number": VALID}), "application/json"
    )
    assert made.status_code == 201, made.content
    read = client.get(f"/api/persons/{made.json()['id']}")
    assert read.json()["document_number"] == VALID


def test_a_date_of_birth_or_sex_that_contradicts_the_id_is_refused_and_an_unknown_date_filled(
    personas,
) -> None:
    client = token_client(personas["registrar-onsong"])
    body = {
        "station": personas.onsong.code,
        "family_name_hangul": "안",
        "given_name_hangul": "재수",
        "document_number": VALID,  # a man born on BORN
    }
    for wrong in (
        {"sex": "M", "birth_date": "1958-12-04"},  # day and month swapped
        {"sex": "M", "birth_date": "1959-01-01", "birth_date_precision": "year"},
        {"sex": "F", "birth_date": BORN.isoformat()},
    ):
        refused = client.post("/api/persons", json.dumps({**body, **wrong}), "application/json")
        assert refused.status_code == 422, refused.content
        field = "sex" if wrong["sex"] == "F" else "birth_date"
        assert "resident ID number" in " ".join(refused.json()["errors"][field])
    assert not Person.objects.exists()

    approximate = {"sex": "M", "birth_date": "1958-01-01", "birth_date_precision": "year"}
    made = client.post("/api/persons", json.dumps({**body, **approximate}), "application/json")
    assert made.status_code == 201, made.content
    unknown = {"sex": "M", "birth_date_precision": "unknown", "document_number": OTHER_VALID}
    made = client.post("/api/persons", json.dumps({**body, **unknown}), "application/json")
    assert made.status_code == 201, made.content
    filled = Person.objects.get(document_number=OTHER_VALID)
    assert (filled.birth_date, filled.birth_date_precision) == (BORN, "day")


def scored(left_id: str, right_id: str, **right: object):
    base = {"sex": "M", "birth_date": BirthDate(BORN.year, BORN.month, BORN.day)}
    a = prepare_record(
        PersonRecord("a", family_hangul="김", given_hangul="철수", document_number=left_id, **base)
    )
    b = prepare_record(PersonRecord("b", document_number=right_id, **{**base, **right}))
    return score_pair(a, b, MatchModel(common_surname_share=0.02))  # the rule on


def test_the_same_valid_id_links_automatically_even_for_a_common_surname() -> None:
    without = scored("", "", family_hangul="김", given_hangul="철수")
    assert without.band == REVIEW  # a common surname with name and birth date alone
    same = scored(VALID, VALID, family_latin="Kim", given_latin="Chol-su")
    assert same.band == AUTO_LINK


def test_two_different_valid_ids_count_strongly_against_a_link() -> None:
    without = scored("", "", family_hangul="김", given_hangul="철수")
    conflict = scored(VALID, OTHER_VALID, family_hangul="김", given_hangul="철수")
    assert conflict.band != AUTO_LINK
    # the IDs' issuing counties stand in for the untyped places; the IDs themselves weigh
    place = sum(row.weight for row in conflict.comparisons if row.field == "attribute:place")
    assert conflict.score - place <= without.score - 9


def test_the_live_check_finds_a_record_by_its_resident_id_alone(personas) -> None:
    earlier = stored_person(
        family_name_hanzi="安",
        given_name_hanzi="在秀",
        sex="M",
        birth_date=BORN,
        document_number=VALID,
    )
    typed = {
        "family_name_latin": "Ahn",
        "given_name_latin": "Jesu",
        "sex": "M",
        "birth_date": dt.date(1958, 12, 4),  # day and month typed the other way round
        "birth_date_precision": "day",
        "document_number": VALID,
    }
    _, candidates = live_check(typed)
    assert candidates and candidates[0].person.pk == earlier.pk
    assert candidates[0].result.band == AUTO_LINK


def test_demo_persons_get_distinct_valid_ids_that_fit_their_birth_and_sex() -> None:
    plan = PopulationPlan(2_000, 7, dt.UTC)
    households = list(plan.households())
    given = give_resident_ids(households, seed=7, share=0.5)
    members = [person for household in households for person in household.members]
    carrying = [person for person in members if person.document_number]
    full_dates = [person for person in members if person.birth_precision == "day"]
    assert len(carrying) == given and 0.4 * len(full_dates) < given < 0.6 * len(full_dates)
    assert len({person.document_number for person in carrying}) == given
    for person in carrying:
        parsed = parse_resident_id(person.document_number)
        assert parsed is not None and parsed.birth_date == person.birth_date
        assert parsed.sex == person.sex


@pytest.mark.django_db
def test_demo_resident_ids_are_stored_and_keyed() -> None:
    load_demo(300, seed=4)
    with_id = list(Person.objects.exclude(document_number=""))
    assert 30 < len(with_id) < 120
    for person in with_id[:20]:
        doc = key_hash(f"doc:{person.document_number}")
        assert BlockingKey.objects.filter(person=person, key_hash=doc).exists()
