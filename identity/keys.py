"""Stored comparable forms: a person row becomes an engine record, and its name forms and
blocking keys are written beside it so the live check and the batch block in SQL."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from functools import lru_cache
from typing import Any

import numpy as np
from django.db import connection, transaction

from identity.engine import (
    NameForms,
    PersonRecord,
    PreparedRecord,
    blocking_keys,
    prepare_record,
)
from identity.engine.blocking import key_family
from identity.engine.records import BirthDate
from identity.engine.rescore import forkable_cores
from identity.models import BlockingKey, CrossingTally, PersonKeys
from identity.packed_keys import packed
from people.models import Crossing, DatePrecision, JourneyTransition, Person
from waystation import clock
from waystation.bulk import fork_pool
from waystation.rows import adapt_rows, insert_rows

PERSON_FIELDS = (
    "id",
    "family_name_hanzi",
    "given_name_hanzi",
    "family_name_hangul",
    "given_name_hangul",
    "family_name_latin",
    "given_name_latin",
    "sex",
    "birth_date",
    "birth_date_precision",
    "place_of_origin",
    "document_number",
)
BULK_BATCH = 2_000


def key_hash(key: str) -> int:
    """A stable signed 64-bit hash (Python's hash() changes between processes)."""
    return int.from_bytes(
        hashlib.blake2b(key.encode(), digest_size=8).digest(), "little", signed=True
    )


def key_hashes(keys: Sequence[str]) -> list[int]:
    """key_hash of each key, the digests read at once (a million-person demo hashes ~27M)."""
    blake2b = hashlib.blake2b
    digests = b"".join([blake2b(key.encode(), digest_size=8).digest() for key in keys])
    return np.frombuffer(digests, dtype="<i8").tolist()


@lru_cache(maxsize=65536)
def stored_forms(names: NameForms) -> str:
    """The name forms as stored (JSON): persons who share a name share one text."""
    return json.dumps(names.to_dict(), ensure_ascii=False)


def birth_of(date: dt.date | BirthDate | None, precision: str) -> BirthDate | None:
    """A stored date of birth as the engine reads it: a year-only date is only a year."""
    if isinstance(date, BirthDate) or date is None:  # already read (a batch reads each once)
        return date
    if precision == DatePrecision.UNKNOWN:
        return None
    if precision == DatePrecision.YEAR:
        return BirthDate(date.year)
    if precision == DatePrecision.ABOUT:
        return BirthDate(date.year, approximate=True)
    if precision == DatePrecision.MONTH:
        return BirthDate(date.year, date.month)
    return BirthDate(date.year, date.month, date.day)


def record_of(row: Mapping[str, Any], record_id: str | None = None) -> PersonRecord:
    """An engine record from a person's fields (a values() row, a form's data or a Person)."""
    get = (
        row.get
        if isinstance(row, Mapping)
        else lambda name, default="": getattr(row, name, default)
    )
    place = (get("place_of_origin", "") or "").strip()
    sex = get("sex", "") or ""
    return PersonRecord(
        record_id=str(record_id if record_id is not None else get("id", "")),
        family_hanzi=(get("family_name_hanzi", "") or "").strip(),
        given_hanzi=(get("given_name_hanzi", "") or "").strip(),
        family_hangul=(get("family_name_hangul", "") or "").strip(),
        given_hangul=(get("given_name_hangul", "") or "").strip(),
        family_latin=(get("family_name_latin", "") or "").strip(),
        given_latin=(get("given_name_latin", "") or "").strip(),
        sex=sex if sex in ("M", "F") else None,
        birth_date=birth_of(get("birth_date", None), get("birth_date_precision", "") or "day"),
        document_number=(get("document_number", "") or "").strip(),
        attributes={"place_of_origin": place} if place else {},
    )


def prepared_of(person: Person | Mapping[str, Any]) -> PreparedRecord:
    return prepare_record(record_of(person))


# A values() row with this field carries the person's stored name forms (PersonKeys).
STORED_FORMS = "identity_keys__forms"


def prepared_of_stored(row: Mapping[str, Any]) -> PreparedRecord:
    """A person's engine record from a values(*PERSON_FIELDS, STORED_FORMS) row: the stored
    forms spare deriving the names again (a tenth of the time for a name not seen lately);
    a person saved without keys is derived as prepared_of does."""
    forms = row.get(STORED_FORMS)
    return prepare_record(record_of(row), NameForms.from_dict(forms) if forms else None)


KEY_COLUMNS = ("person_id", "forms", "surname_keys", "packed_keys", "computed_at")
BLOCKING_COLUMNS = ("person_id", "key_hash", "family")


def _derived_rows(prepared: PreparedRecord) -> tuple[tuple, list]:
    """A person's PersonKeys values (without person and time) and (key hash, family) pairs,
    as plain tuples: building model objects for ~30 keys a person cost more than deriving
    the keys."""
    blocking = blocking_keys(prepared)
    families = [key_family(key)[:4] for key in blocking]
    hashes = list(dict(zip(key_hashes(blocking), families, strict=True)).items())
    names = prepared.names
    return (stored_forms(names), " ".join(names.surname_keys)[:120], packed(hashes)), hashes


def _rows_for(prepared: PreparedRecord, person_id: int, now: dt.datetime) -> tuple[tuple, list]:
    keys, hashes = _derived_rows(prepared)
    return (person_id, *keys, now), [(person_id, h, family) for h, family in hashes]


def _key_rows(persons: Iterable[Any], now: dt.datetime) -> tuple[list, list]:
    key_rows, blocking_rows = [], []
    for person in persons:
        person_id = person["id"] if isinstance(person, Mapping) else person.pk
        keys, blocks = _rows_for(prepared_of(person), person_id, now)
        key_rows.append(keys)
        blocking_rows.extend(blocks)
    return key_rows, blocking_rows


def write_key_rows(key_rows: list, blocking_rows: list) -> None:
    """Bulk insert (COPY on PostgreSQL, executemany on SQLite)."""
    vendor = connection.vendor
    insert_rows(PersonKeys._meta.db_table, KEY_COLUMNS, adapt_rows(key_rows, vendor))
    insert_rows(BlockingKey._meta.db_table, BLOCKING_COLUMNS, adapt_rows(blocking_rows, vendor))


def demo_key_rows(persons: list[dict]) -> dict[str, tuple[tuple[str, ...], list]]:
    """The demo loader's row builder: keys derived in its worker processes, written with the
    people rows, so the demo registry is never read back to key it."""
    key_rows, blocking_rows = _key_rows(persons, clock.now())
    return {
        PersonKeys._meta.db_table: (KEY_COLUMNS, key_rows),
        BlockingKey._meta.db_table: (BLOCKING_COLUMNS, blocking_rows),
    }


def store_keys(persons: Iterable[Person]) -> int:
    """Derive and store the keys of persons just saved, replacing any earlier keys."""
    persons = list(persons)
    if not persons:
        return 0
    rows = _key_rows(persons, clock.now())
    # No savepoint: a failure here fails the caller's whole save, as it should.
    with transaction.atomic(savepoint=False):
        ids = [person.pk for person in persons]
        # Keys are derived data, recomputed from the person: replacing them loses nothing.
        BlockingKey.objects.filter(person_id__in=ids).delete()
        PersonKeys.objects.filter(person_id__in=ids).delete()
        write_key_rows(*rows)
    return len(persons)


def prepare_keys(persons: list[Person]) -> Callable[[list[Person]], None]:
    """Derive the keys of persons about to be created, before the write lock is taken;
    the function returned writes them once the persons have ids (new persons have no
    earlier keys to replace)."""
    derived = [_derived_rows(prepared_of(person)) for person in persons]

    def write(saved: list[Person]) -> None:
        now = clock.now()
        key_rows, blocking_rows = [], []
        for person, (keys, hashes) in zip(saved, derived, strict=True):
            key_rows.append((person.pk, *keys, now))
            blocking_rows.extend((person.pk, value, family) for value, family in hashes)
        write_key_rows(key_rows, blocking_rows)

    return write


def _chunks(ids: list[int], size: int) -> Iterator[list[int]]:
    for start in range(0, len(ids), size):
        yield ids[start : start + size]


# Below this many persons the keys are derived here: forking workers costs more.
PARALLEL_FROM = 50_000


def backfill_keys(
    *, rebuild: bool = False, progress: Callable[[int], None] = lambda n: None, chunk: int = 5_000
) -> int:
    """Store keys for every person without them (or for everyone when rebuild)."""
    persons = Person.objects.all()
    if not rebuild:
        persons = persons.filter(identity_keys__isnull=True)
    ids = list(persons.order_by("pk").values_list("pk", flat=True))
    workers = forkable_cores() if len(ids) >= PARALLEL_FROM else 1
    for part, (key_rows, blocking_rows) in derived_parts(_chunks(ids, chunk), workers):
        with transaction.atomic():
            if rebuild:
                BlockingKey.objects.filter(person_id__in=part).delete()
                PersonKeys.objects.filter(person_id__in=part).delete()
            write_key_rows(key_rows, blocking_rows)
        progress(len(part))
    if ids:
        analyze_tables()
    return len(ids)


def derived_parts(parts: Iterable[list[int]], workers: int) -> Iterator[tuple[list[int], tuple]]:
    """Each part of the persons with its key rows, in order. The rows are read and written
    in this process; with workers > 1 forked processes derive the keys (about a quarter of
    a millisecond of processor time a person) while this one reads and writes the others."""
    now = clock.now()
    if workers < 2:
        for part in parts:
            yield part, _key_rows(_person_rows(part), now)
        return
    with fork_pool(workers) as pool:
        pending: deque = deque()
        for part in parts:
            pending.append((part, pool.apply_async(_key_rows, (_person_rows(part), now))))
            if len(pending) > workers:
                done, result = pending.popleft()
                yield done, result.get()
        while pending:
            done, result = pending.popleft()
            yield done, result.get()


def _person_rows(part: list[int]) -> list[dict[str, Any]]:
    return list(Person.objects.filter(pk__in=part).values(*PERSON_FIELDS))


def analyze_tables() -> None:
    """Refresh the planner's statistics after a bulk load: without them PostgreSQL scans
    the key table for the live check's IN lists (hundreds of ms instead of a few).

    On PostgreSQL, outside a transaction, VACUUM as well. It marks the new pages
    all-visible, so the live check's index-only scans need not read the table. It also
    does now, in seconds, the work autovacuum would otherwise start on tens of millions of
    new rows at some later moment, while registrars are using the live check."""
    tables = [
        BlockingKey._meta.db_table,
        PersonKeys._meta.db_table,
        Person._meta.db_table,
        CrossingTally._meta.db_table,
        # the reports read the steps and crossings from their indexes alone once the new
        # pages are marked all-visible
        JourneyTransition._meta.db_table,
        Crossing._meta.db_table,
    ]
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            command = "ANALYZE" if connection.in_atomic_block else "VACUUM (ANALYZE)"
            cursor.execute(f"{command} " + ", ".join(tables))
        elif connection.vendor == "sqlite":
            for table in tables:
                cursor.execute(f"ANALYZE {table}")
