"""One scorer: the batch's column-wise scores and bands are the live check's (issue 17, 5)."""

import random

import numpy as np
import pytest

from identity.engine import NON_MATCH, MatchModel, find_duplicates, prepare_record, score_pair
from identity.engine.column_score import score_columns
from identity.engine.columns import RecordColumns
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


def test_document_and_date_slips_are_graded_alike_by_both_scorers() -> None:
    from identity.engine.column_dates import (
        DATE_LEVELS,
        DOCUMENT_LEVELS,
        date_levels,
        document_levels_of,
    )
    from identity.engine.compare import compare_documents
    from identity.engine.dates import compare_birth_dates
    from identity.engine.records import PersonRecord

    numbers = [
        "222244193902097059",
        "222424193902097059",
        "222244193902097058",
        "222244193902079059",
        "322244193902097059",
        "222244193902097095",
        "",
    ]
    dates = ["1939-02-09", "1939-02-90", "1939-20-09", "1993-02-09", "1939-02-19",
             "1939-12-09", "1389-02-09", "1940-02-09", "1939-09-02", "2939-02-09"]  # fmt: skip
    records = [
        prepare_record(
            PersonRecord.from_typed(f"r{n}", "강", "길근", birth_date=date, document_number=number)
        )
        for n, (number, date) in enumerate(
            (number, date) for number in numbers for date in dates if parses(date)
        )
    ]
    columns = RecordColumns.build(records, surname_share)
    pairs = [(a, b) for a in range(len(records)) for b in range(len(records)) if a != b]
    left, right = np.array([a for a, _ in pairs]), np.array([b for _, b in pairs])
    documents = [DOCUMENT_LEVELS[n] for n in document_levels_of(columns, left, right)]
    assert documents == [compare_documents(records[a], records[b]).level for a, b in pairs]
    assert "typo" in documents  # a transposition of neighbouring digits is one slip
    births = [DATE_LEVELS[n] for n in date_levels(columns, left, right)]
    assert births == [
        compare_birth_dates(records[a].birth_date, records[b].birth_date).level for a, b in pairs
    ]
    assert "digit_typo" in births


def parses(date: str) -> bool:
    from identity.engine.records import BirthDate

    try:
        return BirthDate.parse(date) is not None
    except ValueError:
        return False


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


def test_shared_forms_are_those_any_two_columns_share() -> None:
    from identity.engine.columns import any_shared, form_counts

    rng = np.random.default_rng(1)
    codes = np.full((500, 6), -1)
    for row in range(len(codes)):
        count = rng.integers(0, 7)
        codes[row, :count] = rng.choice(20, count, replace=False)
    left, right = rng.integers(0, 500, 20_000), rng.integers(0, 500, 20_000)
    every_column = (codes[left][:, :, None] == codes[right][:, None, :]) & (
        codes[left][:, :, None] >= 0
    )
    expected = every_column.any(axis=(1, 2))
    assert (any_shared(codes, left, right) == expected).all()
    assert (any_shared(codes, left, right, form_counts(codes)) == expected).all()
    assert 0.1 < expected.mean() < 0.9


def test_pairs_that_cannot_reach_review_are_kept_below_it_without_comparing_given_names(
    registry: list,
) -> None:
    pairs, _ = candidate_pairs(registry)
    left, right = pairs[:, 0], pairs[:, 1]
    model = MatchModel()
    columns = RecordColumns.build(registry, surname_share)
    full, _, _ = score_columns(columns, left, right, model)
    cut, _, _ = score_columns(columns, left, right, model, model.review_threshold)
    kept = full >= model.review_threshold
    assert np.allclose(cut[kept], full[kept])
    assert (cut[~kept] < model.review_threshold).all()
    assert (cut[~kept] >= full[~kept] - 1e-9).all()  # a bound: never below the true score
    assert kept.sum() > 500 and (~kept).sum() > 500
