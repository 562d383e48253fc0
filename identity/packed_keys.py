"""A person's blocking keys packed into one value, for the batch to read the whole
registry's keys in one pass.

The live check looks keys up in BlockingKey (one row a key, indexed by hash). The batch
reads every key of every person: from BlockingKey that is ~48 rows a person, 48M rows at a
million persons, and reading them was most of the batch's load stage. PersonKeys keeps the
same keys as one value a person, written with them: nine bytes a key, the hash as a
big-endian 64-bit integer (as PostgreSQL's int8send writes it) and the key's class below.
"""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np

from identity.engine.blocking import LOOSE_FAMILIES, NO_DATE_FAMILY

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
