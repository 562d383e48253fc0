"""Batch deduplication of the registry: the engine finds clusters, which are stored as
review items of a run so the page can list them by score and reviewers can decide."""

from __future__ import annotations

import datetime as dt
import json
import threading
import time
from collections.abc import Callable
from typing import Any

import numpy as np
from django.db import close_old_connections, connection, transaction
from django.utils import timezone

from identity.check import current_model
from identity.engine import DuplicatePair, NameForms, PreparedRecord, find_duplicates
from identity.engine.blocking import NO_DATE_FAMILY
from identity.engine.dedup import KeyBlocks
from identity.keys import PERSON_FIELDS, backfill_keys, birth_of, prepare_record, record_of
from identity.links import active_links
from identity.models import BlockingKey, DedupRun, PersonKeys, ReviewItem
from people.models import Person

# At most this many pairs are kept for review from one run (strongest first).
MAX_STORED_PAIRS = 200_000
PROGRESS_EVERY = 0.02

StageProgress = Callable[[str, int, int], None]


def start_run(user: Any) -> DedupRun:
    return DedupRun.objects.create(started_at=timezone.now(), started_by=user)


def run_dedup(run: DedupRun, extra_progress: StageProgress | None = None) -> DedupRun:
    """Deduplicate every record not already merged; progress is written to the run row."""
    try:
        started = time.perf_counter()
        # the batch blocks on the stored keys: persons saved without them get them first
        backfill_keys()
        merged = set(active_links().values_list("person_id", flat=True))
        key_rows = start_reading_key_rows()
        records = load_records(merged)
        record_ids = np.array([int(r.record_id) for r in records], dtype=np.int64)
        blocks = load_blocks(record_ids, rows=key_rows())
        last = {"stage": "", "done": -1}

        def progress(stage: str, done: int, total: int) -> None:
            if extra_progress:
                extra_progress(stage, done, total)
            step = max(int(total * PROGRESS_EVERY), 1)
            if stage != last["stage"] or done - last["done"] >= step or done == total:
                last.update(stage=stage, done=done)
                DedupRun.objects.filter(pk=run.pk).update(stage=stage, done=done, total=total)

        loaded = time.perf_counter()
        result = find_duplicates(records, blocks=blocks, model=current_model(), progress=progress)
        found = time.perf_counter()
        items = review_items(run, result.clusters)
        with transaction.atomic():
            write_review_items(items)
            stats = {k: round(v, 3) for k, v in result.stats.items()}
            stats["seconds_load"] = round(loaded - started, 3)
            stats["seconds_store"] = round(time.perf_counter() - found, 3)
            DedupRun.objects.filter(pk=run.pk).update(
                status=DedupRun.Status.DONE,
                finished_at=timezone.now(),
                stats=stats,
                stage="done",
            )
    except Exception as error:  # the page must show a failed run, not spin forever
        DedupRun.objects.filter(pk=run.pk).update(
            status=DedupRun.Status.FAILED, finished_at=timezone.now(), error=repr(error)[:2000]
        )
        raise
    run.refresh_from_db()
    run.result = result  # the engine's full result, for callers that measure it
    return run


REVIEW_COLUMNS = (
    "left_id",
    "right_id",
    "score",
    "band",
    "reasons",
    "origin",
    "run_id",
    "cluster",
    "created_at",
    "verdict",
)


def review_items(run: DedupRun, clusters: list[Any]) -> list[tuple[Any, ...]]:
    """Rows (REVIEW_COLUMNS) of the pairs to review, strongest clusters first, at most
    MAX_STORED_PAIRS of them: plain rows, because building a model instance for each of
    200,000 items cost more than the deduplication itself."""
    created = connection.ops.adapt_datetimefield_value(timezone.now())
    rows: list[tuple[Any, ...]] = []
    for number, cluster in enumerate(clusters, start=1):
        for pair in spanning_pairs(cluster.pairs):
            left, right = int(pair.left_id), int(pair.right_id)
            rows.append(
                (
                    max(left, right),
                    min(left, right),
                    pair.score,
                    pair.band,
                    "[]",
                    ReviewItem.Origin.BATCH.value,
                    run.pk,
                    number,
                    created,
                    "",
                )
            )
        if len(rows) >= MAX_STORED_PAIRS:
            return rows[:MAX_STORED_PAIRS]
    return rows


def write_review_items(rows: list[tuple[Any, ...]]) -> None:
    """Bulk insert: COPY on PostgreSQL, one prepared statement for all rows on SQLite."""
    table, columns = ReviewItem._meta.db_table, ", ".join(REVIEW_COLUMNS)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
        else:
            marks = ", ".join(["%s"] * len(REVIEW_COLUMNS))
            cursor.executemany(
                f"INSERT INTO {table} ({columns}) VALUES ({marks})",  # noqa: S608 - model names
                rows,
            )


def load_records(merged: set[int]) -> list[PreparedRecord]:
    """Every person not merged into another, with the name forms stored beside it (one
    raw query: deriving the forms again for a whole registry costs minutes)."""
    person, keys = Person._meta.db_table, PersonKeys._meta.db_table
    columns = ", ".join(f"p.{name}" for name in PERSON_FIELDS)
    query = (
        f"SELECT {columns}, k.forms FROM {person} p "  # noqa: S608 - names from the models
        f"LEFT JOIN {keys} k ON k.person_id = p.id ORDER BY p.id"
    )
    records: list[PreparedRecord] = []
    # A registry repeats names (and birth dates, places): each distinct one is read once.
    names_of: dict[tuple[str, ...], NameForms | None] = {}
    births: dict[tuple[Any, str], Any] = {}
    birth_at = PERSON_FIELDS.index("birth_date")
    names_at = slice(1, 7)  # the six name fields, in PERSON_FIELDS order
    with connection.cursor() as cursor:
        cursor.execute(query)
        while rows := cursor.fetchmany(20_000):
            for row in rows:
                if row[0] in merged:
                    continue
                fields = dict(zip(PERSON_FIELDS, row, strict=False))
                birth_key = (row[birth_at], fields["birth_date_precision"])
                if birth_key not in births:
                    date = row[birth_at]
                    if isinstance(date, str):
                        date = dt.date.fromisoformat(date)
                    births[birth_key] = birth_of(date, birth_key[1])
                fields["birth_date"], fields["birth_date_precision"] = births[birth_key], "parsed"
                name_key = row[names_at]
                if name_key not in names_of:
                    forms = json.loads(row[-1]) if isinstance(row[-1], str) else row[-1]
                    names_of[name_key] = NameForms.from_dict(forms) if forms else None
                records.append(prepare_record(record_of(fields), names_of[name_key]))
    return records


# Keys are read in ranges of this many rows of the key table, each range as one value.
KEY_READ_ROWS = 2_000_000


def load_blocks(
    record_ids: np.ndarray, max_block_size: int = 1000, rows: np.ndarray | None = None
) -> KeyBlocks:
    """The stored blocking keys shared by 2..max_block_size persons, as positions in
    record_ids (sorted); keys of merged persons are dropped. rows: the key rows read
    already (start_reading_key_rows)."""
    # Every key is read and the block sizes counted here: a plain scan, where counting in
    # SQL (a window over the whole table) took six times as long on SQLite.
    table_rows = _read_key_rows() if rows is None else rows
    # sorted by key once: block sizes are run lengths, and the pairing sort finds it sorted
    # (stability is not needed: a pair's two records are put in order afterwards)
    table_rows = table_rows[np.argsort(table_rows[:, 0])]
    keys = table_rows[:, 0]
    starts = np.flatnonzero(np.r_[True, keys[1:] != keys[:-1]]) if len(keys) else np.zeros(0, int)
    run_lengths = np.diff(np.r_[starts, len(keys)])
    sizes = np.repeat(run_lengths, run_lengths)
    table_rows = table_rows[(sizes >= 2) & (sizes <= max_block_size)]
    person_ids, restricted = table_rows[:, 1] >> 1, (table_rows[:, 1] & 1).astype(bool)
    positions = np.searchsorted(record_ids, person_ids)
    positions = np.minimum(positions, max(len(record_ids) - 1, 0))
    known = (
        record_ids[positions] == person_ids
        if len(record_ids)
        else np.zeros(len(table_rows), dtype=bool)
    )
    return KeyBlocks(
        codes=table_rows[known, 0], members=positions[known], restricted=restricted[known]
    )


def start_reading_key_rows() -> Callable[[], np.ndarray]:
    """Read the key rows on a thread of their own; the returned function waits for them.

    The database builds the packed key values while this process reads the persons:
    on PostgreSQL in its own process, on SQLite with the GIL released. Inside a
    transaction (tests) another connection would not see its rows: read them here.
    """
    if connection.in_atomic_block:
        rows = _read_key_rows()
        return lambda: rows
    outcome: dict[str, Any] = {}

    def read() -> None:
        try:
            outcome["rows"] = _read_key_rows()
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
    """(key hash, person id * 2 + restricted family) of every stored key, as int64 rows.

    Rows are not fetched one by one: each range of the table comes back as one value the
    database builds (packed 8-byte integers on PostgreSQL, a string of numbers on SQLite),
    which numpy reads at once. Fetching 6.6M rows singly cost twice as long on both.
    """
    table = BlockingKey._meta.db_table
    packed = f"person_id * 2 + CASE WHEN family = '{NO_DATE_FAMILY}' THEN 1 ELSE 0 END"
    parts = []
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT min(id), max(id) FROM {table}")  # noqa: S608 - model name
        low, high = cursor.fetchone()
        if low is None:
            return np.zeros((0, 2), dtype=np.int64)
        if connection.vendor == "postgresql":
            query = (
                f"SELECT string_agg(int8send(key_hash) || int8send({packed}), ''::bytea) "  # noqa: S608
                f"FROM {table} WHERE id >= %s AND id < %s"
            )
        else:
            query = (
                f"SELECT group_concat(key_hash || ' ' || ({packed}), ' ') "  # noqa: S608
                f"FROM {table} WHERE id >= %s AND id < %s"
            )
        for start in range(low, high + 1, KEY_READ_ROWS):
            cursor.execute(query, (start, start + KEY_READ_ROWS))
            (value,) = cursor.fetchone()
            if not value:
                continue
            if connection.vendor == "postgresql":
                parts.append(np.frombuffer(value, dtype=">i8").astype(np.int64))
            else:
                parts.append(np.fromstring(value, dtype=np.int64, sep=" "))
    rows = np.concatenate(parts) if parts else np.zeros(0, dtype=np.int64)
    return rows.reshape(-1, 2)


def spanning_pairs(pairs: list[DuplicatePair]) -> list[DuplicatePair]:
    """The strongest pairs that hold a cluster together (a maximum spanning tree): a
    cluster of eight records needs seven decisions, not twenty-eight."""
    parent: dict[str, str] = {}

    def find(record_id: str) -> str:
        while parent.get(record_id, record_id) != record_id:
            record_id = parent[record_id] = parent.get(parent[record_id], parent[record_id])
        return record_id

    kept = []
    for pair in sorted(pairs, key=lambda pair: -pair.score):
        left, right = find(pair.left_id), find(pair.right_id)
        if left != right:
            parent[left] = right
            kept.append(pair)
    return kept


def run_in_background(run: DedupRun) -> threading.Thread:
    """Run on a thread of the web process; the page polls the run row for progress."""

    def target() -> None:
        close_old_connections()
        try:
            run_dedup(run)
        except Exception:  # noqa: S110 - recorded on the run row already
            pass
        finally:
            close_old_connections()

    thread = threading.Thread(target=target, name=f"dedup-{run.pk}", daemon=True)
    thread.start()
    return thread
