"""What the solvers share: locked people, residual capacities and the objective value."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from labour.engine.arrays import CandidatePairs, IndexedInstance
from labour.engine.model import PlacementPolicy

PRICE_TOLERANCE = 1e-9


@dataclass
class Solution:
    person_job: np.ndarray
    """Job index per person, -1 when not in a job."""
    person_site: np.ndarray
    """Site index per person (where housed), -1 when unplaced."""
    job_price: np.ndarray
    site_price: np.ndarray
    objective: float
    bound: float
    method: str
    seconds: dict[str, float] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)
    share_shortfall: dict[str, float] = field(default_factory=dict)


@dataclass
class Settlement:
    """Households already at a site and whether the officer lets the engine move them."""

    household_site: np.ndarray
    """Current site per household, -1 when not yet housed."""
    locked_household: np.ndarray
    """Settled and not movable: stays at its site, working members keep their jobs."""
    movable_household: np.ndarray


def settlement(indexed: IndexedInstance, policy: PlacementPolicy) -> Settlement:
    household_site = indexed.household_current_site.copy()
    working = np.flatnonzero(indexed.current_job >= 0)
    job_sites = indexed.job_site[indexed.current_job[working]]
    households_of_workers = indexed.person_household[working]
    conflicting = (household_site[households_of_workers] >= 0) & (
        household_site[households_of_workers] != job_sites
    )
    if np.any(conflicting):
        raise ValueError("a worker's job is not at the household's current site")
    household_site[households_of_workers] = job_sites
    movable_ids = policy.movable_household_ids
    movable = np.array(
        [h.household_id in movable_ids for h in indexed.instance.households], dtype=bool
    )
    settled = household_site >= 0
    return Settlement(
        household_site=household_site,
        locked_household=settled & ~movable,
        movable_household=settled & movable,
    )


def stay_bonus_per_pair(
    indexed: IndexedInstance, pairs: CandidatePairs, policy: PlacementPolicy, found: Settlement
) -> np.ndarray:
    """Bonus for keeping a movable worker in their current job, so that moves must pay."""
    if not np.any(found.movable_household):
        return np.zeros(len(pairs.person))
    is_current = indexed.current_job[pairs.person] == pairs.job
    movable = found.movable_household[indexed.person_household[pairs.person]]
    return np.where(is_current & movable, policy.stay_bonus, 0.0)


def objective_value(
    indexed: IndexedInstance,
    pairs: CandidatePairs,
    policy: PlacementPolicy,
    person_job: np.ndarray,
    person_site: np.ndarray,
) -> float:
    """Policy objective of any assignment (engine or baseline): job scores plus housing value.

    Stay bonuses are left out so that engine and baselines are compared on the same terms.
    """
    employed = np.flatnonzero(person_job >= 0)
    rows = pair_rows(indexed, pairs, employed, person_job[employed])
    if np.any(rows < 0):
        raise ValueError("an assignment uses a person-job pair that is not a candidate")
    job_value = float(pairs.score[rows].sum())
    return job_value + policy.housing_value * float(np.count_nonzero(person_site >= 0))


def pair_rows(
    indexed: IndexedInstance, pairs: CandidatePairs, persons: np.ndarray, jobs: np.ndarray
) -> np.ndarray:
    """Row of each (person, job) in `pairs`, -1 when the pair is not a candidate."""
    n_jobs = max(len(indexed.job_slots), 1)
    keys = pairs.person * n_jobs + pairs.job
    wanted = np.asarray(persons) * n_jobs + np.asarray(jobs)
    rows = np.minimum(np.searchsorted(keys, wanted), max(len(keys) - 1, 0))
    found = (len(keys) > 0) & (keys[rows] == wanted) if len(keys) else np.zeros(len(wanted), bool)
    return np.where(found, rows, -1)


def reserve_prices(
    indexed: IndexedInstance, policy: PlacementPolicy
) -> tuple[np.ndarray, np.ndarray]:
    """Per job and per site, the reserve (bid) price of one slot or housing place."""
    jobs = np.array(
        [policy.job_reserve_prices.get(job.job_id, 0.0) for job in indexed.instance.jobs]
    )
    sites = np.array(
        [policy.housing_reserve_prices.get(s.site_id, 0.0) for s in indexed.instance.sites]
    )
    return jobs.reshape(len(indexed.job_slots)), sites.reshape(len(indexed.site_housing))
