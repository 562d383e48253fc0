"""Loose key families (a given name and a place, a reading, sorted document characters...)
are compared only in small blocks; exact families (surname, given name and date...) keep
their larger limit. The batch, the in-memory index and the live check share the rule."""

from __future__ import annotations

import numpy as np
import pytest

from identity.engine import blocking
from identity.engine.blocking import blocking_keys, family_max_block, key_family
from identity.engine.index import MatchIndex
from identity.engine.pairs import KeyBlocks, candidate_pairs, pairs_of_blocks
from identity.engine.records import PersonRecord, PreparedRecord, prepare_record

SURNAMES = ("김", "리", "박", "최", "정", "강")


def person(record_id: str, family: str, given: str, **fields: object) -> PreparedRecord:
    return prepare_record(PersonRecord.from_typed(record_id, family, given, **fields))  # type: ignore[arg-type]


def one_given_name_in_one_county() -> list[PreparedRecord]:
    """Six people of six surnames, born years and days apart, sharing only a given name
    and a birth place: the loose `ga` key is all they have in common."""
    return [
        person(
            f"r{n}",
            surname,
            "영철",
            birth_date=f"{1930 + 7 * n}-{n + 1:02d}-{n + 10:02d}",
            attributes={"birth_place": "延吉市"},
        )  # fmt: skip
        for n, surname in enumerate(SURNAMES)
    ]


def test_the_people_share_only_a_loose_key() -> None:
    records = one_given_name_in_one_county()
    shared = set(blocking_keys(records[0]))
    for record in records[1:]:
        shared &= set(blocking_keys(record))
    assert shared
    assert {key_family(key) for key in shared} <= blocking.LOOSE_FAMILIES


def test_a_loose_block_above_its_limit_pairs_nobody(monkeypatch: pytest.MonkeyPatch) -> None:
    records = one_given_name_in_one_county()
    monkeypatch.setattr(blocking, "LOOSE_MAX_BLOCK", len(records))
    pairs, _ = candidate_pairs(records)
    assert len(pairs) == 15  # every pair of six

    monkeypatch.setattr(blocking, "LOOSE_MAX_BLOCK", len(records) - 1)
    pairs, stats = candidate_pairs(records)
    assert len(pairs) == 0
    assert stats["pairs_ga"] == 0


def test_an_exact_block_of_the_same_size_still_pairs(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(blocking, "LOOSE_MAX_BLOCK", 2)
    twins = [
        person(f"t{n}", "김", "영철", birth_date="1941-03-07", attributes={"birth_place": "延吉市"})
        for n in range(6)
    ]
    pairs, stats = candidate_pairs(twins)
    assert len(pairs) == 15
    assert stats["pairs_sd"] == 15 and stats["pairs_ga"] == 0


def test_the_live_index_leaves_out_the_same_blocks(monkeypatch: pytest.MonkeyPatch) -> None:
    records = one_given_name_in_one_county()
    index = MatchIndex()
    index.add_many(records[1:])
    monkeypatch.setattr(blocking, "LOOSE_MAX_BLOCK", len(records) - 1)
    assert len(index.candidate_positions(records[0])) == len(records) - 1
    monkeypatch.setattr(blocking, "LOOSE_MAX_BLOCK", len(records) - 2)
    assert index.candidate_positions(records[0]) == set()


def test_stored_blocks_follow_each_familys_limit(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(blocking, "LOOSE_MAX_BLOCK", 3)
    # one exact block of five records, one loose block of five, one loose block of three
    codes = np.array([1] * 5 + [2] * 5 + [3] * 3)
    members = np.array([0, 1, 2, 3, 4] + [5, 6, 7, 8, 9] + [10, 11, 12])
    loose = codes != 1
    blocks = KeyBlocks(codes, members, np.zeros(len(codes), dtype=bool), loose)
    pairs, _ = pairs_of_blocks(blocks, np.zeros(13, dtype=bool))
    found = {tuple(pair) for pair in pairs.tolist()}
    assert found == {
        (a, b) for group in ((0, 1, 2, 3, 4), (10, 11, 12)) for a in group for b in group if a < b
    }


def test_loose_limit_never_exceeds_the_callers() -> None:
    assert family_max_block("ga", 10) == 10
    assert family_max_block("ga", 1000) == blocking.LOOSE_MAX_BLOCK
    assert family_max_block("sd", 1000) == 1000
