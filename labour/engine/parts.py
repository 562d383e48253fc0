"""Very large household runs: solve parts of the households exactly, under one proven bound.

Above LP_MAX_HOUSEHOLDS the simplex over every household row takes minutes. The households
are dealt at random into parts of at most PART_HOUSEHOLDS; each part gets its share of every
job's slots and every site's housing (by its number of people) and is solved by column
generation and rounding like a small run. Their plans together are feasible for the whole
run, and a greedy pass gives the places no part used to anyone still out. The bound is the
full model's Lagrangian dual (pricing.py) at the best of: the parts' averaged LP prices, and
those prices improved by L-BFGS on the smoothed dual, so it stays a proven upper bound.
"""

from __future__ import annotations

import math
import time
from dataclasses import replace

import numpy as np

from labour.engine.arrays import CandidatePairs, IndexedInstance, index_instance
from labour.engine.model import PlacementPolicy
from labour.engine.solution import Settlement, Solution, settlement

PART_HOUSEHOLDS = 9_000


def _split_capacity(capacity: np.ndarray, weights: np.ndarray) -> np.ndarray:
    """(parts, n) integer capacities summing to `capacity`, proportional to `weights`."""
    share = np.outer(weights / weights.sum(), capacity)
    base = np.floor(share).astype(np.int64)
    rest = capacity - base.sum(axis=0)
    order = np.argsort(-(share - base), axis=0, kind="stable")
    for column in np.flatnonzero(rest > 0):
        base[order[: rest[column], column], column] += 1
    return base


def solve_in_parts(
    indexed: IndexedInstance,
    pairs: CandidatePairs,
    policy: PlacementPolicy,
    found: Settlement,
    solve_part: object,
) -> Solution | None:
    """None when the run cannot be split (households already placed, or minimum shares)."""
    from labour.engine import households as solver
    from labour.engine.pricing import bound, build_option_space, minimise_bound

    if found.locked_household.any() or found.movable_household.any() or policy.minimum_shares:
        return None
    started = time.perf_counter()
    instance = indexed.instance
    n_households = len(indexed.household_size)
    n_parts = math.ceil(n_households / PART_HOUSEHOLDS)
    part_of = np.random.default_rng(0).permutation(n_households) % n_parts
    people = np.array(
        [indexed.household_size[part_of == k].sum() for k in range(n_parts)], dtype=float
    )
    slots = _split_capacity(indexed.job_slots, people)
    housing = _split_capacity(indexed.site_housing, people)
    person_job = np.full(indexed.n_persons, -1, dtype=np.int64)
    person_site = np.full(indexed.n_persons, -1, dtype=np.int64)
    job_price = np.zeros(len(indexed.job_slots))
    site_price = np.zeros(len(indexed.site_housing))
    notes: list[str] = [f"{n_parts} parts of about {n_households // n_parts} households"]
    for k in range(n_parts):
        households = np.flatnonzero(part_of == k)
        persons = np.sort(
            np.concatenate([indexed.household_members[h] for h in households.tolist()])
        )
        sub = replace(
            instance,
            persons=tuple(instance.persons[p] for p in persons.tolist()),
            households=tuple(instance.households[h] for h in households.tolist()),
            jobs=tuple(replace(job, slots=int(slots[k, j])) for j, job in enumerate(instance.jobs)),
            sites=tuple(
                replace(site, housing_places=int(housing[k, s]))
                for s, site in enumerate(instance.sites)
            ),
        )
        sub_indexed = index_instance(sub, policy)
        new_index = np.full(indexed.n_persons, -1, dtype=np.int64)
        new_index[persons] = np.arange(len(persons))
        keep = new_index[pairs.person] >= 0
        sub_person = new_index[pairs.person[keep]]
        sub_pairs = CandidatePairs(
            person=sub_person,
            job=pairs.job[keep],
            failures=pairs.failures[keep],
            stay=pairs.stay[keep],
            score=pairs.score[keep],
            offsets=np.searchsorted(sub_person, np.arange(len(persons) + 1)),
        )
        part = solver.solve_households(
            sub_indexed, sub_pairs, policy, settlement(sub_indexed, policy), in_part=True
        )
        person_job[persons] = part.person_job
        person_site[persons] = part.person_site
        job_price += part.job_price / n_parts
        site_price += part.site_price / n_parts
        notes += [f"part {k}: {note}" for note in part.notes[-2:]]
    solved = time.perf_counter()
    share_masks: list[np.ndarray] = []
    space = build_option_space(indexed, pairs, policy, found, share_masks, np.zeros(0), 10.0)
    averaged = np.concatenate([job_price, site_price])
    proven = bound(space, averaged)
    improved, improved_bound = minimise_bound(
        space,
        temperatures=(0.003,),
        evaluations=15,
        deadline=started + 2 * policy.column_generation_time_s,
        start=averaged,
    )
    notes.append(f"bound at the parts' prices {proven:.3f}, improved {improved_bound:.3f}")
    proven = min(proven, improved_bound)
    solution = solver.complete_and_value(
        indexed, pairs, policy, found, person_job, person_site, job_price, site_price
    )
    by_prices = solver._solve_by_prices(
        indexed, policy, found, space, time.perf_counter(), given_prices=improved
    )
    notes.append(
        f"parts {solution.objective:.3f}, greedy at their prices {by_prices.objective:.3f}"
    )
    if by_prices.objective > solution.objective:
        solution = by_prices
    solution.bound = proven
    solution.method = "column_generation_in_parts"
    solution.notes = notes + solution.notes
    solution.seconds = {
        "parts": solved - started,
        "bound": time.perf_counter() - solved - solution.seconds.get("complete", 0.0),
        **solution.seconds,
    }
    return solution
