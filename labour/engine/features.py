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
    """Stack per-pair columns (all of the same length) into a float32 feature matrix.

    Columns are written straight into the matrix and the interactions computed from the
    written columns in float32 (exact: they are small whole numbers), so that no full-length
    float64 copy is made: on millions of pairs the fresh memory cost more than the sums."""
    n_pairs = len(age)
    # Column-major: every column is written, and the scorer reads column by column.
    matrix = np.empty((n_pairs, len(FEATURE_NAMES)), dtype=np.float32, order="F")
    column = {name: matrix[:, index] for index, name in enumerate(FEATURE_NAMES)}
    column["age"][:] = age
    column["female"][:] = female
    column["higher_education_years"][:] = higher_education_years
    column["heavy_work_fit"][:] = heavy_work_fit
    column["household_with_children"][:] = household_with_children
    column["job_heavy"][:] = job_heavy
    column["job_difficulty"][:] = job_difficulty
    column["preference_match"][:] = preference_match_value
    distance = column["distance_from_relatives_km"]
    distance[:] = distance_km
    np.minimum(distance, 1000.0, out=distance)
    column["job_skilled"][:] = job_skilled
    column["credential_match"][:] = credential_match
    fitness, heaviness = column["fitness_level"], column["job_heaviness"]
    if fitness_level is None:
        fitness[:] = np.where(np.asarray(heavy_work_fit, dtype=bool), 2.0, 1.0)
    else:
        fitness[:] = fitness_level
    if job_heaviness is None:
        heaviness[:] = np.where(np.asarray(job_heavy, dtype=bool), 2.0, 1.0)
    else:
        heaviness[:] = job_heaviness
    older = column["age_x_heaviness"]  # max(0, age - 40) x heaviness
    np.subtract(column["age"], 40.0, out=older)
    np.maximum(older, 0.0, out=older)
    np.multiply(older, heaviness, out=older)
    short = column["fitness_short_of_heaviness"]  # max(0, max(heaviness, 1) - fitness)
    np.maximum(heaviness, 1.0, out=short)
    np.subtract(short, fitness, out=short)
    np.maximum(short, 0.0, out=short)
    size = column["household_size"]
    size[:] = 1.0 if household_size is None else household_size
    np.minimum(size, 10.0, out=size)
    housing = column["housing_type"]
    housing[:] = 1.0 if housing_type is None else housing_type
    crowded = column["family_in_dormitory"]  # members beyond one in a dormitory
    np.subtract(size, 1.0, out=crowded)
    np.maximum(crowded, 0.0, out=crowded)
    np.multiply(crowded, housing == 0, out=crowded)
    column["skill_gap"][:] = 0.0 if skill_gap is None else skill_gap
    column["place_preference_match"][:] = (
        0.0 if place_preference_value is None else place_preference_value
    )
    column["other_province"][:] = 0.0 if other_province is None else other_province
    sector = np.asarray(sector)
    for offset, name in enumerate(SECTORS):
        np.equal(sector, offset, out=column[f"sector_{name}"], casting="unsafe")
    return matrix
