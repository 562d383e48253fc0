"""Person-job features shared by the history generator, the retention model and the engine.

One function builds the matrix from plain arrays so that training (on generated or recorded
outcomes) and prediction (on candidate pairs) can never disagree about a column.
"""

from __future__ import annotations

import numpy as np

from labour.engine.model import SECTORS

FEATURE_NAMES: tuple[str, ...] = (
    "age",
    "female",
    "higher_education_years",
    "heavy_work_fit",
    "household_with_children",
    "job_heavy",
    "job_difficulty",
    "preference_match",
    "distance_from_relatives_km",
    "job_skilled",
    "credential_match",
    *(f"sector_{sector}" for sector in SECTORS),
)

DEFAULT_RELATIVES_DISTANCE_KM = 300.0
"""Used when a person has no known relatives in the country: far from anyone."""


def preference_match(preferred_rank: np.ndarray) -> np.ndarray:
    """Map a 0-based rank in the stated preferences (-1 = not stated) to [0, 1]."""
    rank = np.asarray(preferred_rank)
    return np.where(rank < 0, 0.0, 1.0 / (1.0 + np.maximum(rank, 0))).astype(np.float32)


def sector_index(sector: str) -> int:
    """Unknown sectors are treated like factories (ordinary work, ordinary housing)."""
    return SECTORS.index(sector) if sector in SECTORS else SECTORS.index("factory")


def build_pair_features(
    *,
    age: np.ndarray,
    female: np.ndarray,
    higher_education_years: np.ndarray,
    heavy_work_fit: np.ndarray,
    household_with_children: np.ndarray,
    job_heavy: np.ndarray,
    job_difficulty: np.ndarray,
    preference_match_value: np.ndarray,
    distance_km: np.ndarray,
    job_skilled: np.ndarray,
    credential_match: np.ndarray,
    sector: np.ndarray,
) -> np.ndarray:
    """Stack per-pair columns (all of the same length) into a float32 feature matrix."""
    n_pairs = len(age)
    # Column-major: every column is written, and the scorer reads column by column.
    matrix = np.empty((n_pairs, len(FEATURE_NAMES)), dtype=np.float32, order="F")
    columns = (
        age,
        female,
        higher_education_years,
        heavy_work_fit,
        household_with_children,
        job_heavy,
        job_difficulty,
        preference_match_value,
        np.minimum(distance_km, 1000.0),
        job_skilled,
        credential_match,
    )
    for column_index, column in enumerate(columns):
        matrix[:, column_index] = column
    first_sector_column = len(columns)
    sector = np.asarray(sector)
    for offset in range(len(SECTORS)):
        matrix[:, first_sector_column + offset] = sector == offset
    return matrix
