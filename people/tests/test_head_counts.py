"""The head counts kept by database triggers must always equal a direct count of the
registry: the station pages and the stations overview show them beside the person list,
which counts people directly."""

import pytest
from django.db import connection
from django.db.models import Count

from people.demo.loader import load_demo
from people.head_counts import head_counts
from people.models import Person
from people.states import JourneyState as S
from people.tests.factories import PersonFactory, StationFactory, put_in_state


def _direct() -> dict[int, dict[str, int]]:
    counts: dict[int, dict[str, int]] = {}
    for row in Person.objects.values("station_id", "state").annotate(n=Count("id")).order_by():
        counts.setdefault(row["station_id"], {})[row["state"]] = row["n"]
    return counts


def _kept() -> dict[int, dict[str, int]]:
    station_ids = Person.objects.values_list("station_id", flat=True).distinct()
    return {pk: counts for pk, counts in head_counts(set(station_ids)).items() if counts}


@pytest.mark.django_db
def test_counts_follow_arrivals_steps_moves_and_deletions() -> None:
    onsong, hoeryong = StationFactory(code="onsong"), StationFactory(code="hoeryong")
    people = [PersonFactory(station=onsong) for _ in range(4)] + [PersonFactory(station=hoeryong)]
    assert head_counts([onsong.pk, hoeryong.pk]) == {
        onsong.pk: {S.REGISTERED: 4},
        hoeryong.pk: {S.REGISTERED: 1},
    }

    put_in_state(people[0], S.IN_QUARANTINE)
    Person.objects.filter(pk=people[1].pk).update(station=hoeryong)  # a transfer
    Person.objects.filter(pk=people[2].pk).update(station=hoeryong, state=S.MOVED)
    Person.objects.filter(pk=people[3].pk).update(given_name_latin="Jae-soo")  # not counted
    assert (
        _kept()
        == _direct()
        == {
            onsong.pk: {S.IN_QUARANTINE: 1, S.REGISTERED: 1},
            hoeryong.pk: {S.REGISTERED: 2, S.MOVED: 1},
        }
    )

    # Many people in one statement, as a merge or an import does.
    Person.objects.filter(station=hoeryong).update(state=S.AWAITING_PLACEMENT)
    assert _kept() == _direct()
    assert head_counts([hoeryong.pk]) == {hoeryong.pk: {S.AWAITING_PLACEMENT: 3}}

    # A record without history (people with steps are protected from deletion).
    (bare,) = Person.objects.bulk_create([PersonFactory.build(station=hoeryong, state=S.MOVED)])
    assert head_counts([hoeryong.pk])[hoeryong.pk] == {S.AWAITING_PLACEMENT: 3, S.MOVED: 1}
    Person.objects.filter(pk=bare.pk).delete()
    assert _kept() == _direct()
    assert head_counts([hoeryong.pk])[hoeryong.pk] == {S.AWAITING_PLACEMENT: 3}


@pytest.mark.django_db
def test_a_bulk_demo_load_is_counted_and_counting_goes_on_afterwards() -> None:
    load_demo(300, seed=5)
    assert sum(n for counts in _kept().values() for n in counts.values()) == 300
    assert _kept() == _direct()

    if connection.vendor == "sqlite":  # the triggers set aside during the load are back
        with connection.cursor() as cursor:
            cursor.execute("SELECT name FROM sqlite_master WHERE name LIKE 'people_count_%'")
            assert {row[0] for row in cursor.fetchall()} == {
                "people_count_new",
                "people_count_change",
                "people_count_gone",
            }
    person = Person.objects.order_by("pk").first()
    assert person is not None
    put_in_state(person, S.RETURNED)
    PersonFactory(station=person.station)
    assert _kept() == _direct()


@pytest.mark.django_db
def test_the_person_list_counts_what_it_lists(personas) -> None:  # noqa: ANN001
    onsong = personas.onsong
    people = [PersonFactory(station=onsong) for _ in range(3)] + [
        PersonFactory(station=personas.musan)
    ]
    put_in_state(people[0], S.IN_QUARANTINE)
    put_in_state(people[1], S.MERGED)  # a second record of someone: not listed, not counted
    searches = {
        f"?station={onsong.pk}": 2,
        f"?station={onsong.pk}&state={S.IN_QUARANTINE}": 1,
        f"?station={onsong.pk}&state={S.MERGED}": 0,
        f"?station={onsong.pk}&sex=M": 2,  # another filter: counted from the registry
        "?state=registered": 2,  # the administrator sees every station
        "?station=x": 0,
    }
    client = personas.client_for("admin")
    for query, expected in searches.items():
        page = client.get("/people/" + query)
        assert page.status_code == 200, query
        assert page.context["page"].paginator.count == expected, query
        assert len(page.context["rows"]) == expected, query
    # A registrar's list is their station's, whatever station they ask for.
    registrar = personas.client_for("registrar-onsong")
    page = registrar.get(f"/people/?station={personas.musan.pk}")
    assert page.context["page"].paginator.count == len(page.context["rows"]) == 0
