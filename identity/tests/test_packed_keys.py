"""The batch reads each person's keys packed in one value (packed_keys.py): it must read
exactly the keys the live check finds in BlockingKey, however they were written."""

import datetime as dt

import numpy as np
import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from identity.engine.blocking import LOOSE_FAMILIES, NO_DATE_FAMILY
from identity.keys import backfill_keys, store_keys
from identity.models import BlockingKey, PersonKeys
from identity.packed_keys import _key_order, _read_key_rows, key_rows, packed, useful_key_rows
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


def test_keys_are_put_in_order_even_where_they_differ_only_in_their_lowest_bits() -> None:
    rng = np.random.default_rng(3)
    keys = rng.integers(-(2**63), 2**63 - 1, size=3_000, dtype=np.int64)
    # keys the sort's first pass cannot tell apart (they differ below the row index bits),
    # some of them shared by several rows
    close = np.array([-(2**40), 2**50], dtype=np.int64)[:, None] + np.arange(5)[None, :]
    keys = np.concatenate([keys, keys[:500], close.ravel(), close.ravel()[::2]])
    rng.shuffle(keys)

    order, ordered = _key_order(keys)

    assert ordered.tolist() == sorted(keys.tolist())
    assert keys[order].tolist() == ordered.tolist()
    assert sorted(order.tolist()) == list(range(len(keys)))
    for key in np.unique(keys):
        rows = order[ordered == key]
        assert rows.tolist() == sorted(rows.tolist()), "rows of one key keep their order"


def test_only_keys_shared_by_two_up_to_the_limit_are_kept(monkeypatch) -> None:
    from identity.engine import blocking

    monkeypatch.setattr(blocking, "LOOSE_MAX_BLOCK", 2)
    rows = np.array(
        [[5, 4 * 1], [9, 4 * 2], [5, 4 * 3], [7, 4 * 4 + 2], [7, 4 * 5 + 2], [7, 4 * 6 + 2]]
        + [[3, 4 * 7], [3, 4 * 8], [3, 4 * 9]],
        dtype=np.int64,
    )
    # key 9 stands alone; key 7 is a loose family's, whose blocks stop at 2 here
    kept = useful_key_rows(rows, max_block_size=3)
    assert kept.tolist() == [[3, 28], [3, 32], [3, 36], [5, 4], [5, 12]]
