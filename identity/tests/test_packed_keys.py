"""The batch reads each person's keys packed in one value (packed_keys.py): it must read
exactly the keys the live check finds in BlockingKey, however they were written."""

import datetime as dt

import numpy as np
import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from identity.batch_load import _read_key_rows
from identity.engine.blocking import LOOSE_FAMILIES, NO_DATE_FAMILY
from identity.keys import backfill_keys, store_keys
from identity.models import BlockingKey, PersonKeys
from identity.packed_keys import key_rows, packed
from people.tests.factories import PersonFactory

pytestmark = pytest.mark.django_db

BEFORE = [("identity", "0009_inward_crossings_index_direction")]
AFTER = [("identity", "0010_personkeys_packed_keys")]


def blocking_key_rows() -> set[tuple[int, int]]:
    """The rows as the batch read them from BlockingKey before keys were packed."""
    rows = set()
    for person_id, key_hash, family in BlockingKey.objects.values_list(
        "person_id", "key_hash", "family"
    ):
        kind = 1 if family == NO_DATE_FAMILY else 2 if family in LOOSE_FAMILIES else 0
        rows.add((key_hash, person_id * 4 + kind))
    return rows


def read_rows() -> list[tuple[int, int]]:
    return [tuple(row) for row in _read_key_rows().tolist()]


def test_packed_keys_come_back_as_they_went_in() -> None:
    hashes = [(-(2**63), "n"), (2**63 - 1, "sy"), (12345, "sd")]
    value = packed(hashes)
    rows = key_rows(np.array([7]), np.array([len(value)]), value)
    assert rows.tolist() == [[-(2**63), 7 * 4 + 1], [2**63 - 1, 7 * 4 + 2], [12345, 7 * 4]]
    empty = key_rows(np.array([8]), np.array([0]), b"")
    assert empty.shape == (0, 2)


def test_the_batch_reads_the_keys_the_live_check_finds_after_a_person_is_corrected(
    personas,
) -> None:
    persons = [
        PersonFactory(station=personas.onsong),
        PersonFactory(station=personas.onsong, birth_date=None, birth_date_precision="unknown"),
        PersonFactory(
            station=personas.musan,
            family_name_hanzi="",
            given_name_hanzi="",
            birth_date=None,
            birth_date_precision="unknown",
        ),
    ]
    backfill_keys()
    rows = read_rows()
    assert len(rows) == len(set(rows)) == BlockingKey.objects.count()
    assert set(rows) == blocking_key_rows()
    assert {row[1] % 4 for row in rows} == {0, 1, 2}

    corrected = persons[0]
    corrected.given_name_hangul, corrected.given_name_hanzi = "재민", "在民"
    corrected.save()
    store_keys([corrected])
    assert set(read_rows()) == blocking_key_rows()


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_keys_stored_before_they_were_packed_are_packed_by_the_migration(personas) -> None:
    persons = [PersonFactory(station=personas.onsong), PersonFactory(station=personas.musan)]
    backfill_keys()
    expected = sorted(read_rows())
    keyless = PersonFactory(station=personas.onsong)
    PersonKeys.objects.create(person=keyless, computed_at=dt.datetime.now(dt.UTC))

    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    executor = MigrationExecutor(connection)
    executor.migrate(AFTER)
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())

    assert sorted(read_rows()) == expected
    assert {row[1] >> 2 for row in expected} == {person.pk for person in persons}
    assert bytes(PersonKeys.objects.get(person=keyless).packed_keys) == b""
