"""The matrix of personas x pages: who may open what, and who is refused."""

import pytest
from django.utils import timezone

from people.states import JourneyState as S
from people.tests.factories import PersonFactory, put_in_state
from people.tests.personas import assert_access

ONSONG_STAFF = {"registrar-onsong", "medical-onsong", "supplies-onsong"}
MUSAN_STAFF = {"registrar-musan", "medical-musan", "supplies-musan"}
PROVINCE_OFFICERS = {"labour", "documents"}
EVERYWHERE = {"admin", "auditor"}
ALL_STAFF = ONSONG_STAFF | MUSAN_STAFF | PROVINCE_OFFICERS | EVERYWHERE | {"labour-ryanggang"}


@pytest.mark.parametrize("url", ["/people/", "/people/search/?q=an"])
def test_every_staff_member_may_open_lists_and_search(personas, url: str) -> None:
    assert_access(personas, url, allowed=ALL_STAFF)


def test_home_sends_each_role_where_it_works(personas) -> None:
    assert_access(personas, "/", allowed=ALL_STAFF, allowed_status=(200, 302))
    response = personas.client_for("registrar-musan").get("/")
    assert response["Location"] == "/stations/musan/"


def test_station_dashboards_are_for_that_stations_staff_and_its_province(personas) -> None:
    assert_access(
        personas, "/stations/onsong/", allowed=ONSONG_STAFF | PROVINCE_OFFICERS | EVERYWHERE
    )
    assert_access(personas, "/stations/hyesan/", allowed={"labour-ryanggang"} | EVERYWHERE)


def test_only_registrars_and_administrators_open_registration(personas) -> None:
    assert_access(
        personas, "/people/register/", allowed={"registrar-onsong", "registrar-musan", "admin"}
    )


def test_a_person_page_is_for_their_station_their_province_and_global_roles(personas) -> None:
    person = PersonFactory(station=personas.onsong)
    assert_access(
        personas, f"/people/{person.pk}/", allowed=ONSONG_STAFF | PROVINCE_OFFICERS | EVERYWHERE
    )


def test_overriding_is_open_to_their_staff_but_never_to_auditors(personas) -> None:
    person = PersonFactory(station=personas.onsong, state=S.RETURNED)
    # A state nobody may force, so every allowed request leaves the person as is.
    assert_access(
        personas,
        f"/people/{person.pk}/override/",
        allowed=ONSONG_STAFF | PROVINCE_OFFICERS | {"admin"},
        method="post",
        data={"target": S.PLACED, "reason": "The mine waits"},
        allowed_status=(302,),
    )
    person.refresh_from_db()
    assert person.state == S.RETURNED


def test_recording_a_crossing_is_for_the_stations_registrar_and_administrators(personas) -> None:
    person = PersonFactory(station=personas.onsong, state=S.REGISTERED)
    assert_access(
        personas,
        f"/people/{person.pk}/crossing/",
        allowed={"registrar-onsong", "admin"},
        method="post",
        data={
            "station": personas.onsong.pk,
            "direction": "in",
            "crossed_at": timezone.now().strftime("%Y-%m-%dT%H:%M"),
        },
        allowed_status=(302,),
    )


def test_lists_and_search_show_only_people_in_scope(personas) -> None:
    onsong = PersonFactory(station=personas.onsong, given_name_latin="Chol-su")
    musan = PersonFactory(station=personas.musan, given_name_latin="Chol-su")
    for name, expected in (
        ("registrar-musan", {musan.pk}),
        ("labour", {onsong.pk, musan.pk}),
        ("labour-ryanggang", set()),
    ):
        client = personas.client_for(name)
        listed = {p.pk for p in client.get("/people/").context["page"]}
        found = {p.pk for p in client.get("/people/search/", {"q": "cholsu"}).context["results"]}
        assert listed == expected and found == expected, name


def test_health_details_are_visible_to_medical_officers_only(personas) -> None:
    person = PersonFactory(station=personas.onsong, state=S.IN_QUARANTINE)
    put_in_state(
        person,
        S.MEDICALLY_CLEARED,
        reason="Tuberculosis test negative",
        by=personas["medical-onsong"],
    )
    medical = personas.client_for("medical-onsong").get(f"/people/{person.pk}/").content.decode()
    assert "Tuberculosis test negative" in medical
    for name in ("registrar-onsong", "labour", "admin", "auditor", "supplies-onsong"):
        page = personas.client_for(name).get(f"/people/{person.pk}/").content.decode()
        assert "Tuberculosis" not in page, name
        assert "Medically cleared" in page
