"""Pairs near a threshold are re-scored one by one, split among forked processes when
there are many: the split must not change a single score or band."""

import numpy as np
import pytest

from identity.engine import rescore
from identity.engine.pairs import candidate_pairs
from identity.engine.records import prepare_record
from identity.engine.scoring import MatchModel, score_pair
from identity.engine.surnames import surname_share
from identity.engine.synthetic import generate_registry


def rescored(prepared, pairs, seen: list) -> tuple[np.ndarray, list[str]]:
    return rescore.rescore_pairs(
        pairs[:, 0],
        pairs[:, 1],
        prepared.__getitem__,
        MatchModel(),
        surname_share,
        lambda done, total: seen.append((done, total)),
    )


@pytest.mark.skipif(rescore.forkable_cores() < 2, reason="needs fork and two cores")
def test_rescoring_in_worker_processes_gives_score_pairs_results(monkeypatch) -> None:
    prepared = [prepare_record(record) for record, _ in generate_registry(600, seed=3)]
    pairs, _ = candidate_pairs(prepared)
    pairs = pairs[:700]
    serial_progress, parallel_progress = [], []
    serial = rescored(prepared, pairs, serial_progress)
    monkeypatch.setattr(rescore, "MIN_PAIRS_PER_WORKER", 1)
    monkeypatch.setattr(rescore, "CHUNK", 64)
    parallel = rescored(prepared, pairs, parallel_progress)

    expected = [score_pair(prepared[a], prepared[b], MatchModel()) for a, b in pairs.tolist()]
    assert serial[0].tolist() == parallel[0].tolist() == [r.score for r in expected]
    assert serial[1] == parallel[1] == [r.band for r in expected]
    assert parallel_progress[-1] == (700, 700) and len(parallel_progress) == 11


def test_a_process_with_other_threads_rescores_without_forking() -> None:
    """The web process runs the batch on a thread: forking it could leave a lock that
    another thread held locked for ever in the workers."""
    import threading

    release = threading.Event()
    other = threading.Thread(target=release.wait)
    other.start()
    try:
        assert rescore.forkable_cores() == 1
    finally:
        release.set()
        other.join()
