"""Re-scoring of the pairs close to a threshold one by one (score_pair), on every core.

Column-wise scores approximate score_pair's, so a pair within a margin of a threshold is
scored again to get the live check's band. At a million records that is about half a
million pairs at ~0.1 ms each, the longest stage of the batch: they are split among
worker processes forked from this one, which read the records without copying them
(a forked process starts with its parent's memory). Each pair is scored on its own, so
the result does not depend on how the pairs were split.
"""

from __future__ import annotations

import gc
import multiprocessing
import os
import threading
from collections.abc import Callable
from typing import Any

import numpy as np

from identity.engine.records import PreparedRecord
from identity.engine.scoring import MatchModel, SurnameShare, score_pair
from waystation.bulk import fork_pool

# Fewer pairs than this per process are not worth starting one for.
MIN_PAIRS_PER_WORKER = 5_000
CHUNK = 10_000

RecordAt = Callable[[int], PreparedRecord]
RescoreProgress = Callable[[int, int], None]

# What forked workers read: set just before the pool starts, cleared after.
_job: dict[str, Any] = {}


def rescore_pairs(
    left: np.ndarray,
    right: np.ndarray,
    record_at: RecordAt,
    model: MatchModel,
    share_of: SurnameShare,
    progress: RescoreProgress,
) -> tuple[np.ndarray, list[str]]:
    """score_pair's score and band of each pair (left[i], right[i])."""
    count = len(left)
    workers = min(forkable_cores(), count // MIN_PAIRS_PER_WORKER)
    ranges = [(start, min(start + CHUNK, count)) for start in range(0, count, CHUNK)]
    scores, bands = np.zeros(count), [""] * count
    _job.update(left=left, right=right, record_at=record_at, model=model, share_of=share_of)
    pool = None
    if workers >= 2:
        # The records and columns of a registry are millions of objects: frozen, the
        # workers' garbage collector never walks them (each walk would copy their memory
        # pages into the worker and cost seconds).
        gc.freeze()
        pool = fork_pool(workers)
    try:
        outcomes = pool.imap(_score_range, ranges) if pool else map(_score_range, ranges)
        done = 0
        for (start, end), (part_scores, part_bands) in zip(ranges, outcomes, strict=True):
            scores[start:end], bands[start:end] = part_scores, part_bands
            done += end - start
            progress(done, count)
    finally:
        if pool is not None:
            pool.terminate()  # every range is back (or one failed): nothing left to wait for
            gc.unfreeze()
        _job.clear()
    return scores, bands


def forkable_cores() -> int:
    # A process with other threads (the web process runs the batch on one) is not forked:
    # a lock another thread holds at that moment would stay held in the child for ever.
    if "fork" not in multiprocessing.get_all_start_methods() or threading.active_count() > 1:
        return 1
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else 1


def _score_range(bounds: tuple[int, int]) -> tuple[np.ndarray, list[str]]:
    start, end = bounds
    left, right, record_at = _job["left"], _job["right"], _job["record_at"]
    model, share_of = _job["model"], _job["share_of"]
    scores, bands = np.zeros(end - start), []
    for offset, (a, b) in enumerate(zip(left[start:end], right[start:end], strict=True)):
        result = score_pair(record_at(a), record_at(b), model, surname_share_of=share_of)
        scores[offset] = result.score
        bands.append(result.band)
    return scores, bands
