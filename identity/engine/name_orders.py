"""Both readings of a Latin name whose order is unsure, column-wise, for the batch.

score_pair scores a record whose Latin family and given names could be either way round
in both orders and keeps the better reading. The batch used to send every pair with such
a record to score_pair one by one; when two single-word surnames typed in two fields made
the order unsure ("Jun" / "Gim"), that was 80,000 of 470,000 pairs at 100,000 persons and
half the batch's time. Here each such record gets a second row in the table, holding the
record read in the other order; each pair is scored column-wise in every combination of
its records' readings, and the best combination is the pair's (ties: the first, in
score_pair's order).
"""

from __future__ import annotations

from dataclasses import replace

import numpy as np

from identity.engine.table import RecordTable, table_of_records


def with_other_readings(table: RecordTable) -> tuple[RecordTable, np.ndarray]:
    """The table with one more row for each record whose Latin name order is unsure (the
    record read in the other order), and each record's other row (-1 where none). The
    first len(table) rows are the table's own."""
    unsure_names = np.array([forms.order_unsure for forms in table.family_names], dtype=bool)
    unsure = np.flatnonzero(unsure_names[table.family_codes]) if len(table) else unsure_names
    other_row = np.full(len(table), -1, dtype=np.int64)
    if len(unsure) == 0:
        return table, other_row
    others = []
    for position in unsure.tolist():
        record = table.record_at(position)
        assert record.swapped_names is not None  # an unsure order has its other reading
        others.append(replace(record, names=record.swapped_names, swapped_names=None))
    other_row[unsure] = len(table) + np.arange(len(unsure))
    return concatenated(table, table_of_records(others)), other_row


def concatenated(first: RecordTable, second: RecordTable) -> RecordTable:
    """The rows of first, then those of second."""
    count = len(first)
    names = sorted(set(first.attributes) | set(second.attributes))

    def attribute(table: RecordTable, name: str) -> np.ndarray:
        return table.attributes.get(name, np.full(len(table), "", dtype=object))

    def record_at(position: int) -> object:
        return first.record_at(position) if position < count else second.record_at(position - count)

    return RecordTable(
        record_ids=np.concatenate([first.record_ids, second.record_ids]),
        family_names=[*first.family_names, *second.family_names],
        family_codes=np.concatenate(
            [first.family_codes, second.family_codes + len(first.family_names)]
        ),
        given_names=[*first.given_names, *second.given_names],
        given_codes=np.concatenate(
            [first.given_codes, second.given_codes + len(first.given_names)]
        ),
        year=np.concatenate([first.year, second.year]),
        month=np.concatenate([first.month, second.month]),
        day=np.concatenate([first.day, second.day]),
        approximate=np.concatenate([first.approximate, second.approximate]),
        sex=np.concatenate([first.sex, second.sex]),
        document=np.concatenate([first.document, second.document]),
        document_valid=np.concatenate([first.document_valid, second.document_valid]),
        attributes={
            name: np.concatenate([attribute(first, name), attribute(second, name)])
            for name in names
        },
        sources=np.concatenate([first.sources, second.sources]),
        record_at=record_at,  # type: ignore[arg-type]
    )


def reading_pairs(pairs: np.ndarray, other_row: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Every combination of readings of each pair, in score_pair's order (left's own
    reading first, then the right's other one, then the left's; never both other ones),
    and the pair each row comes from."""
    left, right = pairs[:, 0], pairs[:, 1]
    other_left, other_right = other_row[left], other_row[right]
    number = np.arange(len(pairs))
    combinations = [
        (np.ones(len(pairs), dtype=bool), left, right),
        (other_right >= 0, left, other_right),
        (other_left >= 0, other_left, right),
    ]  # not both swapped: that aligns the fields as written (score_pair)
    rows = np.concatenate([np.stack([a[kept], b[kept]], axis=1) for kept, a, b in combinations])
    source = np.concatenate([number[kept] for kept, _, _ in combinations])
    variant = np.concatenate(
        [np.full(int(kept.sum()), order) for order, (kept, _, _) in enumerate(combinations)]
    )
    order = np.lexsort((variant, source))  # each pair's readings together, in order
    return rows[order], source[order]


def best_reading(source: np.ndarray, scores: np.ndarray) -> np.ndarray:
    """Positions of each pair's best-scoring reading (the first of equal ones); rows
    come grouped by pair, readings in order."""
    if len(source) == 0:
        return np.zeros(0, dtype=np.int64)
    order = np.lexsort((np.arange(len(source)), -scores, source))
    ordered_source = source[order]
    first = np.r_[True, ordered_source[1:] != ordered_source[:-1]]
    return np.sort(order[first])
