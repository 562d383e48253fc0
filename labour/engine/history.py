"""Demo history of placements and 180-day outcomes, generated from a documented rule.

Until real outcomes are recorded, the retention model is trained on this history. The rule
that decides who stays is written out below so that anyone can check what the model should
learn, and so that benchmarks can score placements against the truth rather than against the
model's own opinion.

Ground-truth rule (probability of staying 180 days = logistic(z)):

    z =  3.9
       - 2.0 * difficulty * young          young = age 30 or less: the cable says most who
                                           fled were youth who found the work too hard
       - 0.8 * difficulty                  hard work loses people of every age
       - 1.8 * heavy_job * not_heavy_fit   "some said that they were unable to do the work"
       + 1.2 * preference_match            1 = first stated choice, 0.5 second, ...
       - 0.6 * [preference_match == 0]     work they had not wanted
       + 0.5 * household_with_children     families settle
       - 0.0025 * min(distance_km, 600)    far from relatives
       - 0.9 * overqualified               3+ years of higher education in an unskilled job
       - 1.5 * skilled * no_credential     claimed skills they did not have (cable)
       + 0.4 * skilled * credential_match
       - 0.03 * max(0, age - 55)
       + 0.8 * place_preference_match      1 = first wished-for county or province
       - 1.0 * [fitness unfit]             placed although found unfit for work
       - 0.5 * [light-fit in medium work]  fitness x heaviness
       - 0.015 * max(0, age - 40) * heaviness_level          age x heaviness (0/1/2)
       - 0.3 * members beyond one in a dormitory              household size x housing
       + 0.4 * [family housing] * [household of 3 or more]
       - 0.35 * max(0, skill_gap - 1)      over-qualified beyond one level
       - 0.5 * max(0, -skill_gap)          under-qualified
       - 0.3 * other_province              sent away from the province where they waited

The historical placements copy the modelled case: eligibility was not checked (people unfit
for heavy work went to mines, people without diplomas to skilled posts) and stated
preference was mostly ignored. With these settings about 17% leave within 180 days; the
cable's "over 1,500 of 20,517 fled" counts only those who had already left.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from labour.engine.features import FEATURE_NAMES, build_pair_features, preference_match
from labour.engine.model import SECTORS

_COLUMN = {name: index for index, name in enumerate(FEATURE_NAMES)}


def true_stay_logit(features: np.ndarray) -> np.ndarray:
    """The documented ground-truth rule (see module docstring) on a feature matrix."""

    def column(name: str) -> np.ndarray:
        return features[:, _COLUMN[name]].astype(np.float64)

    age = column("age")
    difficulty = column("job_difficulty")
    preference = column("preference_match")
    skilled = column("job_skilled")
    credential = column("credential_match")
    overqualified = (column("higher_education_years") >= 3) & (skilled == 0)
    return (
        3.9
        - 2.0 * difficulty * (age <= 30)
        - 0.8 * difficulty
        - 1.8 * column("job_heavy") * (1.0 - column("heavy_work_fit"))
        + 1.2 * preference
        - 0.6 * (preference == 0)
        + 0.5 * column("household_with_children")
        - 0.0025 * np.minimum(column("distance_from_relatives_km"), 600.0)
        - 0.9 * overqualified
        - 1.5 * skilled * (1.0 - credential)
        + 0.4 * skilled * credential
        - 0.03 * np.maximum(0.0, age - 55.0)
        + 0.8 * column("place_preference_match")
        - 1.0 * (column("fitness_level") == 0)
        - 0.5 * (column("job_heaviness") == 1) * (column("fitness_level") == 1)
        - 0.015 * column("age_x_heaviness")
        - 0.3 * column("family_in_dormitory")
        + 0.4 * (column("housing_type") == 2) * (column("household_size") >= 3)
        - 0.35 * np.maximum(0.0, column("skill_gap") - 1.0)
        - 0.5 * np.maximum(0.0, -column("skill_gap"))
        - 0.3 * column("other_province")
    )


def true_stay_probability(features: np.ndarray) -> np.ndarray:
    return 1.0 / (1.0 + np.exp(-true_stay_logit(features)))


class GroundTruthRetention:
    """A 'predictor' that knows the rule: used to score placements in benchmarks and tests."""

    def predict_stay(self, features: np.ndarray) -> np.ndarray:
        return true_stay_probability(features)


@dataclass(frozen=True)
class OutcomeHistory:
    features: np.ndarray
    stayed: np.ndarray
    """True when the person was still in the job after 180 days."""
    true_probability: np.ndarray


_SECTOR_SHARES = {"mine": 0.35, "farm": 0.45, "factory": 0.15, "institute": 0.03}
_SECTOR_DIFFICULTY = {"mine": 0.8, "farm": 0.6, "factory": 0.45, "institute": 0.3}


def generate_history(n_records: int, seed: int = 0) -> OutcomeHistory:
    """Sample `n_records` historical placements and draw their outcomes from the rule."""
    rng = np.random.default_rng(seed)
    # The cable: mostly young arrivals, about 500 of 20,517 with 3+ years of higher education.
    age = np.clip(rng.gamma(shape=3.0, scale=5.0, size=n_records) + 16, 16, 70).astype(int)
    female = rng.random(n_records) < 0.48
    higher_education = np.where(rng.random(n_records) < 0.03, rng.integers(3, 6, n_records), 0)
    higher_education = (
        np.where(
            (higher_education == 0) & (rng.random(n_records) < 0.1),
            rng.integers(1, 3, n_records),
            0,
        )
        + higher_education
    )
    heavy_fit = rng.random(n_records) < np.where(age > 50, 0.5, 0.85)
    fitness = np.where(heavy_fit, 2, np.where(rng.random(n_records) < 0.85, 1, 0))
    children = rng.random(n_records) < 0.45
    sector_names = list(_SECTOR_SHARES) + ["central_department"]
    shares = np.array([*_SECTOR_SHARES.values(), 1.0 - sum(_SECTOR_SHARES.values())])
    sector = rng.choice(len(sector_names), size=n_records, p=shares)
    base_difficulty = np.array([_SECTOR_DIFFICULTY.get(name, 0.3) for name in sector_names])
    difficulty = np.clip(base_difficulty[sector] + rng.normal(0, 0.15, n_records), 0, 1)
    is_mine = sector == sector_names.index("mine")
    is_farm = sector == sector_names.index("farm")
    heavy_job = is_mine | (is_farm & (rng.random(n_records) < 0.5))
    skilled = (sector >= sector_names.index("institute")) | (rng.random(n_records) < 0.05)
    credential = skilled & (rng.random(n_records) < 0.6)
    heaviness = np.where(heavy_job, 2, np.where(is_mine | (rng.random(n_records) < 0.6), 1, 0))
    heaviness = np.where(skilled & ~heavy_job, 0, heaviness)
    household_size = rng.choice(
        np.arange(1, 9), size=n_records, p=[0.25, 0.2, 0.18, 0.15, 0.1, 0.06, 0.04, 0.02]
    )
    housing_type = rng.choice(3, size=n_records, p=[0.35, 0.35, 0.3])
    person_skill = np.where(
        credential, np.where(higher_education >= 3, 3, 2), (higher_education >= 1).astype(int)
    )
    job_skill = np.where(skilled, rng.choice([2, 3], size=n_records, p=[0.7, 0.3]), 0)
    job_skill = np.where(~skilled & (rng.random(n_records) < 0.3), 1, job_skill)
    place_rank = np.where(rng.random(n_records) < 0.6, -1, rng.integers(0, 3, n_records))
    other_province = rng.random(n_records) < 0.15
    # Stated preference was mostly ignored: the job's sector is a random rank or not stated.
    rank = np.where(rng.random(n_records) < 0.45, -1, rng.integers(0, 3, n_records))
    distance = rng.uniform(0, 600, n_records)
    sector_index = np.array([SECTORS.index(name) for name in sector_names])[sector]
    features = build_pair_features(
        age=age,
        female=female,
        higher_education_years=higher_education,
        heavy_work_fit=heavy_fit,
        household_with_children=children,
        job_heavy=heavy_job,
        job_difficulty=difficulty,
        preference_match_value=preference_match(rank),
        distance_km=distance,
        job_skilled=skilled,
        credential_match=credential,
        sector=sector_index,
        fitness_level=fitness,
        job_heaviness=heaviness,
        household_size=household_size,
        housing_type=housing_type,
        skill_gap=person_skill - job_skill,
        place_preference_value=preference_match(place_rank),
        other_province=other_province,
    )
    probability = true_stay_probability(features)
    stayed = rng.random(n_records) < probability
    return OutcomeHistory(features=features, stayed=stayed, true_probability=probability)
