"""Thresholds grow with the registry: a record of a registry four times the size the
thresholds were fitted on meets four times as many namesakes by chance, so a score that
linked automatically there only asks a reviewer here. The batch and the live check give
one pair the same band at the same size."""

import numpy as np
import pytest

from identity.engine import (
    AUTO_LINK,
    REVIEW,
    MatchModel,
    PersonRecord,
    find_duplicates,
    prepare_record,
    score_pair,
)
from identity.engine.dedup import records_met_by_one
from identity.engine.index import MatchIndex
from identity.engine.records import PreparedRecord


def _record(record_id: str, family: str, given: str, born: str, **typed: str) -> PreparedRecord:
    return prepare_record(
        PersonRecord.from_typed(record_id, family, given, birth_date=born, **typed)
    )


def _others(count: int) -> list[PreparedRecord]:
    """People who share nothing with the pair: they only make the registry larger."""
    return [
        _record(f"other{n}", "Smith", f"Person{n}", f"{1930 + n % 60}-0{1 + n % 9}-1{n % 10}")
        for n in range(count)
    ]


def test_a_registry_no_larger_than_the_fitted_one_keeps_the_thresholds() -> None:
    model = MatchModel()
    for records in (0, 10, model.reference_registry_size):
        scaled = model.at_registry_size(records)
        assert scaled.auto_link_threshold == model.auto_link_threshold
        assert scaled.review_threshold == model.review_threshold


def test_each_doubling_of_the_records_raises_both_thresholds_half_a_bit() -> None:
    model = MatchModel(reference_registry_size=6_000)
    scaled = model.at_registry_size(24_000)
    assert scaled.auto_link_threshold == pytest.approx(model.auto_link_threshold + 1)
    assert scaled.review_threshold == pytest.approx(model.review_threshold + 1)
    # asking again for the same size does not raise them twice
    again = scaled.at_registry_size(24_000)
    assert again.auto_link_threshold == scaled.auto_link_threshold


def test_counts_a_few_records_apart_give_the_same_thresholds() -> None:
    model = MatchModel(reference_registry_size=6_000)
    cached, exact = model.at_registry_size(1_000_000), model.at_registry_size(1_003_000)
    assert cached.auto_link_threshold == exact.auto_link_threshold
    # 1,000,000 / 6,000 is seven whole doublings (7.4)
    assert cached.auto_link_threshold == pytest.approx(model.auto_link_threshold + 3.5)


def test_the_reference_size_survives_saving_the_model() -> None:
    model = MatchModel(reference_registry_size=48_000)
    assert MatchModel.from_dict(model.to_dict()).reference_registry_size == 48_000
    # a model saved before the size was kept is read as fitted on the defaults' size
    old = {key: value for key, value in model.to_dict().items() if key != "reference_registry_size"}
    assert MatchModel.from_dict(old).reference_registry_size == MatchModel().reference_registry_size


def test_a_link_in_a_small_registry_asks_a_reviewer_in_a_large_one() -> None:
    kim = _record("kim", "金", "永哲", "1951-03-04", sex="M")
    gim = _record("gim", "김", "영철", "1951-03-04", sex="M")
    small = MatchModel(reference_registry_size=100, auto_link_threshold=22.5)
    score = score_pair(kim, gim, small).score
    # five times the records, two whole doublings: the threshold rises one bit
    assert small.auto_link_threshold <= score < small.auto_link_threshold + 1

    def batch_band(others: int) -> str:
        pairs = find_duplicates([kim, gim, *_others(others)], model=small).pairs
        return next(p.band for p in pairs if {p.left_id, p.right_id} == {"kim", "gim"})

    def live_band(others: int) -> str:
        index = MatchIndex(small)
        for record in [kim, *_others(others)]:
            index.add(record)
        return next(r.band for r in index.check(gim) if r.right_id == "kim")

    assert batch_band(50) == live_band(50) == AUTO_LINK
    assert batch_band(500) == live_band(500) == REVIEW


def test_matching_across_sources_counts_the_records_of_the_other_sources() -> None:
    sources = np.array(["a"] * 5_000 + ["b"] * 5_000, dtype=object)
    assert records_met_by_one(sources, across_sources_only=True) == 5_000
    assert records_met_by_one(sources, across_sources_only=False) == 10_000
