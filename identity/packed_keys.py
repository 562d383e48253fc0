"""A person's blocking keys packed into one value, and the whole registry's keys read
from them as the batch's blocks.

The live check looks keys up in BlockingKey (one row a key, indexed by hash). The batch
reads every key of every person: from BlockingKey that is ~48 rows a person, 48M rows at a
million persons, and reading them was most of the batch's load stage. PersonKeys keeps the
same keys as one value a person, written with them: nine bytes a key, the hash as a
big-endian 64-bit integer (as PostgreSQL's int8send writes it) and the key's class below.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable
from typing import Any

import numpy as np
from django.db import connection

from identity.engine.blocking import LOOSE_FAMILIES, NO_DATE_FAMILY, loose_max_block
from identity.engine.pairs import KeyBlocks
from identity.models import PersonKeys

# A key's class, as the batch limits its blocks: a key without a date is kept to pairs of
# undated records, and a loose family's blocks are worth comparing only while small.
PLAIN, RESTRICTED, LOOSE = 0, 1, 2
KEY_DTYPE = np.dtype([("hash", ">i8"), ("kind", "u1")])


def key_class(family: str) -> int:
    if family == NO_DATE_FAMILY:
        return RESTRICTED
    return LOOSE if family in LOOSE_FAMILIES else PLAIN


def packed(hashes: Iterable[tuple[int, str]]) -> bytes:
    """(key hash, family) pairs as one value."""
    pairs = list(hashes)
    keys = np.empty(len(pairs), dtype=KEY_DTYPE)
    keys["hash"] = [value for value, _ in pairs]
    keys["kind"] = [key_class(family) for _, family in pairs]
    return keys.tobytes()


def key_rows(person_ids: np.ndarray, sizes: np.ndarray, values: bytes) -> np.ndarray:
    """(key hash, person id * 4 + class) int64 rows of persons' packed keys, given in
    order with the byte size of each person's value."""
    keys = np.frombuffer(values, dtype=KEY_DTYPE)
    owners = np.repeat(
        np.asarray(person_ids, dtype=np.int64), np.asarray(sizes) // KEY_DTYPE.itemsize
    )
    rows = np.empty((len(keys), 2), dtype=np.int64)
    rows[:, 0] = keys["hash"]
    rows[:, 1] = owners * 4 + keys["kind"]
    return rows


# Keys are read in ranges of this many persons, each range as two values.
KEY_READ_PERSONS = 50_000


def load_blocks(
    record_ids: np.ndarray, max_block_size: int = 1000, rows: np.ndarray | None = None
) -> KeyBlocks:
    """The stored blocking keys shared by 2..max_block_size persons, as positions in
    record_ids (sorted); keys of merged persons are dropped. rows: the key rows read and
    sorted already (start_reading_key_rows)."""
    if rows is None:
        rows = useful_key_rows(_read_key_rows(), max_block_size)
    person_ids, restricted, loose = _unpacked(rows[:, 1])
    positions, known = _positions_of(record_ids, person_ids)
    return KeyBlocks(
        codes=rows[known, 0],
        members=positions[known],
        restricted=restricted[known],
        loose=loose[known],
    )


def useful_key_rows(rows: np.ndarray, max_block_size: int = 1000) -> np.ndarray:
    """The key rows of keys shared by 2..max_block_size persons, sorted by key."""
    # Every key is read and the block sizes counted here: a plain scan, where counting in
    # SQL (a window over the whole table) took six times as long on SQLite.
    # Sorted by key once: block sizes are run lengths, and the pairing sort finds it sorted.
    order, keys = _key_order(np.ascontiguousarray(rows[:, 0]))
    starts = np.flatnonzero(np.r_[True, keys[1:] != keys[:-1]]) if len(keys) else np.zeros(0, int)
    run_lengths = np.diff(np.r_[starts, len(keys)])
    sizes = np.repeat(run_lengths, run_lengths)
    owners = rows[order, 1]
    largest = np.where(_loose(owners), loose_max_block(max_block_size), max_block_size)
    kept = (sizes >= 2) & (sizes <= largest)
    return np.stack([keys[kept], owners[kept]], axis=1)


def _key_order(keys: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The order that sorts keys (rows of one key in their given order), and the keys so
    sorted.

    numpy sorts plain integers several times faster than it finds the order that sorts
    them (argsort took 10 s of 48M keys, a sort 4 s). So one integer a row is sorted: the
    key's upper bits with the row's index in the lower ones. Keys that differ only in those
    lower bits (a few thousand of 24M keys) then share a run; those runs alone are put in
    key order afterwards.
    """
    index_bits = max(len(keys) - 1, 1).bit_length()
    low = (1 << index_bits) - 1
    combined = (keys & ~low) | np.arange(len(keys), dtype=np.int64)
    combined.sort()
    order = combined & low
    del combined
    ordered = keys[order]
    upper = ordered & ~low
    mixed = (upper[1:] == upper[:-1]) & (ordered[1:] != ordered[:-1])
    if mixed.any():
        run_of = np.cumsum(np.r_[False, upper[1:] != upper[:-1]])
        bad_runs = np.zeros(run_of[-1] + 1, dtype=bool)
        bad_runs[run_of[1:][mixed]] = True
        rows = np.flatnonzero(bad_runs[run_of])
        # the mixed runs are in order of their upper bits: sorting their rows by the
        # whole key keeps each in its place
        resorted = rows[np.argsort(ordered[rows], kind="stable")]
        order[rows], ordered[rows] = order[resorted], ordered[resorted]
    return order, ordered


def _unpacked(packed: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Person ids, restricted and loose flags of packed key rows (_read_key_rows)."""
    return packed >> 2, (packed & RESTRICTED).astype(bool), _loose(packed)


def _loose(packed: np.ndarray) -> np.ndarray:
    return (packed & LOOSE).astype(bool)


def _positions_of(record_ids: np.ndarray, person_ids: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Position of each person id in record_ids (sorted), and whether it is there at all.
    Ids are looked up in a table over their range when it is dense enough (a gather, where
    a binary search per key row cost seconds at a million persons)."""
    if len(record_ids) == 0:
        return np.zeros(len(person_ids), dtype=np.int64), np.zeros(len(person_ids), dtype=bool)
    low, high = int(record_ids[0]), int(record_ids[-1])
    if high - low < 8 * len(record_ids) + 1_000_000:
        lookup = np.full(high - low + 1, -1, dtype=np.int64)
        lookup[record_ids - low] = np.arange(len(record_ids))
        inside = (person_ids >= low) & (person_ids <= high)
        positions = np.where(inside, lookup[np.clip(person_ids - low, 0, high - low)], -1)
        return np.maximum(positions, 0), positions >= 0
    positions = np.minimum(np.searchsorted(record_ids, person_ids), len(record_ids) - 1)
    return positions, record_ids[positions] == person_ids


def start_reading_key_rows(max_block_size: int = 1000) -> Callable[[], np.ndarray]:
    """Read the key rows (useful_key_rows) on a thread of their own; the returned
    function waits for them.

    The database builds the packed key values while this process reads the persons:
    on PostgreSQL in its own process, on SQLite with the GIL released; numpy sorts them
    with the GIL released too. Inside a transaction (tests) another connection would not
    see its rows: read them here.
    """
    if connection.in_atomic_block:
        rows = useful_key_rows(_read_key_rows(), max_block_size)
        return lambda: rows
    outcome: dict[str, Any] = {}

    def read() -> None:
        try:
            outcome["rows"] = useful_key_rows(_read_key_rows(), max_block_size)
        except Exception as error:  # raised again in the caller's thread
            outcome["error"] = error
        finally:
            connection.close()  # this thread's own connection

    thread = threading.Thread(target=read, name="dedup-keys", daemon=True)
    thread.start()

    def wait() -> np.ndarray:
        thread.join()
        if "error" in outcome:
            raise outcome["error"]
        return outcome["rows"]

    return wait


def _read_key_rows() -> np.ndarray:
    """(key hash, person id * 4 + class) of every stored key, as int64 rows
    (packed_keys.key_rows).

    Each person's keys come packed in one value. Values are not fetched one by one on
    PostgreSQL: each range of persons comes back as two values the database builds (the
    ids and sizes, then the keys), which numpy reads at once.
    """
    table = PersonKeys._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT min(person_id), max(person_id) FROM {table}")  # noqa: S608
        low, high = cursor.fetchone()
        if low is None:
            return np.zeros((0, 2), dtype=np.int64)
        if connection.vendor != "postgresql":
            cursor.execute(f"SELECT person_id, packed_keys FROM {table}")  # noqa: S608
            ids, values = zip(*cursor.fetchall(), strict=True)
            sizes = [len(value) for value in values]
            return key_rows(np.array(ids), np.array(sizes), b"".join(values))
        query = (
            "SELECT string_agg(int8send(person_id) || int4send(length(packed_keys)), ''::bytea), "  # noqa: S608
            f"string_agg(packed_keys, ''::bytea) FROM {table} "
            "WHERE person_id >= %s AND person_id < %s"
        )
        parts = []
        for start in range(low, high + 1, KEY_READ_PERSONS):
            cursor.execute(query, (start, start + KEY_READ_PERSONS))
            owners, values = cursor.fetchone()
            if owners:
                owned = np.frombuffer(owners, dtype=[("id", ">i8"), ("size", ">i4")])
                parts.append(key_rows(owned["id"], owned["size"], values))
    return np.concatenate(parts) if parts else np.zeros((0, 2), dtype=np.int64)
