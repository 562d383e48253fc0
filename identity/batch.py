"""Batch deduplication of the registry: the engine finds clusters, which are stored as
review items of a run so the page can list them by score and reviewers can decide."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from typing import Any

from django.db import close_old_connections, transaction
from django.utils import timezone

from identity.check import current_model
from identity.engine import DuplicatePair, find_duplicates
from identity.keys import PERSON_FIELDS, record_of
from identity.links import active_links
from identity.models import DedupRun, ReviewItem
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
        merged = set(active_links().values_list("person_id", flat=True))
        rows = Person.objects.order_by("pk").values(*PERSON_FIELDS).iterator(chunk_size=20_000)
        records = [record_of(row) for row in rows if row["id"] not in merged]
        last = {"stage": "", "done": -1}

        def progress(stage: str, done: int, total: int) -> None:
            if extra_progress:
                extra_progress(stage, done, total)
            step = max(int(total * PROGRESS_EVERY), 1)
            if stage != last["stage"] or done - last["done"] >= step or done == total:
                last.update(stage=stage, done=done)
                DedupRun.objects.filter(pk=run.pk).update(stage=stage, done=done, total=total)

        loaded = time.perf_counter()
        result = find_duplicates(records, model=current_model(), progress=progress)
        found = time.perf_counter()
        now = timezone.now()
        items = [
            ReviewItem(
                left_id=int(max(pair.left_id, pair.right_id, key=int)),
                right_id=int(min(pair.left_id, pair.right_id, key=int)),
                score=pair.score,
                band=pair.band,
                origin=ReviewItem.Origin.BATCH,
                run=run,
                cluster=number,
                created_at=now,
            )
            for number, cluster in enumerate(result.clusters, start=1)
            for pair in spanning_pairs(cluster.pairs)
        ][:MAX_STORED_PAIRS]
        with transaction.atomic():
            ReviewItem.objects.bulk_create(items, batch_size=2_000)
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
