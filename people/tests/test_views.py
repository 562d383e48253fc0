import datetime as dt

from people.models import Household, Person
from people.tests.factories import PersonFactory, registration_form


def test_a_registrar_registers_a_household_of_three_in_one_form(personas) -> None:
    client = personas.client_for("registrar-onsong")
    members = [
        {
            "family_name_hangul": "안",
            "given_name_hangul": "재수",
            "family_name_hanzi": "安",
            "given_name_hanzi": "在秀",
            "sex": "M",
            "birth_date": "1931-05-04",
            "languages": "ko, zh",
        },
        {
            "family_name_hangul": "김",
            "given_name_hangul": "영희",
            "sex": "F",
            "birth_date": "1934-02-01",
        },
        {
            "family_name_hangul": "안",
            "given_name_hangul": "철",
            "sex": "M",
            "birth_date": "1955-01-01",
            "birth_date_precision": "year",
        },
    ]
    response = client.post(
        "/people/register/", registration_form(members, personas.onsong.pk, head=1)
    )
    assert response.status_code == 302 and response["Location"] == "/stations/onsong/"
    household = Household.objects.get()
    assert household.members.count() == 3
    assert household.head.given_name_hangul == "영희"
    assert Person.objects.get(given_name_hangul="재수").languages == ["ko", "zh"]
    dashboard = client.get("/stations/onsong/").content.decode()
    assert 'data-testid="present-count">3</p>' in dashboard


def test_a_bad_member_shows_errors_and_registers_nobody(personas) -> None:
    client = personas.client_for("registrar-onsong")
    members = [
        {
            "family_name_hangul": "안",
            "given_name_hangul": "재수",
            "sex": "M",
            "birth_date": "1931-05-04",
        },
        {"sex": "F", "birth_date": "2999-01-01"},
    ]
    response = client.post("/people/register/", registration_form(members, personas.onsong.pk))
    assert response.status_code == 200
    assert (
        "in the future" in response.content.decode()
        or "at least one script" in response.content.decode()
    )
    assert Person.objects.count() == 0


def test_registration_at_a_station_outside_scope_is_refused_by_the_form(personas) -> None:
    client = personas.client_for("registrar-musan")
    members = [
        {
            "family_name_hangul": "안",
            "given_name_hangul": "재수",
            "sex": "M",
            "birth_date": "1931-05-04",
        }
    ]
    response = client.post("/people/register/", registration_form(members, personas.onsong.pk))
    assert response.status_code == 200 and Person.objects.count() == 0


def test_search_finds_a_person_by_any_name_form(personas) -> None:
    person = PersonFactory(station=personas.onsong)
    PersonFactory(
        station=personas.onsong,
        family_name_hangul="김",
        given_name_hangul="영희",
        family_name_hanzi="金",
        given_name_hanzi="英姬",
        family_name_latin="Kim",
        given_name_latin="Yeong-hui",
    )
    client = personas.client_for("registrar-onsong")
    for query in ("안재수", "安在秀", "An Jae-su", "an jaesu", "Jae-su An", "재수", "在秀", "AN"):
        results = client.get("/people/search/", {"q": query}).context["results"]
        assert [p.pk for p in results] == [person.pk], query
    assert client.get("/people/search/", {"q": "Park"}).context["results"] == []


def test_live_search_answers_htmx_with_just_the_results(personas) -> None:
    PersonFactory(station=personas.onsong)
    response = personas.client_for("registrar-onsong").get(
        "/people/search/", {"q": "안재"}, headers={"HX-Request": "true"}
    )
    body = response.content.decode()
    assert "안재수" in body and "<html" not in body


def test_the_list_filters_and_paginates(personas) -> None:
    for index in range(60):
        PersonFactory(
            station=personas.onsong,
            sex="F" if index % 3 == 0 else "M",
            birth_date=dt.date(1930 + index % 20, 1, 1),
        )
    client = personas.client_for("labour")
    first = client.get("/people/", {"sex": "F"})
    assert first.context["page"].paginator.count == 20
    full = client.get("/people/")
    assert len(full.context["page"]) == 50 and full.context["page"].has_next()
    second = client.get("/people/", {"page": 2})
    assert len(second.context["page"]) == 10
    assert client.get("/people/", {"station": "not-a-number"}).context["page"].paginator.count == 0


def test_pages_are_translated_into_korean_and_chinese(personas) -> None:
    person = PersonFactory(station=personas.onsong)
    client = personas.client_for("registrar-onsong")
    for language, words in (("ko", ["가구 등록", "타임라인"]), ("zh-hans", ["登记家庭", "时间线"])):
        client.post("/i18n/setlang/", {"language": language, "next": "/"})
        page = client.get(f"/people/{person.pk}/").content.decode()
        for word in words:
            assert word in page, (language, word)


def test_dates_are_localised(personas) -> None:
    person = PersonFactory(station=personas.onsong, birth_date=dt.date(1931, 5, 4))
    client = personas.client_for("registrar-onsong")
    client.post("/i18n/setlang/", {"language": "ko", "next": "/"})
    assert "1931년 5월 4일" in client.get(f"/people/{person.pk}/").content.decode()
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    assert "May 4, 1931" in client.get(f"/people/{person.pk}/").content.decode()


def test_a_role_with_nothing_to_do_is_told_who_takes_the_next_step(personas) -> None:
    from people.tests.factories import PersonFactory

    person = PersonFactory(station=personas.onsong, state="identity_checked")
    page = personas.client_for("registrar-onsong").get(f"/people/{person.pk}/").content.decode()
    assert "Admit to quarantine" in page and "medical officer" in page


def test_a_stations_list_shows_its_newest_records_first_across_pages(personas) -> None:
    # The station's records are older than every other station's: its list must still
    # start with its own newest, page after page, and the station dashboard likewise.
    onsong = [PersonFactory(station=personas.onsong).pk for _ in range(55)]
    later = [PersonFactory(station=personas.musan).pk for _ in range(5)]
    newest_first = sorted(onsong, reverse=True)
    registrar = personas.client_for("registrar-onsong")
    first = [p.pk for p in registrar.get("/people/").context["page"]]
    second = [p.pk for p in registrar.get("/people/", {"page": 2}).context["page"]]
    assert first + second == newest_first
    dashboard = registrar.get(f"/stations/{personas.onsong.code}/").context["recent"]
    assert [p.pk for p in dashboard] == newest_first[:10]
    chosen = personas.client_for("labour").get("/people/", {"station": personas.onsong.pk})
    assert [p.pk for p in chosen.context["page"]] == newest_first[:50]
    everyone = [p.pk for p in personas.client_for("labour").get("/people/").context["page"]]
    assert everyone[:5] == sorted(later, reverse=True)
