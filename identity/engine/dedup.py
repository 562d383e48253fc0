"""Batch deduplication of a whole registry: clusters of probable duplicates.

Records sharing a blocking key are paired (`pairs.py`). Pairs that
cannot reach review are dropped on exact comparisons (`column_bound.py`), the rest are
scored column-wise (`columns.py`); those close to a threshold are re-scored by
`score_pair` so that their band is the one the live check would give. Clusters are the
connected components of the remaining links, strongest first.
"""

from __future__ import annotations

import time
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import TypedDict, Unpack

import numpy as np
from scipy.sparse import coo_matrix
from scipy.sparse.csgraph import connected_components

from identity.engine.cluster_conflicts import (
    automatic_components,
    pairs_in_contradicting_clusters,
)
from identity.engine.column_bound import score_upper_bound_columns
from identity.engine.column_dates import DATE_LEVELS, date_levels
from identity.engine.column_rules import given_names_differ, held_back_by_rule
from identity.engine.column_score import common_surname_mask, score_columns
from identity.engine.columns import FAMILY_LEVELS, RecordColumns, family_levels
from identity.engine.index import MIN_RECORDS_FOR_COUNTED_SHARES
from identity.engine.name_orders import best_reading, reading_pairs, with_other_readings
from identity.engine.pairs import (
    DedupProgress,
    KeyBlocks,
    candidate_pairs,
    ignore_progress,
    pairs_of_blocks,
)
from identity.engine.records import PersonRecord, PreparedRecord, prepare_record
from identity.engine.rescore import rescore_pairs
from identity.engine.scoring import AUTO_LINK, NON_MATCH, REVIEW, MatchModel
from identity.engine.surnames import surname_share
from identity.engine.table import RecordTable, table_of_records

SCORE_CHUNK = 1_000_000


@dataclass(frozen=True, slots=True)
class DuplicatePair:
    left_id: str
    right_id: str
    score: float
    band: str


@dataclass
class DuplicateCluster:
    """Records that are probably one person; score is the cluster's strongest link."""

    record_ids: list[str]
    score: float
    band: str
    pairs: list[DuplicatePair] = field(default_factory=list)


@dataclass
class DedupResult:
    clusters: list[DuplicateCluster]
    pairs: list[DuplicatePair]
    stats: dict[str, float]


class DedupOptions(TypedDict, total=False):
    """How a registry is paired and scored (defaults: find_duplicates_in_table's).

    blocks: keys stored earlier, used instead of deriving them. across_sources_only links
    one registry to another (records carry a source) instead of deduplicating. Pairs
    scoring within rescore_margin bits of a threshold are re-scored one by one by
    score_pair. Off by default: the column-wise scores are score_pair's (one scorer,
    test_engine_one_scorer), and on 100,000 synthetic records a margin of 0.5 bits re-scored
    12,903 pairs and changed no band. join_through_links: a review pair whose
    records automatic links already join is linked too (joined_by_automatic_links); off,
    every band is the pair's own, as the live check gives it.
    """

    blocks: KeyBlocks | None
    model: MatchModel | None
    max_block_size: int
    across_sources_only: bool
    rescore_margin: float
    join_through_links: bool


def find_duplicates(
    records: Sequence[PersonRecord | PreparedRecord],
    *,
    progress: DedupProgress | None = None,
    **options: Unpack[DedupOptions],
) -> DedupResult:
    """Find probable duplicates in a registry; clusters come ordered by score."""
    report = progress or ignore_progress
    started = time.perf_counter()
    prepared: list[PreparedRecord] = []
    for position, record in enumerate(records):
        prepared.append(record if isinstance(record, PreparedRecord) else prepare_record(record))
        if position % 50_000 == 0:
            report("prepare", position, len(records))
    table = table_of_records(prepared)
    report("prepare", len(records), len(records))
    return find_duplicates_in_table(
        table,
        progress=progress,
        prepared=prepared,
        seconds_prepare=time.perf_counter() - started,
        **options,
    )


def find_duplicates_in_table(
    table: RecordTable,
    *,
    blocks: KeyBlocks | None = None,
    model: MatchModel | None = None,
    max_block_size: int = 1000,
    across_sources_only: bool = False,
    rescore_margin: float = 0.0,
    join_through_links: bool = True,
    progress: DedupProgress | None = None,
    prepared: Sequence[PreparedRecord] | None = None,
    seconds_prepare: float = 0.0,
) -> DedupResult:
    """find_duplicates on records given as a table (a registry read column by column);
    block positions and result pairs refer to the table's rows. prepared: the table's
    records, when they exist already (without blocks every record's keys are derived)."""
    model = (model or MatchModel()).at_registry_size(
        records_met_by_one(table.sources, across_sources_only)
    )
    report = progress or ignore_progress
    started = time.perf_counter() - seconds_prepare
    stats: dict[str, float] = {"records": float(len(table))}
    stats["auto_link_threshold"] = model.auto_link_threshold
    stats["review_threshold"] = model.review_threshold
    stats["seconds_prepare"] = seconds_prepare

    share_of = registry_surname_shares(table)
    undated = table.year < 0
    if blocks is None:
        if prepared is None:
            prepared = [table.record_at(position) for position in range(len(table))]
        pairs, block_stats = candidate_pairs(
            prepared, max_block_size=max_block_size, progress=report
        )
    else:
        pairs, block_stats = pairs_of_blocks(blocks, undated, max_block_size=max_block_size)
    stats.update(block_stats)
    if across_sources_only:
        pairs = pairs[table.sources[pairs[:, 0]] != table.sources[pairs[:, 1]]]
    stats["seconds_block"] = time.perf_counter() - started - stats["seconds_prepare"]

    # a record whose Latin name order is unsure is scored in both orders, column-wise
    extended, other_row = with_other_readings(table)
    columns = RecordColumns.from_table(extended, share_of)
    stats["seconds_columns"] = time.perf_counter() - started - stats["seconds_prepare"]
    stats["seconds_columns"] -= stats["seconds_block"]
    readings, source = reading_pairs(pairs, other_row)
    kept, scores, bands, bounded = _scored_pairs(
        columns, readings, model, model.review_threshold - rescore_margin, report
    )
    best = best_reading(source[kept], scores)
    chosen = source[kept[best]]
    left, right, scores, bands = pairs[chosen, 0], pairs[chosen, 1], scores[best], bands[best]
    stats["pairs_below_bound"] = float(bounded)
    stats["seconds_score"] = (
        time.perf_counter() - started - stats["seconds_prepare"] - stats["seconds_block"]
    )

    near = np.flatnonzero(
        (np.abs(scores - model.auto_link_threshold) < rescore_margin)
        | (np.abs(scores - model.review_threshold) < rescore_margin)
    )
    record_at = prepared.__getitem__ if prepared is not None else _cached(table.record_at)
    report("rescore", 0, len(near))
    scores[near], bands[near] = rescore_pairs(
        left[near],
        right[near],
        record_at,
        model,
        share_of,
        lambda done, total: report("rescore", done, total),
    )
    report("rescore", len(near), len(near))
    stats["rescored_pairs"] = float(len(near))
    rescored = time.perf_counter()
    stats["seconds_rescore"] = rescored - started - stats["seconds_score"]
    stats["seconds_rescore"] -= stats["seconds_prepare"] + stats["seconds_block"]

    linked = bands != NON_MATCH
    left, right, scores, bands = left[linked], right[linked], scores[linked], bands[linked]
    if join_through_links:
        joined = joined_by_automatic_links(left, right, bands == AUTO_LINK, len(table))
        # the pair's own fields must favour one person (a likelihood ratio above 1): a
        # pair whose comparison speaks against it is not carried by a chain of links,
        # which one wrong link would make
        candidates = np.flatnonzero(joined & (bands == REVIEW) & (scores > 0))
        upgraded = candidates[~contradicted(columns, left[candidates], right[candidates])]
        bands[upgraded] = AUTO_LINK
        stats["pairs_joined_by_links"] = float(len(upgraded))
    # a chain of links that makes one person of two (two Hanzi surnames, two valid IDs,
    # two sexes in one cluster) is not applied: the whole cluster goes to review
    held = pairs_in_contradicting_clusters(columns, left, right, bands == AUTO_LINK)
    held &= bands == AUTO_LINK
    bands[held] = REVIEW
    stats["pairs_held_in_contradicting_clusters"] = float(held.sum())
    record_ids = table.record_ids
    result_pairs = list(
        map(
            DuplicatePair,
            record_ids[left].tolist(),
            record_ids[right].tolist(),
            scores.tolist(),
            bands.tolist(),
        )
    )
    clusters = _clusters(left, right, scores, bands == AUTO_LINK, result_pairs, record_ids)
    stats["linked_pairs"] = float(len(result_pairs))
    stats["clusters"] = float(len(clusters))
    stats["seconds_cluster"] = time.perf_counter() - rescored
    stats["seconds_total"] = time.perf_counter() - started
    return DedupResult(clusters=clusters, pairs=result_pairs, stats=stats)


def records_met_by_one(sources: np.ndarray, across_sources_only: bool) -> int:
    """How many records one record is compared with: the whole registry, or, matching
    across sources only, every source but the smallest (its records meet all the others)."""
    if not across_sources_only or len(sources) == 0:
        return len(sources)
    _, counts = np.unique(sources, return_counts=True)
    return int(len(sources) - counts.min())


def _scored_pairs(
    columns: RecordColumns,
    pairs: np.ndarray,
    model: MatchModel,
    lowest_kept: float,
    report: DedupProgress,
) -> tuple[np.ndarray, np.ndarray, np.ndarray, int]:
    """The pairs scoring at least lowest_kept (their rows in pairs), with their scores and
    bands, chunk by chunk; and how many were dropped on the upper bound alone."""
    kept_rows, kept_score, kept_band = [], [], []
    bounded = 0
    for start in range(0, len(pairs), SCORE_CHUNK):
        left, right = pairs[start : start + SCORE_CHUNK, 0], pairs[start : start + SCORE_CHUNK, 1]
        # most blocked pairs cannot reach review even with the best name agreement: they
        # are dropped on exact comparisons before any string similarity is computed
        hopeful = score_upper_bound_columns(columns, left, right, model) >= lowest_kept
        rows = np.arange(start, start + len(left))[hopeful]
        left, right = left[hopeful], right[hopeful]
        bounded += int(len(hopeful) - hopeful.sum())
        score, evidence, conflict = score_columns(columns, left, right, model, lowest_kept)
        common = common_surname_mask(columns, left, right, model)
        auto = (score >= model.auto_link_threshold) & ~conflict & (~common | evidence)
        # the same valid resident ID links once the rest does not contradict it (decide_band)
        same_id = (columns.document[left] == columns.document[right]) & (
            columns.document[left] >= 0
        )
        auto |= same_id & columns.document_valid[left] & (score >= model.review_threshold)
        # two sexes never link automatically (decide_band)
        sex_a, sex_b = columns.sex[left], columns.sex[right]
        auto &= ~((sex_a > 0) & (sex_b > 0) & (sex_a != sex_b))
        linked = np.flatnonzero(auto)
        auto[linked[held_back_by_rule(columns, left[linked], right[linked], evidence[linked])]] = (
            False
        )
        keep = score >= lowest_kept
        kept_rows.append(rows[keep])
        kept_score.append(score[keep])
        kept_band.append(
            np.where(
                auto[keep],
                AUTO_LINK,
                np.where(score[keep] >= model.review_threshold, REVIEW, NON_MATCH),
            )
        )
        report("score", min(start + SCORE_CHUNK, len(pairs)), len(pairs))
    rows = np.concatenate(kept_rows) if kept_rows else np.zeros(0, dtype=np.int64)
    scores = np.concatenate(kept_score) if kept_score else np.zeros(0)
    bands = np.concatenate(kept_band).astype(object) if kept_band else np.zeros(0, dtype=object)
    return rows, scores, bands, bounded


def joined_by_automatic_links(
    left: np.ndarray, right: np.ndarray, auto: np.ndarray, count: int
) -> np.ndarray:
    """Pairs whose two records the automatic links already join, through other records:
    applied, those links make them one person, so a review of the pair would decide
    nothing (A = B and B = C auto-linked leave A ~ C nothing to ask)."""
    if not auto.any():
        return np.zeros(len(left), dtype=bool)
    component = automatic_components(left, right, auto, count)
    return component[left] == component[right]


def contradicted(columns: RecordColumns, left: np.ndarray, right: np.ndarray) -> np.ndarray:
    """Pairs that contradict themselves whatever joins them: two sexes, two different
    valid resident IDs or two different given names (decide_band never links them
    automatically)."""
    sex_a, sex_b = columns.sex[left], columns.sex[right]
    two_sexes = (sex_a > 0) & (sex_b > 0) & (sex_a != sex_b)
    doc_a, doc_b = columns.document[left], columns.document[right]
    two_ids = (
        columns.document_valid[left]
        & columns.document_valid[right]
        & (doc_a >= 0)
        & (doc_b >= 0)
        & (doc_a != doc_b)
    )
    two_given = given_names_differ(columns, left, right)
    two_families = family_levels(columns, left, right) >= FAMILY_LEVELS.index("similar")
    two_dates = date_levels(columns, left, right) == DATE_LEVELS.index("different")
    return two_sexes | two_ids | two_given | two_families | two_dates


def _cached(record_at: Callable[[int], PreparedRecord]) -> Callable[[int], PreparedRecord]:
    """record_at building each record once: a record near a threshold meets several."""
    built: dict[int, PreparedRecord] = {}

    def cached(position: int) -> PreparedRecord:
        position = int(position)
        if position not in built:
            built[position] = record_at(position)
        return built[position]

    return cached


def registry_surname_shares(table: RecordTable) -> Callable[[str], float]:
    """Share of records carrying each surname key, counted once per distinct family name
    and weighted by how many records carry it."""
    if len(table) < MIN_RECORDS_FOR_COUNTED_SHARES:
        return surname_share
    carriers = np.bincount(table.family_codes, minlength=len(table.family_names)).tolist()
    counts: dict[str, int] = defaultdict(int)
    for forms, count in zip(table.family_names, carriers, strict=True):
        for key in forms.surname_keys:
            counts[key] += count
    total = len(table)
    shares = {key: count / total for key, count in counts.items()}
    return lambda key: shares.get(key, 1 / total)


def _clusters(
    left: np.ndarray,
    right: np.ndarray,
    scores: np.ndarray,
    auto: np.ndarray,
    pairs: list[DuplicatePair],
    record_ids: np.ndarray,
) -> list[DuplicateCluster]:
    """Connected components of the linked pairs, strongest first (ties: first found first);
    a cluster's pairs strongest first, its records in input order. Grouped with numpy
    sorts: a Python loop over every pair cost more than the scoring on 1M records."""
    if len(pairs) == 0:
        return []
    count = len(record_ids)
    graph = coo_matrix((np.ones(len(left)), (left, right)), shape=(count, count))
    _, component = connected_components(graph, directed=False)
    label = component[left]
    by_cluster = np.lexsort((-scores, label))  # stable: equal scores keep their order
    starts = _group_starts(label[by_cluster])
    involved = np.unique(np.concatenate([left, right]))
    involved = involved[np.argsort(component[involved], kind="stable")]
    member_starts = _group_starts(component[involved])
    members = record_ids[involved].tolist()
    member_ends = np.r_[member_starts[1:], len(involved)]
    ends = np.r_[starts[1:], len(label)]
    strongest = scores[by_cluster[starts]]
    any_auto = np.maximum.reduceat(auto[by_cluster], starts)
    first_found = np.minimum.reduceat(by_cluster, starts)
    ordered = [pairs[position] for position in by_cluster.tolist()]
    clusters = [
        DuplicateCluster(
            record_ids=members[first_member:last_member],
            score=score,
            band=AUTO_LINK if has_auto else ordered[start].band,
            pairs=ordered[start:end],
        )
        for first_member, last_member, score, has_auto, start, end in zip(
            member_starts.tolist(),
            member_ends.tolist(),
            strongest.tolist(),
            any_auto.tolist(),
            starts.tolist(),
            ends.tolist(),
            strict=True,
        )
    ]
    order = np.lexsort((first_found, -strongest))
    return [clusters[n] for n in order.tolist()]


def _group_starts(sorted_labels: np.ndarray) -> np.ndarray:
    return np.flatnonzero(np.r_[True, sorted_labels[1:] != sorted_labels[:-1]])
