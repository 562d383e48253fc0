"""Batch deduplication of the registry: the engine finds clusters, which are stored as
review items of a run so the page can list them by score and reviewers can decide."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection, transaction
from django.utils.translation import gettext as _

from identity.batch_load import load_table
from identity.check import current_model
from identity.engine import AUTO_LINK, DuplicatePair, find_duplicates_in_table
from identity.keys import backfill_keys
from identity.links import active_links
from identity.models import DedupRun, ReviewItem
from identity.packed_keys import load_blocks, start_reading_key_rows
from identity.services import merge_records
from people.journey import TransitionRefused
from people.models import Person
from waystation import clock
from waystation.bulk import cyclic_gc_paused
from waystation.rows import insert_rows

# At most this many pairs are kept for review from one run (strongest first).
MAX_STORED_PAIRS = 200_000
PROGRESS_EVERY = 0.02

StageProgress = Callable[[str, int, int], None]


def start_run(user: Any) -> DedupRun:
    return DedupRun.objects.create(started_at=clock.now(), started_by=user)


def run_dedup(run: DedupRun, extra_progress: StageProgress | None = None) -> DedupRun:
    """Deduplicate every record not already merged; progress is written to the run row."""
    with cyclic_gc_paused():
        return _deduplicate(run, extra_progress)


def _deduplicate(run: DedupRun, extra_progress: StageProgress | None) -> DedupRun:
    try:
        started = time.perf_counter()
        # the batch blocks on the stored keys: persons saved without them get them first
        backfill_keys()
        merged = set(active_links().values_list("person_id", flat=True))
        key_rows = start_reading_key_rows()
        table, person_ids = load_table(merged)
        blocks = load_blocks(person_ids, rows=key_rows())
        last = {"stage": "", "done": -1}

        def progress(stage: str, done: int, total: int) -> None:
            if extra_progress:
                extra_progress(stage, done, total)
            step = max(int(total * PROGRESS_EVERY), 1)
            if stage != last["stage"] or done - last["done"] >= step or done == total:
                last.update(stage=stage, done=done)
                DedupRun.objects.filter(pk=run.pk).update(stage=stage, done=done, total=total)

        loaded = time.perf_counter()
        result = find_duplicates_in_table(
            table, blocks=blocks, model=current_model(), progress=progress
        )
        found = time.perf_counter()
        # automatic links are applied when a person started the run (a reviewer can undo
        # each, and each merge is audited); a run from the command line only lists them
        apply = run.started_by is not None
        items, automatic = review_items(run, result.clusters, split_automatic=apply)
        with transaction.atomic():
            _commit_without_waiting_for_disk()
            write_review_items(items)
            stats = {k: round(v, 3) for k, v in result.stats.items()}
            stats["seconds_load"] = round(loaded - started, 3)
            stats["seconds_store"] = round(time.perf_counter() - found, 3)
            stats["automatic_links"] = len(automatic)
            DedupRun.objects.filter(pk=run.pk).update(
                status=DedupRun.Status.DONE,
                finished_at=clock.now(),
                stats=stats,
                stage="done",
            )
    except Exception as error:  # the page must show a failed run, not spin forever
        DedupRun.objects.filter(pk=run.pk).update(
            status=DedupRun.Status.FAILED, finished_at=clock.now(), error=repr(error)[:2000]
        )
        raise
    if automatic:
        applied = apply_automatic_links(run, automatic)
        stats["automatic_links_applied"] = applied
        DedupRun.objects.filter(pk=run.pk).update(stats=stats)
    run.refresh_from_db()
    run.result = result  # the engine's full result, for callers that measure it
    return run


def apply_automatic_links(run: DedupRun, pairs: list[DuplicatePair]) -> int:
    """Merge each pair the engine links automatically, in the name of whoever started the
    run: reversible (identity-unlink) and audited like a reviewer's merge. A pair whose
    records are one already, or that the merge rules refuse, is left alone."""
    applied = 0
    reason = _("Automatic link above the threshold (deduplication run %(run)d)") % {"run": run.pk}
    people = Person.objects.in_bulk(
        {int(record) for pair in pairs for record in (pair.left_id, pair.right_id)}
    )
    for pair in pairs:
        newer, older = sorted(
            (people[int(pair.left_id)], people[int(pair.right_id)]),
            key=lambda person: person.pk,
            reverse=True,
        )
        try:
            merge_records(
                user=run.started_by, person=newer, into=older, score=pair.score, reason=reason
            )
        except (ValidationError, PermissionDenied, TransitionRefused):
            continue
        applied += 1
    return applied


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


def review_items(
    run: DedupRun, clusters: list[Any], *, split_automatic: bool = False
) -> tuple[list[tuple[Any, ...]], list[DuplicatePair]]:
    """Rows (REVIEW_COLUMNS) of the pairs to review, strongest clusters first, at most
    MAX_STORED_PAIRS of them: plain rows, because building a model instance for each of
    200,000 items cost more than the deduplication itself. With split_automatic, the
    pairs linked automatically come back apart (to be applied) instead of as rows; a
    review pair between records they already join is not asked."""
    created = connection.ops.adapt_datetimefield_value(clock.now())
    rows: list[tuple[Any, ...]] = []
    automatic: list[DuplicatePair] = []
    for number, cluster in enumerate(clusters, start=1):
        for pair in spanning_pairs(cluster.pairs):
            if split_automatic and pair.band == AUTO_LINK:
                automatic.append(pair)
                continue
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
            return rows[:MAX_STORED_PAIRS], automatic
    return rows, automatic


def _commit_without_waiting_for_disk() -> None:
    """On PostgreSQL, this transaction's commit does not wait for its WAL to reach the disk:
    a run's review items are results that can be computed again, and flushing 200,000 of
    them took seconds on a busy disk. A crash right after the commit loses the whole
    transaction (the run stays 'running'), never half of it."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL synchronous_commit TO OFF")


def write_review_items(rows: list[tuple[Any, ...]]) -> None:
    """Bulk insert: COPY on PostgreSQL, one prepared statement for all rows on SQLite."""
    insert_rows(ReviewItem._meta.db_table, REVIEW_COLUMNS, rows)


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
