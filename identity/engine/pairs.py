"""Candidate pairs of batch deduplication: every pair of records sharing a blocking key.

Keys come either from the records (`blocking_keys`, turned into integer codes with
pandas) or from a registry that stored them (`KeyBlocks`); the pairs inside each block
are enumerated with numpy, with no Python loop over pairs.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from identity.engine.blocking import (
    NO_DATE_FAMILY,
    blocking_keys,
    family_max_block,
    loose_max_block,
)
from identity.engine.records import PreparedRecord

# progress(stage, done, total): stage is "prepare", "block", "score" or "rescore"
DedupProgress = Callable[[str, int, int], None]

# undated records meet anyone on the name alone: those blocks only pair an undated record
RESTRICTED_FAMILIES = (NO_DATE_FAMILY,)


@dataclass(frozen=True)
class KeyBlocks:
    """Blocking keys computed earlier (a registry stores them): one row per (key, record).

    codes: the key (any integer, e.g. a stored hash); members: the record's position in
    the records given to find_duplicates; restricted: the key belongs to a family whose
    blocks only pair an undated record (RESTRICTED_FAMILIES); loose: the key belongs to a
    family whose large blocks are not compared (LOOSE_FAMILIES). Codes of different
    families never coincide (a key names its family).
    """

    codes: np.ndarray
    members: np.ndarray
    restricted: np.ndarray
    loose: np.ndarray


def ignore_progress(stage: str, done: int, total: int) -> None:
    return None


def _within_block_pairs(codes: np.ndarray, members: np.ndarray, max_block: int) -> np.ndarray:
    """All pairs of members sharing a code, for blocks of 2..max_block members."""
    order = np.argsort(codes, kind="stable")
    codes, members = codes[order], members[order]
    starts = np.flatnonzero(np.r_[True, codes[1:] != codes[:-1]])
    sizes = np.diff(np.r_[starts, len(codes)])
    size_of = np.repeat(sizes, sizes)
    position = np.arange(len(codes)) - np.repeat(starts, sizes)
    later = np.where(size_of <= max_block, size_of - position - 1, 0)
    left = np.repeat(np.arange(len(codes)), later)
    offsets = np.arange(len(left)) - np.repeat(np.cumsum(later) - later, later)
    return np.stack([members[left], members[left + 1 + offsets]], axis=1)


def _restricted_pairs(
    codes: np.ndarray, members: np.ndarray, eligible: np.ndarray, max_block: int
) -> np.ndarray:
    """Pairs sharing a code in which at least one member is eligible."""
    frame = pd.DataFrame({"code": codes, "member": members})
    sizes = frame.groupby("code")["member"].transform("size")
    frame = frame[sizes <= max_block]
    chosen = frame[eligible[frame["member"].to_numpy()]]
    joined = chosen.merge(frame, on="code", suffixes=("_a", "_b"))
    pairs = joined[["member_a", "member_b"]].to_numpy()
    return pairs[pairs[:, 0] != pairs[:, 1]]


def candidate_pairs(
    prepared: Sequence[PreparedRecord],
    *,
    max_block_size: int = 1000,
    progress: DedupProgress = ignore_progress,
) -> tuple[np.ndarray, dict[str, float]]:
    """Unique (i, j) index pairs, i < j, of records sharing a usable blocking key."""
    keys_by_family: dict[str, list[str]] = defaultdict(list)
    members_by_family: dict[str, list[int]] = defaultdict(list)
    for position, record in enumerate(prepared):
        for key in blocking_keys(record):
            family = key.partition(":")[0]
            keys_by_family[family].append(key)
            members_by_family[family].append(position)
        if position % 100_000 == 0:
            progress("block", position, len(prepared))
    undated = np.array([record.birth_date is None for record in prepared])
    stats: dict[str, float] = {}
    chunks = []
    for family, keys in keys_by_family.items():
        codes, _ = pd.factorize(pd.Series(keys, dtype=object))
        members = np.array(members_by_family[family], dtype=np.int64)
        largest = family_max_block(family, max_block_size)
        if family in RESTRICTED_FAMILIES:
            pairs = _restricted_pairs(codes, members, undated, largest)
        else:
            pairs = _within_block_pairs(codes, members, largest)
        stats[f"pairs_{family}"] = float(len(pairs))
        chunks.append(pairs)
    progress("block", len(prepared), len(prepared))
    pairs, unique_stats = _unique_pairs(chunks, len(prepared))
    return pairs, stats | unique_stats


def pairs_of_blocks(
    blocks: KeyBlocks, undated: np.ndarray, *, max_block_size: int = 1000
) -> tuple[np.ndarray, dict[str, float]]:
    """Unique (i, j) index pairs, i < j, of records sharing a key of stored blocks."""
    restricted = blocks.restricted
    loose = blocks.loose & ~restricted
    exact = ~restricted & ~loose
    loose_max = loose_max_block(max_block_size)
    chunks = [
        _within_block_pairs(blocks.codes[exact], blocks.members[exact], max_block_size),
        _within_block_pairs(blocks.codes[loose], blocks.members[loose], loose_max),
        _restricted_pairs(
            blocks.codes[restricted], blocks.members[restricted], undated, max_block_size
        ),
    ]
    return _unique_pairs(chunks, len(undated))


def _unique_pairs(chunks: list[np.ndarray], count: int) -> tuple[np.ndarray, dict[str, float]]:
    every = np.concatenate(chunks) if chunks else np.zeros((0, 2), dtype=np.int64)
    low, high = np.minimum(every[:, 0], every[:, 1]), np.maximum(every[:, 0], every[:, 1])
    encoded = (low * count + high)[low != high]
    # sort and drop repeats: np.unique's hashing took forty times as long on 4M pairs
    encoded.sort()
    encoded = encoded[np.r_[True, encoded[1:] != encoded[:-1]]] if len(encoded) else encoded
    stats = {"candidate_pairs": float(len(encoded))}
    return np.stack([encoded // count, encoded % count], axis=1), stats
