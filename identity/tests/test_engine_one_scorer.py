"""One scorer: the batch's column-wise scores and bands are the live check's (issue 17, 5)."""

import random

import numpy as np
import pytest

from identity.engine import NON_MATCH, MatchModel, find_duplicates, prepare_record, score_pair
from identity.engine.columns import RecordColumns, score_columns
from identity.engine.dedup import registry_surname_shares
from identity.engine.hard_synthetic import generate_hard_registry
from identity.engine.pairs import candidate_pairs
from identity.engine.surnames import surname_share
from identity.engine.table import table_of_records


@pytest.fixture(scope="module")
def registry() -> list:
    return [prepare_record(record) for record in generate_hard_registry(2500, seed=23).records]


def test_batch_scores_equal_live_scores_on_thousands_of_random_pairs(registry: list) -> None:
    pairs, _ = candidate_pairs(registry)
    rng = random.Random(5)
    rows = rng.sample(pairs.tolist(), min(3000, len(pairs)))
    rows += [[rng.randrange(len(registry)), rng.randrange(len(registry))] for _ in range(2000)]
    rows = [
        row
        for row in rows
        if row[0] != row[1]
        and registry[row[0]].swapped_names is None
        and registry[row[1]].swapped_names is None  # scored both ways by score_pair alone
    ]
    assert len(rows) > 3000
    left, right = np.array([r[0] for r in rows]), np.array([r[1] for r in rows])
    model = MatchModel()
    columns = RecordColumns.build(registry, surname_share)
    batch, _, _ = score_columns(columns, left, right, model)
    live = np.array([score_pair(registry[a], registry[b], model).score for a, b in rows])
    assert np.abs(batch - live).max() < 1e-6


def test_batch_bands_are_live_bands_without_any_rescoring(registry: list) -> None:
    model = MatchModel()
    # each pair's own band: the batch's joining of pairs through automatic links is off
    result = find_duplicates(registry, model=model, rescore_margin=0.0, join_through_links=False)
    batch = {(p.left_id, p.right_id): p.band for p in result.pairs}
    batch.update({(b, a): band for (a, b), band in list(batch.items())})
    pairs, _ = candidate_pairs(registry)
    share = registry_surname_shares(table_of_records(registry))  # the registry's own shares
    checked = 0
    for a, b in pairs.tolist():
        live = score_pair(registry[a], registry[b], model, surname_share_of=share).band
        found = batch.get((registry[a].record_id, registry[b].record_id), NON_MATCH)
        assert found == live, (registry[a].record, registry[b].record)
        checked += 1
    assert checked > 1000


def test_scoring_chunk_by_chunk_gives_what_one_chunk_gives(registry: list, monkeypatch) -> None:
    from identity.engine import dedup

    def found() -> list:
        result = find_duplicates(registry, rescore_margin=0.0, join_through_links=False)
        return sorted((p.left_id, p.right_id, round(p.score, 9), p.band) for p in result.pairs)

    whole = found()
    # name pairs compared in one chunk are remembered for the next: levels must not mix
    monkeypatch.setattr(dedup, "SCORE_CHUNK", 97)
    assert found() == whole
    assert len(whole) > 500
