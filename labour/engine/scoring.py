"""Fast scoring of millions of candidate pairs with an additive-by-groups model.

The retention model's trees are confined to interaction groups (`ADDITIVE_GROUPS`): every tree
uses the features of one group only, so the model's log-odds are f_1(x_G1) + ... + f_k(x_Gk).
A candidate pair set of 3.6 million rows holds only some tens of thousands of distinct
person-job profiles, 5 preference values and about 100 distances, so each f_g is evaluated
on the distinct values of its group and the results are added back per pair. With a
reference row r (any row), f_g(x) = raw(x_g, r_rest) - sum of the other groups at r, which
gives raw(x) = sum_g raw(x_g, r_rest) - (k - 1) raw(r) exactly, through the model's public
`decision_function` only.

The groups are a modelling assumption, stated here: a person's fit to a job (age, sex,
education, fitness, the job's heaviness and demands, skills and sector) interacts freely; the
household and its housing (size, children, housing type) interact among themselves; how much
the job was wanted and how far it is from relatives each shift the log-odds by their own
amount, the same for everyone. The calibration report of the trained model shows what the
assumption costs (compare with `interaction_cst=None`).

Continuous features are rounded the same way in training and scoring (`quantize`), so that
the groups take few distinct values; the rounding is far below what the history can resolve.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pandas as pd

from labour.engine.features import FEATURE_NAMES

_INDEX = {name: index for index, name in enumerate(FEATURE_NAMES)}
_HOUSING = ("household_size", "housing_type", "family_in_dormitory", "household_with_children")
_SEPARATE = (
    "preference_match",
    "distance_from_relatives_km",
    "place_preference_match",
    "other_province",
    *_HOUSING,
)
ADDITIVE_GROUPS: tuple[tuple[int, ...], ...] = (
    tuple(index for name, index in _INDEX.items() if name not in _SEPARATE),
    tuple(_INDEX[name] for name in _HOUSING),
    (_INDEX["preference_match"],),
    (_INDEX["distance_from_relatives_km"],),
    (_INDEX["place_preference_match"],),
    (_INDEX["other_province"],),
)
QUANTUM: dict[str, float] = {
    "age": 1.0,
    "job_difficulty": 0.02,
    "distance_from_relatives_km": 10.0,
    "preference_match": 1.0 / 60.0,
    "place_preference_match": 1.0 / 60.0,
    "higher_education_years": 1.0,
}
"""Rounding step per continuous feature; the rest are 0/1 flags. 1/60 keeps the preference
values 1, 1/2, 1/3, 1/4 and 1/5 apart."""
_LOOKUP_LIMIT = 1 << 22
"""Groups whose keys span fewer values than this are gathered through a table, not a sort."""


def quantize(features: np.ndarray) -> np.ndarray:
    """A copy of the feature matrix with continuous columns rounded to their quantum."""
    rounded = np.array(features, dtype=np.float32, copy=True)
    for name, step in QUANTUM.items():
        column = _INDEX[name]
        rounded[:, column] = np.rint(rounded[:, column] / step) * step
    return rounded


def _codes(column: np.ndarray, name: str) -> np.ndarray:
    # In place where a fresh array is made anyway: on millions of rows, new memory costs
    # more than the arithmetic.
    if name not in QUANTUM:
        # 0/1 flags (and whole numbers) need no rounding: only the offset to zero.
        codes = column.astype(np.int64)
    else:
        scaled = np.divide(column, np.float32(QUANTUM[name]))
        codes = np.rint(scaled, out=scaled).astype(np.int64)
    if len(codes):
        codes -= codes.min()
    return codes


def _group_keys(features: np.ndarray, group: tuple[int, ...]) -> tuple[np.ndarray, int]:
    """One integer per row that is equal exactly when the group's columns are equal."""
    key = np.zeros(len(features), dtype=np.int64)
    span = 1
    for column in group:
        codes = _codes(features[:, column], FEATURE_NAMES[column])
        radix = int(codes.max()) + 1 if len(codes) else 1
        if span * radix >= 1 << 62:
            raise ValueError("feature group too wide to key")
        key *= radix
        key += codes
        span *= radix
    return key, span


def _distinct(key: np.ndarray, span: int) -> tuple[np.ndarray, np.ndarray]:
    """Index of one row per distinct key, and each row's position in that list."""
    if span <= _LOOKUP_LIMIT:
        first = np.full(span, -1, dtype=np.int64)
        # Reversed assignment keeps the first row of each key; any row would do.
        first[key[::-1]] = np.arange(len(key) - 1, -1, -1)
        present = np.flatnonzero(first >= 0)
        position = np.zeros(span, dtype=np.int64)
        position[present] = np.arange(len(present))
        return first[present], position[key]
    # A hash table (pandas) instead of numpy's sort-based unique: several times faster on
    # millions of keys. Codes are numbered in order of first appearance.
    codes, uniques = pd.factorize(key, sort=False)
    first = np.empty(len(uniques), dtype=np.int64)
    first[codes[::-1]] = np.arange(len(key) - 1, -1, -1)
    return first, codes.astype(np.int64, copy=False)


def additive_raw_scores(
    decision_function: Callable[[np.ndarray], np.ndarray], features: np.ndarray
) -> np.ndarray:
    """The model's raw score for every row of the (unrounded) features, evaluating each
    group on its distinct values after rounding."""
    if len(features) == 0:
        return np.zeros(0)
    reference = quantize(features[:1])
    total = np.zeros(len(features), dtype=np.float64)
    for group in ADDITIVE_GROUPS:
        key, span = _group_keys(features, group)
        representatives, inverse = _distinct(key, span)
        probe = np.repeat(reference, len(representatives), axis=0)
        probe[:, group] = quantize(features[representatives])[:, group]
        total += np.asarray(decision_function(probe), dtype=np.float64)[inverse]
    total -= (len(ADDITIVE_GROUPS) - 1) * float(np.asarray(decision_function(reference))[0])
    return total
