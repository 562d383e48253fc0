"""Every read of a person's data leaves an audit entry: a list, a search or an API page
records, in one entry, which persons it showed."""

import pytest
from django.test import Client

from api.models import ApiToken
from people.models import AuditEntry
from people.tests.factories import PersonFactory


@pytest.fixture
def onsong_people(personas) -> list:
    return [PersonFactory(station=personas.onsong) for _ in range(3)]


def last_entry() -> AuditEntry:
    return AuditEntry.objects.order_by("-id").first()


def test_the_person_list_records_whom_it_showed(personas, onsong_people) -> None:
    PersonFactory(station=personas.musan)
    personas.client_for("registrar-onsong").get("/people/", {"state": "registered"})
    entry = last_entry()
    assert entry.action == AuditEntry.Action.VIEW and entry.user == personas["registrar-onsong"]
    assert sorted(entry.detail["shown"]) == sorted(p.pk for p in onsong_people)
    assert entry.detail["filters"] == {"state": "registered"}


def test_a_search_records_whom_it_found_but_not_what_was_typed(personas, onsong_people) -> None:
    client = personas.client_for("registrar-onsong")
    for url in ("/people/search/", "/people/"):
        client.get(url, {"q": "안재"})
        entry = last_entry()
        assert entry.action == AuditEntry.Action.SEARCH, url
        assert sorted(entry.detail["shown"]) == sorted(p.pk for p in onsong_people), url
        assert "안재" not in str(entry.detail) and "안재" not in entry.reason


def test_the_api_list_records_the_page_it_answered(personas, onsong_people) -> None:
    _token, raw = ApiToken.issue(personas["registrar-onsong"], "audit test")
    api = Client(headers={"Authorization": f"Bearer {raw}"})
    answer = api.get("/api/persons", {"limit": 2, "q": "An"})
    assert answer.status_code == 200
    entry = last_entry()
    assert entry.action == AuditEntry.Action.SEARCH
    assert entry.detail["shown"] == [row["id"] for row in answer.json()["results"]]


def test_opening_the_edit_page_is_a_read(personas, onsong_people) -> None:
    person = onsong_people[0]
    personas.client_for("registrar-onsong").get(f"/intake/people/{person.pk}/edit/")
    entry = last_entry()
    assert (entry.action, entry.person_id) == (AuditEntry.Action.VIEW, person.pk)
