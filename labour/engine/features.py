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
    "fitness_level",
    "job_heaviness",
    "age_x_heaviness",
    "fitness_short_of_heaviness",
    "household_size",
    "housing_type",
    "family_in_dormitory",
    "skill_gap",
    "place_preference_match",
    "other_province",
    *(f"sector_{sector}" for sector in SECTORS),
)
"""Interactions are explicit columns so that a linear model sees them too: age x heaviness
(age above 40 times heaviness level), fitness x heaviness (levels of heaviness the person's
fitness falls short of, 0 when eligible but e.g. light-fit in medium work = 0 and unfit = 1),
household size x housing type (members beyond one in a dormitory), skill gap (person's level
minus the occupation's: + over-qualified, - under-qualified)."""

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
    fitness_level: np.ndarray | None = None,
    job_heaviness: np.ndarray | None = None,
    household_size: np.ndarray | None = None,
    housing_type: np.ndarray | None = None,
    skill_gap: np.ndarray | None = None,
    place_preference_value: np.ndarray | None = None,
    other_province: np.ndarray | None = None,
) -> np.ndarray:
    """Stack per-pair columns (all of the same length) into a float32 feature matrix."""
    n_pairs = len(age)

    def given(values: np.ndarray | None, default: np.ndarray) -> np.ndarray:
        return np.asarray(default if values is None else values, dtype=np.float64)

    fitness = given(fitness_level, np.where(np.asarray(heavy_work_fit, dtype=bool), 2.0, 1.0))
    heaviness = given(job_heaviness, np.where(np.asarray(job_heavy, dtype=bool), 2.0, 1.0))
    size = given(household_size, np.ones(n_pairs))
    housing = given(housing_type, np.ones(n_pairs))
    ages = np.asarray(age, dtype=np.float64)
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
        fitness,
        heaviness,
        np.maximum(0.0, ages - 40.0) * heaviness,
        np.maximum(0.0, np.maximum(heaviness, 1.0) - fitness),
        np.minimum(size, 10.0),
        housing,
        (housing == 0) * np.maximum(0.0, np.minimum(size, 10.0) - 1.0),
        given(skill_gap, np.zeros(n_pairs)),
        given(place_preference_value, np.zeros(n_pairs)),
        given(other_province, np.zeros(n_pairs)),
    )
    for column_index, column in enumerate(columns):
        matrix[:, column_index] = column
    first_sector_column = len(columns)
    sector = np.asarray(sector)
    for offset in range(len(SECTORS)):
        matrix[:, first_sector_column + offset] = sector == offset
    return matrix
