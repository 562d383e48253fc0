"""A record merged into another is not listed on its own: the name search and the API
list show the surviving record instead, and undoing the link shows both again."""

import datetime as dt

import pytest

from identity.models import PersonLink
from identity.services import merge_records, unmerge_records
from identity.tests.helpers import stored_person
from intake.tests.test_edits import token_client

pytestmark = pytest.mark.django_db
BORN = dt.date(1958, 4, 12)


def merged_pair(personas):
    survivor = stored_person(
        family_name_hanzi="安",
        given_name_hanzi="在秀",
        sex="M",
        birth_date=BORN,
        station=personas.onsong,
    )
    merged = stored_person(
        family_name_latin="Ahn",
        given_name_latin="Jae Soo",
        sex="M",
        birth_date=BORN,
        station=personas.onsong,
    )
    merge_records(user=personas["admin"], person=merged, into=survivor)
    return survivor, merged


def search(personas, query: str) -> list[int]:
    client = personas.client_for("registrar-onsong")
    return [p.pk for p in client.get("/people/search/", {"q": query}).context["results"]]


def test_the_name_search_shows_the_surviving_record_for_a_merged_spelling(personas) -> None:
    survivor, merged = merged_pair(personas)
    # only the merged record is spelt "Ahn": the search leads to the person it now belongs to
    assert search(personas, "Ahn Jae") == [survivor.pk]
    assert search(personas, "安在秀") == [survivor.pk]

    link = PersonLink.objects.get(person=merged, undone_at__isnull=True)
    unmerge_records(user=personas["admin"], link=link, reason="two brothers")
    assert search(personas, "Ahn Jae") == [merged.pk]


def test_the_api_list_leaves_out_merged_records(personas) -> None:
    survivor, merged = merged_pair(personas)
    client = token_client(personas["registrar-onsong"])
    listed = client.get("/api/persons", {"station": personas.onsong.code}).json()
    ids = [row["id"] for row in listed["results"]]
    assert survivor.pk in ids and merged.pk not in ids
    assert listed["count"] == len(ids)
    # only the merged record is spelt "Ahn": the list, like the search, shows the survivor
    by_name = client.get("/api/persons", {"q": "Ahn"}).json()
    assert [row["id"] for row in by_name["results"]] == [survivor.pk]
    assert by_name["count"] == 1
    assert client.get("/api/persons", {"q": "Nobody"}).json()["count"] == 0

    link = PersonLink.objects.get(person=merged, undone_at__isnull=True)
    unmerge_records(user=personas["admin"], link=link, reason="two brothers")
    by_name = client.get("/api/persons", {"q": "Ahn"}).json()
    assert [row["id"] for row in by_name["results"]] == [merged.pk]
