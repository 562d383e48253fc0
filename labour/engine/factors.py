"""What raises or lowers a person's chance of staying in a job, for explanations.

Each factor is a counterfactual: the model's chance of staying as placed, against the chance
with that one thing changed to its plain alternative (the kind of work not wished for, light
work instead of heavy, suitable housing instead of a dormitory, ...). The difference is the
factor's effect on the probability; the Django side puts it into an officer's words.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

import numpy as np

from labour.engine.arrays import RetentionPredictor, build_candidate_pairs, index_instance
from labour.engine.features import DEFAULT_RELATIVES_DISTANCE_KM, FEATURE_NAMES
from labour.engine.model import PlacementInstance, PlacementPolicy

_COLUMN = {name: index for index, name in enumerate(FEATURE_NAMES)}
MIN_EFFECT = 0.005
"""Effects below half a percentage point are not worth a word."""
MAX_FACTORS = 4


def _set(features: np.ndarray, name: str, value: np.ndarray | float) -> None:
    features[:, _COLUMN[name]] = value


def _sector_wish(f: np.ndarray) -> None:
    wished = f[:, _COLUMN["preference_match"]] > 0
    _set(f, "preference_match", np.where(wished, 0.0, 1.0))


def _place_wish(f: np.ndarray) -> None:
    wished = f[:, _COLUMN["place_preference_match"]] > 0
    _set(f, "place_preference_match", np.where(wished, 0.0, 1.0))


def _heaviness(f: np.ndarray) -> None:
    _set(f, "job_heaviness", 0.0)
    _set(f, "job_heavy", 0.0)
    _set(f, "age_x_heaviness", 0.0)
    _set(f, "fitness_short_of_heaviness", np.maximum(0.0, 1.0 - f[:, _COLUMN["fitness_level"]]))


def _housing(f: np.ndarray) -> None:
    size = f[:, _COLUMN["household_size"]]
    _set(f, "housing_type", np.where(size >= 3, 2.0, 1.0))
    _set(f, "family_in_dormitory", 0.0)


def _skill(f: np.ndarray) -> None:
    _set(f, "skill_gap", 0.0)


def _relatives(f: np.ndarray) -> None:
    _set(f, "distance_from_relatives_km", 0.0)


def _other_province(f: np.ndarray) -> None:
    _set(f, "other_province", 0.0)


COUNTERFACTUALS: dict[str, Callable[[np.ndarray], None]] = {
    "sector_wish": _sector_wish,
    "place_wish": _place_wish,
    "heaviness": _heaviness,
    "housing": _housing,
    "skill": _skill,
    "relatives": _relatives,
    "other_province": _other_province,
}
"""Factor code -> how the features look without it. Codes are worded on the Django side."""


def factor_effects(
    features: np.ndarray, retention: RetentionPredictor
) -> list[tuple[tuple[str, float], ...]]:
    """Per row, the factors whose effect on the chance of staying is at least MIN_EFFECT,
    largest first, as (code, effect): + raises the chance, - lowers it."""
    if len(features) == 0:
        return []
    base = np.asarray(retention.predict_stay(features), dtype=float)
    effects = np.zeros((len(features), len(COUNTERFACTUALS)))
    relatives_known = features[:, _COLUMN["distance_from_relatives_km"]] != np.float32(
        DEFAULT_RELATIVES_DISTANCE_KM
    )
    for index, change in enumerate(COUNTERFACTUALS.values()):
        changed = np.array(features, copy=True)
        change(changed)
        effects[:, index] = base - np.asarray(retention.predict_stay(changed), dtype=float)
    effects[:, list(COUNTERFACTUALS).index("relatives")] *= relatives_known
    codes = list(COUNTERFACTUALS)
    result = []
    for row in effects:
        order = np.argsort(-np.abs(row), kind="stable")[:MAX_FACTORS]
        result.append(
            tuple((codes[i], round(float(row[i]), 4)) for i in order if abs(row[i]) >= MIN_EFFECT)
        )
    return result


class _Capture:
    features: np.ndarray | None = None

    def predict_stay(self, features: np.ndarray) -> np.ndarray:
        self.features = np.array(features, copy=True)
        return np.zeros(len(features))


def pair_features(
    instance: PlacementInstance, chosen: dict[str, str], policy: PlacementPolicy | None = None
) -> tuple[list[str], np.ndarray]:
    """Feature rows of the given (person id -> job id) pairs, in the instance's context (its
    households, sites and jobs). Returns the person ids in row order and the features."""
    narrowed = replace(
        instance,
        candidate_job_ids={person: (job,) for person, job in chosen.items()},
        persons=tuple(replace(p, current_job_id=None) for p in instance.persons),
        households=tuple(replace(h, current_site_id=None) for h in instance.households),
    )
    policy = policy or PlacementPolicy()
    # Eligibility is not the question here: everyone is asked about the job given.
    capture = _Capture()
    everyone = replace(
        narrowed, persons=tuple(replace(p, seeks_work=True) for p in narrowed.persons)
    )
    indexed = index_instance(everyone, replace(policy, working_age_min=0, working_age_max=200))
    pairs = build_candidate_pairs(indexed, policy, capture)
    ids = [everyone.persons[p].person_id for p in pairs.person.tolist()]
    features = capture.features if capture.features is not None else np.zeros((0, 0))
    return ids, features


def stay_and_factors(
    instance: PlacementInstance,
    chosen: dict[str, str],
    retention: RetentionPredictor,
    policy: PlacementPolicy | None = None,
) -> dict[str, tuple[float, tuple[tuple[str, float], ...]]]:
    """Per person id: the chance of staying in the given job and what raises or lowers it."""
    if not chosen:
        return {}
    ids, features = pair_features(instance, chosen, policy)
    if len(ids) == 0:
        return {}
    stay = np.asarray(retention.predict_stay(features), dtype=float)
    effects = factor_effects(features, retention)
    return {
        person: (float(p), factors) for person, p, factors in zip(ids, stay, effects, strict=True)
    }
