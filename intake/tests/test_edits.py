"""Versioned edits: a stale edit that would change something becomes a conflict that a
registrar settles field by field; nothing is overwritten silently."""

import uuid

import pytest
from django.test import Client

from api.models import ApiToken
from intake.models import EditConflict
from people.audit import AuditEntry
from people.models import Person, PersonName
from people.tests.factories import PersonFactory

pytestmark = pytest.mark.django_db


def token_client(user) -> Client:
    _token, raw = ApiToken.issue(user, "test client")
    return Client(headers={"Authorization": f"Bearer {raw}"})


def patch(client: Client, person: Person, version: int, changes: dict, client_uuid=None):
    body = {"client_uuid": str(client_uuid or uuid.uuid4()), "version": version, "changes": changes}
    return client.patch(f"/api/persons/{person.pk}", body, content_type="application/json")


def test_an_edit_on_the_current_version_is_applied_and_bumps_the_version(personas) -> None:
    person = PersonFactory(station=personas.onsong)
    client = token_client(personas["registrar-onsong"])
    answer = patch(client, person, 1, {"given_name_latin": "Jae-soo", "occupation": "miner"})
    assert answer.status_code == 200, answer.content
    assert answer.json()["version"] == 2
    person.refresh_from_db()
    assert (person.given_name_latin, person.occupation, person.version) == ("Jae-soo", "miner", 2)
    assert PersonName.objects.filter(person=person, value="jaesoo").exists()
    assert AuditEntry.objects.filter(action="update", person=person).count() == 1


def test_two_offline_edits_of_one_person_become_a_conflict_not_last_write_wins(personas) -> None:
    person = PersonFactory(station=personas.onsong, occupation="farmer")
    first, second = token_client(personas["registrar-onsong"]), token_client(personas["admin"])
    assert patch(first, person, 1, {"occupation": "miner"}).status_code == 200
    late = uuid.uuid4()
    answer = patch(
        second, person, 1, {"occupation": "teacher", "place_of_origin": "Hoeryong"}, late
    )
    assert answer.status_code == 409
    body = answer.json()
    assert body["current"]["occupation"] == "miner" and body["current"]["version"] == 2
    person.refresh_from_db()
    assert (person.occupation, person.place_of_origin) == ("miner", "")
    conflict = EditConflict.objects.get(pk=body["conflict_id"])
    assert conflict.proposed == {"occupation": "teacher", "place_of_origin": "Hoeryong"}
    # The same late edit sent again (its answer was lost) is the same conflict, not a second one.
    again = patch(second, person, 1, {"occupation": "teacher", "place_of_origin": "Hoeryong"}, late)
    assert again.status_code == 409 and again.json()["conflict_id"] == conflict.pk
    assert EditConflict.objects.count() == 1


def test_a_resent_edit_whose_answer_was_lost_is_not_a_conflict(personas) -> None:
    person = PersonFactory(station=personas.onsong)
    client = token_client(personas["registrar-onsong"])
    edit = uuid.uuid4()
    assert patch(client, person, 1, {"occupation": "miner"}, edit).status_code == 200
    resent = patch(client, person, 1, {"occupation": "miner"}, edit)
    assert resent.status_code == 200 and resent.json()["version"] == 2
    assert not EditConflict.objects.exists()


def test_edits_are_validated_scoped_and_refused_for_other_roles(personas) -> None:
    person = PersonFactory(station=personas.onsong)
    registrar = token_client(personas["registrar-onsong"])
    bad = patch(
        registrar,
        person,
        1,
        {
            "family_name_hangul": "",
            "given_name_hangul": "",
            "family_name_hanzi": "",
            "given_name_hanzi": "",
            "family_name_latin": "",
            "given_name_latin": "",
        },
    )
    assert bad.status_code == 422
    assert patch(registrar, person, 7, {"occupation": "x"}).status_code == 422
    assert patch(token_client(personas["registrar-musan"]), person, 1, {}).status_code == 404
    assert patch(token_client(personas["medical-onsong"]), person, 1, {}).status_code == 403
    person.refresh_from_db()
    assert person.version == 1


def test_the_session_of_a_logged_in_registrar_may_post_with_a_csrf_token(personas) -> None:
    client = Client(enforce_csrf_checks=True)
    client.force_login(personas["registrar-onsong"])
    page = client.get("/people/register/")
    token = page.cookies["csrftoken"].value if "csrftoken" in page.cookies else None
    assert token is not None
    person = PersonFactory(station=personas.onsong)
    body = {"client_uuid": str(uuid.uuid4()), "version": 1, "changes": {"occupation": "cook"}}
    refused = client.patch(f"/api/persons/{person.pk}", body, content_type="application/json")
    assert refused.status_code == 403
    answer = client.patch(
        f"/api/persons/{person.pk}",
        body,
        content_type="application/json",
        headers={"X-CSRFToken": token},
    )
    assert answer.status_code == 200, answer.content
    assert Client().get(f"/api/persons/{person.pk}").status_code == 401


def test_a_registrar_settles_a_conflict_field_by_field(personas) -> None:
    person = PersonFactory(station=personas.onsong, occupation="farmer")
    registrar = personas.client_for("registrar-onsong")
    patch(token_client(personas["admin"]), person, 1, {"occupation": "miner"})
    answer = patch(
        token_client(personas["registrar-onsong"]),
        person,
        1,
        {"occupation": "teacher", "place_of_origin": "Hoeryong", "sex": "F"},
    )
    conflict = EditConflict.objects.get(pk=answer.json()["conflict_id"])

    assert "Edits in conflict" in registrar.get(f"/people/{person.pk}/").content.decode()
    assert conflict.person.display_name in registrar.get("/intake/").content.decode()
    page = registrar.get(f"/intake/conflicts/{conflict.pk}/")
    html = page.content.decode()
    assert page.status_code == 200
    assert 'data-field="occupation"' in html and 'data-field="place_of_origin"' in html
    assert "miner" in html and "teacher" in html and "Hoeryong" in html
    assert ">Male<" in html and ">Female<" in html

    done = registrar.post(
        f"/intake/conflicts/{conflict.pk}/",
        {
            "version": 2,
            "take_occupation": "server",
            "take_place_of_origin": "mine",
            "take_sex": "server",
        },
    )
    assert done.status_code == 302
    person.refresh_from_db()
    assert (person.occupation, person.place_of_origin, person.version) == ("miner", "Hoeryong", 3)
    assert person.sex == "M"
    conflict.refresh_from_db()
    assert conflict.status == "resolved" and conflict.resolved_by == personas["registrar-onsong"]


def test_settling_on_a_page_that_went_stale_asks_to_look_again(personas) -> None:
    person = PersonFactory(station=personas.onsong)
    patch(token_client(personas["admin"]), person, 1, {"occupation": "miner"})
    answer = patch(token_client(personas["registrar-onsong"]), person, 1, {"occupation": "cook"})
    conflict_id = answer.json()["conflict_id"]
    patch(token_client(personas["admin"]), person, 2, {"occupation": "smith"})
    page = personas.client_for("registrar-onsong").post(
        f"/intake/conflicts/{conflict_id}/", {"version": 2, "take_occupation": "mine"}
    )
    assert page.status_code == 200 and "changed again" in page.content.decode()
    person.refresh_from_db()
    assert person.occupation == "smith"


def test_the_edit_page_saves_or_leads_to_the_conflict(personas) -> None:
    person = PersonFactory(station=personas.onsong)
    registrar = personas.client_for("registrar-onsong")
    form = registrar.get(f"/intake/people/{person.pk}/edit/").context["form"]
    data = {name: form[name].value() for name in form.fields}
    data["languages"] = ""
    data["birth_date"] = "1931-05-04"
    data = {k: v for k, v in data.items() if v is not None}
    saved = registrar.post(f"/intake/people/{person.pk}/edit/", {**data, "occupation": "miner"})
    assert saved.status_code == 302 and saved.url == f"/people/{person.pk}/"
    stale = registrar.post(
        f"/intake/people/{person.pk}/edit/",
        {**data, "occupation": "cook", "client_uuid": str(uuid.uuid4())},
    )
    conflict = EditConflict.objects.get()
    assert stale.url == f"/intake/conflicts/{conflict.pk}/"


def test_who_may_open_the_intake_pages(personas) -> None:
    from people.tests.personas import assert_access

    person = PersonFactory(station=personas.onsong)
    assert_access(personas, f"/intake/people/{person.pk}/edit/", {"registrar-onsong", "admin"})
    assert_access(personas, "/intake/", {"registrar-onsong", "registrar-musan", "admin"})


def test_the_worker_and_manifest_are_served_from_the_root(client) -> None:
    worker = client.get("/sw.js")
    assert worker.status_code == 200 and worker["Content-Type"] == "text/javascript"
    assert b'addEventListener("fetch"' in worker.content
    manifest = client.get("/manifest.webmanifest").json()
    assert manifest["start_url"] == "/people/register/" and manifest["scope"] == "/"


def test_the_edit_page_gives_the_script_a_plain_person_id(personas) -> None:
    person = PersonFactory(station=personas.onsong, id=12345)
    html = personas.client_for("registrar-onsong").get(f"/intake/people/{person.pk}/edit/")
    assert 'data-person-id="12345"' in html.content.decode()


def test_sending_the_same_registration_page_twice_registers_the_household_once(personas) -> None:
    from people.models import Household

    registrar = personas.client_for("registrar-onsong")
    page = registrar.get("/people/register/")
    client_uuid = page.context["form"]["client_uuid"].value()
    data = {
        "station": personas.onsong.pk,
        "head_index": 0,
        "client_uuid": str(client_uuid),
        "members-TOTAL_FORMS": 1,
        "members-INITIAL_FORMS": 0,
        "members-MIN_NUM_FORMS": 1,
        "members-MAX_NUM_FORMS": 30,
        "members-0-family_name_hangul": "안",
        "members-0-sex": "M",
        "members-0-birth_date": "1931-05-04",
        "members-0-birth_date_precision": "day",
        "members-0-education_level": "none",
        "members-0-education_years": 0,
        "members-0-category": "border_crosser",
    }
    assert registrar.post("/people/register/", data).status_code == 302
    assert registrar.post("/people/register/", data).status_code == 302
    assert Household.objects.filter(client_uuid=client_uuid).count() == 1
    assert Person.objects.count() == 1
    changed = registrar.post("/people/register/", {**data, "members-0-sex": "F"})
    assert changed.status_code == 200 and "already used" in changed.content.decode()
    assert Person.objects.get().sex == "M"


def test_a_corrected_name_is_what_the_files_check_finds_afterwards(personas) -> None:
    from identity.keys import store_keys
    from identity.models import PersonKeys

    person = PersonFactory(station=personas.onsong, family_name_hanzi="", given_name_hanzi="")
    store_keys([person])
    before = PersonKeys.objects.get(person=person).forms
    client = token_client(personas["registrar-onsong"])
    answer = patch(client, person, 1, {"family_name_hanzi": "安", "given_name_hanzi": "在秀"})
    assert answer.status_code == 200, answer.content
    after = PersonKeys.objects.get(person=person).forms
    assert after != before and "安" in str(after)


def test_a_resident_id_added_later_is_checked_and_reaches_the_files_check(personas) -> None:
    import datetime as dt

    from identity.engine.idnumber import make_resident_id
    from identity.keys import key_hash, store_keys
    from identity.models import BlockingKey

    born = dt.date(1950, 3, 1)
    person = PersonFactory(station=personas.onsong, sex="M", birth_date=born)
    store_keys([person])
    client = token_client(personas["registrar-onsong"])
    mistyped = make_resident_id("222401", born, 123)[:17] + "0"
    refused = patch(client, person, 1, {"document_number": mistyped})
    assert refused.status_code == 422 and "document_number" in refused.json()["errors"]
    number = make_resident_id("222401", born, 123)
    answer = patch(client, person, 1, {"document_number": number})
    assert answer.status_code == 200, answer.content
    person.refresh_from_db()
    assert person.document_number == number
    assert BlockingKey.objects.filter(person=person, key_hash=key_hash(f"doc:{number}")).exists()
