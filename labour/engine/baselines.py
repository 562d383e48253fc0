"""Baselines the engine is measured against. All respect eligibility, capacities and keep
households together, so the comparison is about choices, not about breaking rules.

- first come, first served to the shortage: in arrival order each household goes to the
  candidate site with the most free job slots, as labour bureaus sent people where
  labour was short in the modelled case;
- first come, first served by stated preference: in arrival order each household goes where
  its workers' stated preferences are best met;
- random eligible: random order, random site where the household fits.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Literal

import numpy as np

from labour.engine.arrays import CandidatePairs, IndexedInstance
from labour.engine.columns import housing_candidate_sites

Baseline = Literal["fcfs_shortage", "fcfs_preference", "random_eligible"]
SiteChooser = Callable[[list[tuple[int, int, float, list[tuple[int, int]]]]], int]
"""Picks one option (site, workers placed, preference total, (person, job) list) by index."""


def run_baseline(
    indexed: IndexedInstance,
    pairs: CandidatePairs,
    preference: np.ndarray,
    baseline: Baseline,
    seed: int = 0,
) -> tuple[np.ndarray, np.ndarray]:
    """person_job and person_site arrays (-1 = none) for one baseline. Households already
    placed are treated like new arrivals: the baselines model a fresh allocation.

    `preference` is the stated-preference match per pair (same rows as `pairs`).
    """
    rng = np.random.default_rng(seed)
    instance = indexed.instance
    n_households = len(instance.households)
    arrival = np.array([h.arrival_order for h in instance.households])
    order = (
        rng.permutation(n_households)
        if baseline == "random_eligible"
        else np.argsort(arrival, kind="stable")
    )
    free_slots = indexed.job_slots.copy()
    free_housing = indexed.site_housing.copy()
    site_free_slots = np.bincount(indexed.job_site, weights=free_slots, minlength=len(free_housing))
    person_job = np.full(indexed.n_persons, -1, dtype=np.int64)
    person_site = np.full(indexed.n_persons, -1, dtype=np.int64)
    housing_sites = housing_candidate_sites(indexed, pairs)
    eligible_rows = np.flatnonzero(pairs.eligible)
    row_bounds = np.searchsorted(pairs.person[eligible_rows], np.arange(indexed.n_persons + 1))

    for household in order.tolist():
        members = indexed.household_members[household]
        size = len(members)
        sites = set(housing_sites[household].tolist())
        member_rows = {
            int(m): eligible_rows[row_bounds[m] : row_bounds[m + 1]] for m in members.tolist()
        }
        for rows in member_rows.values():
            sites.update(indexed.job_site[pairs.job[rows]].tolist())
        options = []
        for site in sorted(sites):
            if free_housing[site] < size:
                continue
            taken: dict[int, int] = {}
            assignment = []
            preference_total = 0.0
            for person, rows in member_rows.items():
                at_site = rows[indexed.job_site[pairs.job[rows]] == site]
                open_rows = [
                    r
                    for r in at_site.tolist()
                    if free_slots[pairs.job[r]] - taken.get(int(pairs.job[r]), 0) > 0
                ]
                if not open_rows:
                    continue
                if baseline == "fcfs_preference":
                    row = max(open_rows, key=lambda r: preference[r])
                elif baseline == "fcfs_shortage":
                    row = max(open_rows, key=lambda r: free_slots[pairs.job[r]])
                else:
                    row = open_rows[int(rng.integers(len(open_rows)))]
                job = int(pairs.job[row])
                taken[job] = taken.get(job, 0) + 1
                assignment.append((person, job))
                preference_total += float(preference[row])
            options.append((site, len(assignment), preference_total, assignment))
        if not options:
            continue
        best_workers = max(option[1] for option in options)
        working = [o for o in options if o[1] == best_workers]
        if baseline == "fcfs_shortage":
            chosen = max(working, key=lambda o: site_free_slots[o[0]])
        elif baseline == "fcfs_preference":
            chosen = max(working, key=lambda o: o[2])
        else:
            chosen = working[int(rng.integers(len(working)))]
        site, _, _, assignment = chosen
        free_housing[site] -= size
        person_site[members] = site
        for person, job in assignment:
            free_slots[job] -= 1
            site_free_slots[site] -= 1
            person_job[person] = job
    return person_job, person_site
