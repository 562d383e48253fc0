"""Stored comparable forms: written when a person is registered, backfilled by a command."""

import datetime as dt

import pytest
from django.core.management import call_command
from django.db import connection

from identity.engine.rescore import forkable_cores
from identity.keys import backfill_keys, derived_parts, key_hash
from identity.models import BlockingKey, PersonKeys
from people import services
from people.tests.factories import PersonFactory

pytestmark = pytest.mark.django_db


def test_registering_a_person_stores_every_name_form_and_the_blocking_keys(personas) -> None:
    person, _ = services.add_person(
        user=personas["registrar-onsong"],
        station=personas.onsong,
        data=services.PersonInput(
            family_name_hanzi="朴", given_name_hanzi="英哲", sex="M", birth_date=dt.date(1960, 3, 7)
        ),
    )
    keys = PersonKeys.objects.get(person=person)
    assert "박" in keys.forms["family_hangul"]
    assert "piao" in keys.forms["family_pinyin"]
    assert keys.forms["given_hangul"] == ["영철"]
    stored = set(BlockingKey.objects.filter(person=person).values_list("key_hash", flat=True))
    assert key_hash("hz:朴英哲") in stored
    assert key_hash("sd:박|19600307") in stored


def test_the_backfill_command_fills_persons_without_keys(personas) -> None:
    persons = PersonFactory.create_batch(3, station=personas.onsong)
    assert not PersonKeys.objects.exists()
    call_command("identity_keys", verbosity=0)
    assert PersonKeys.objects.filter(person__in=persons).count() == 3
    before = BlockingKey.objects.count()
    call_command("identity_keys", "--rebuild", verbosity=0)
    assert BlockingKey.objects.count() == before


@pytest.mark.skipif(forkable_cores() < 2, reason="needs fork and two cores")
def test_keys_derived_in_worker_processes_are_the_keys_derived_here(personas) -> None:
    persons = PersonFactory.create_batch(9, station=personas.onsong)
    ids = [person.pk for person in persons]
    parts = [ids[:4], ids[4:8], ids[8:]]

    def derived(workers: int) -> list:
        return [
            (part, sorted(keys), sorted(blocks))
            for part, (keys, blocks) in derived_parts(iter(parts), workers)
        ]

    in_workers = derived(2)
    assert [part for part, _, _ in in_workers] == parts
    # the same rows, and the time stamp is the only thing that differs between two runs
    without_time = [(p, [k[:-1] for k in keys], b) for p, keys, b in in_workers]
    assert without_time == [(p, [k[:-1] for k in keys], b) for p, keys, b in derived(1)]
    assert sum(len(blocks) for _, _, blocks in in_workers) > 9 * 10


def test_the_demo_loader_hook_stores_keys_for_loaded_people(personas) -> None:
    from identity.hooks import load_demo

    PersonFactory.create_batch(2, station=personas.onsong)
    assert load_demo(1, 0.01) == {"identity_keys": 2}
    assert PersonKeys.objects.count() == 2


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_backfill_leaves_the_key_table_vacuumed_on_postgresql() -> None:
    if connection.vendor != "postgresql":
        pytest.skip("the visibility map is PostgreSQL's")
    PersonFactory.create_batch(3)
    backfill_keys()
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT relallvisible FROM pg_class WHERE relname = %s", [BlockingKey._meta.db_table]
        )
        # every page all-visible: the live check's index-only scans skip the table
        assert cursor.fetchone()[0] > 0
