"""In-memory index for the live files check: one new registration against all records."""

from __future__ import annotations

from array import array
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable
from itertools import repeat

import numpy as np

from identity.engine.blocking import (
    NO_DATE_FAMILY,
    blocking_keys,
    family_max_block,
    key_family,
)
from identity.engine.records import PersonRecord, PreparedRecord, prepare_record
from identity.engine.scoring import (
    NON_MATCH,
    MatchModel,
    MatchResult,
    score_pair,
    score_upper_bound,
)
from identity.engine.surnames import surname_share

ProgressCallback = Callable[[int, int], None]

# Below this many records the table's population shares are better than counted ones.
MIN_RECORDS_FOR_COUNTED_SHARES = 1000


class MatchIndex:
    """Blocking index over prepared records, answering "who is this person already?".

    Blocks are kept as hashes of their keys in one sorted numpy array (with the record
    positions beside it), which holds tens of millions of block entries in a few hundred
    megabytes; records added one by one wait in a small dict until it is merged in.
    Blocks larger than max_block_size are not searched (a key that common identifies
    nobody), nor blocks of a loose family larger than LOOSE_MAX_BLOCK; other keys of the
    same record still find its duplicates.
    """

    MERGE_PENDING_AT = 250_000

    def __init__(self, model: MatchModel | None = None, *, max_block_size: int = 2000) -> None:
        self.model = model or MatchModel()
        self.max_block_size = max_block_size
        self._records: list[PreparedRecord] = []
        self._position: dict[str, int] = {}
        self._hashes = np.zeros(0, dtype=np.int64)
        self._positions = np.zeros(0, dtype=np.int64)
        self._pending: dict[int, list[int]] = defaultdict(list)
        self._pending_entries = 0
        self._surname_counts: Counter[str] = Counter()

    def __len__(self) -> int:
        return len(self._position)

    def _append(self, record: PersonRecord | PreparedRecord) -> tuple[PreparedRecord, int]:
        prepared = record if isinstance(record, PreparedRecord) else prepare_record(record)
        if prepared.record_id in self._position:
            self.remove(prepared.record_id)
        position = len(self._records)
        self._records.append(prepared)
        self._position[prepared.record_id] = position
        self._surname_counts.update(prepared.names.surname_keys)
        return prepared, position

    def add(self, record: PersonRecord | PreparedRecord) -> PreparedRecord:
        """Index one record (prepared on the way if needed); re-adding an id replaces it."""
        prepared, position = self._append(record)
        for key in blocking_keys(prepared):
            self._pending[hash(key)].append(position)
        self._pending_entries += 1
        if self._pending_entries >= self.MERGE_PENDING_AT:
            self._merge_pending()
        return prepared

    def add_many(
        self,
        records: Iterable[PersonRecord | PreparedRecord],
        *,
        progress: ProgressCallback | None = None,
        total: int = 0,
    ) -> None:
        """Index many records, calling progress(done, total) every 10,000 records."""
        hashes, positions = array("q"), array("q")
        for count, record in enumerate(records, start=1):
            prepared, position = self._append(record)
            keys = blocking_keys(prepared)
            hashes.extend(hash(key) for key in keys)
            positions.extend(repeat(position, len(keys)))
            if progress and count % 10_000 == 0:
                progress(count, total)
        self._merge(np.frombuffer(hashes, dtype=np.int64), np.frombuffer(positions, dtype=np.int64))
        if progress:
            progress(len(self), total or len(self))

    def _merge_pending(self) -> None:
        hashes = np.fromiter((h for h, block in self._pending.items() for _ in block), np.int64)
        positions = np.fromiter((p for block in self._pending.values() for p in block), np.int64)
        self._pending.clear()
        self._pending_entries = 0
        self._merge(hashes, positions)

    def _merge(self, hashes: np.ndarray, positions: np.ndarray) -> None:
        all_hashes = np.concatenate([self._hashes, hashes])
        all_positions = np.concatenate([self._positions, positions])
        order = np.argsort(all_hashes, kind="stable")
        self._hashes, self._positions = all_hashes[order], all_positions[order]

    def _block(self, key: str) -> list[int]:
        """Positions in the block of a key (a hash collision only adds candidates)."""
        hashed = hash(key)
        low = int(np.searchsorted(self._hashes, hashed, side="left"))
        high = int(np.searchsorted(self._hashes, hashed, side="right"))
        block = self._positions[low:high].tolist() if high > low else []
        pending = self._pending.get(hashed)
        return block + pending if pending else block

    def remove(self, record_id: str) -> None:
        """Drop a record (e.g. after a merge); its block entries are skipped lazily."""
        position = self._position.pop(record_id, None)
        if position is not None:
            self._surname_counts.subtract(self._records[position].names.surname_keys)

    def get(self, record_id: str) -> PreparedRecord | None:
        position = self._position.get(record_id)
        return None if position is None else self._records[position]

    def surname_share(self, key: str) -> float:
        """Share of indexed records with this surname key (table share for small indexes)."""
        total = len(self)
        if total < MIN_RECORDS_FOR_COUNTED_SHARES:
            return surname_share(key)
        return max(self._surname_counts.get(key, 0), 1) / total

    def candidate_positions(self, prepared: PreparedRecord) -> set[int]:
        """Positions of indexed records sharing a usable blocking key with the query."""
        found: set[int] = set()
        query_has_date = prepared.birth_date is not None
        for key in blocking_keys(prepared):
            family = key_family(key)
            if family == NO_DATE_FAMILY and query_has_date:
                continue  # other families cover dated pairs; n: is for undated records
            block = self._block(key)
            if not block or len(block) > family_max_block(family, self.max_block_size):
                continue
            found.update(block)
        if query_has_date:
            for key in blocking_keys(_without_date(prepared)):
                if key_family(key) != NO_DATE_FAMILY:
                    continue
                block = self._block(key)
                if block and len(block) <= self.max_block_size:
                    found.update(p for p in block if self._records[p].birth_date is None)
        return found

    def check(
        self,
        record: PersonRecord | PreparedRecord,
        *,
        limit: int = 20,
        include_non_matches: bool = False,
    ) -> list[MatchResult]:
        """The live files check: earlier records of this person, best first.

        Each result carries its score, band (auto_link / review / non_match) and the
        per-field reasons. The record itself (same record_id) is never returned.
        """
        prepared = record if isinstance(record, PreparedRecord) else prepare_record(record)
        model = self.model.at_registry_size(len(self))
        results: list[MatchResult] = []
        for position in self.candidate_positions(prepared):
            candidate = self._records[position]
            if candidate.record_id == prepared.record_id:
                continue
            if self._position.get(candidate.record_id) != position:
                continue  # removed or replaced since it was indexed
            if not include_non_matches and (
                score_upper_bound(prepared, candidate, model, surname_share_of=self.surname_share)
                < model.review_threshold
            ):
                continue  # cannot reach review whatever its names say
            result = score_pair(prepared, candidate, model, surname_share_of=self.surname_share)
            if include_non_matches or result.band != NON_MATCH:
                results.append(result)
        results.sort(key=lambda result: -result.score)
        return results[:limit]


def _without_date(prepared: PreparedRecord) -> PreparedRecord:
    return PreparedRecord(
        record=prepared.record,
        names=prepared.names,
        document_number=prepared.document_number,
        resident_id=prepared.resident_id,
        birth_date=None,
        sex=prepared.sex,
        attributes=prepared.attributes,
        swapped_names=prepared.swapped_names,
    )
