"""Explanations: the score where each person was placed, the top three alternatives with the
reason each was not chosen, a reason for everyone not in a job, and the scarcity prices."""

from __future__ import annotations

from collections import Counter

import numpy as np

from labour.engine.arrays import CandidatePairs, IndexedInstance
from labour.engine.eligibility import describe_failures
from labour.engine.model import (
    Alternative,
    CapacityPrice,
    PersonPlacement,
    PlacementStatus,
)
from labour.engine.solution import Settlement, Solution

TOP_ALTERNATIVES = 3


def capacity_prices(indexed: IndexedInstance, solution: Solution) -> list[CapacityPrice]:
    used_slots = np.bincount(
        solution.person_job[solution.person_job >= 0], minlength=len(indexed.job_slots)
    )
    used_housing = np.bincount(
        solution.person_site[solution.person_site >= 0], minlength=len(indexed.site_housing)
    )
    instance = indexed.instance
    prices = [
        CapacityPrice(
            "job_slots", job.job_id, job.slots, int(used_slots[j]), float(solution.job_price[j])
        )
        for j, job in enumerate(instance.jobs)
    ]
    prices += [
        CapacityPrice(
            "housing_places",
            site.site_id,
            site.housing_places,
            int(used_housing[s]),
            float(solution.site_price[s]),
        )
        for s, site in enumerate(instance.sites)
    ]
    return prices


def _alternative_rows(pairs: CandidatePairs, person_job: np.ndarray) -> np.ndarray:
    """Rows of each person's best candidates other than the chosen job, best first."""
    order = np.lexsort((-pairs.score, pairs.person))
    order = order[pairs.job[order] != person_job[pairs.person[order]]]
    persons = pairs.person[order]
    first = np.searchsorted(persons, persons, side="left")
    return order[(np.arange(len(order)) - first) < TOP_ALTERNATIVES]


def _failure_summary(failures: np.ndarray, jobs: np.ndarray, indexed: IndexedInstance) -> str:
    counted: Counter[str] = Counter()
    for failure, job in zip(failures.tolist(), jobs.tolist(), strict=True):
        for part in (
            describe_failures(failure, indexed.instance.jobs[job]).split(": ", 1)[1].split("; ")
        ):
            counted[part] += 1
    return "; ".join(f"{text} ({count} jobs)" for text, count in counted.most_common(3))


def explain(
    indexed: IndexedInstance, pairs: CandidatePairs, solution: Solution, found: Settlement
) -> list[PersonPlacement]:
    instance = indexed.instance
    person_job, person_site = solution.person_job, solution.person_site
    job_ids = [job.job_id for job in instance.jobs]
    site_ids = [site.site_id for site in instance.sites]
    used_slots = np.bincount(person_job[person_job >= 0], minlength=len(job_ids))
    used_housing = np.bincount(person_site[person_site >= 0], minlength=len(site_ids))
    household = indexed.person_household
    size = indexed.household_size[household]

    chosen_score = np.zeros(indexed.n_persons)
    chosen_stay = np.full(indexed.n_persons, np.nan)
    employed = np.flatnonzero(person_job >= 0)
    order = np.lexsort((pairs.job, pairs.person))
    keys = pairs.person[order] * len(job_ids) + pairs.job[order]
    rows = order[np.searchsorted(keys, employed * len(job_ids) + person_job[employed])]
    found_rows = (pairs.person[rows] == employed) & (pairs.job[rows] == person_job[employed])
    chosen_score[employed[found_rows]] = pairs.score[rows[found_rows]]
    chosen_stay[employed[found_rows]] = pairs.stay[rows[found_rows]]

    # Plain lists: indexing numpy arrays one element at a time is several times slower.
    job_site = indexed.job_site.tolist()
    job_slots = indexed.job_slots.tolist()
    site_housing = indexed.site_housing.tolist()
    used_slots_list, used_housing_list = used_slots.tolist(), used_housing.tolist()
    sizes, chosen = size.tolist(), chosen_score.tolist()
    sites_of_person, jobs_of_person = person_site.tolist(), person_job.tolist()
    job_price, site_price = solution.job_price.tolist(), solution.site_price.tolist()

    alternatives: list[list[Alternative]] = [[] for _ in range(indexed.n_persons)]
    alt_rows = _alternative_rows(pairs, person_job)
    for person, job, score, failures in zip(
        pairs.person[alt_rows].tolist(),
        pairs.job[alt_rows].tolist(),
        pairs.score[alt_rows].tolist(),
        pairs.failures[alt_rows].tolist(),
        strict=True,
    ):
        site = job_site[job]
        own_site = sites_of_person[person]
        if failures:
            reason = describe_failures(failures, instance.jobs[job])
        elif used_slots_list[job] >= job_slots[job]:
            reason = (
                f"full: all {job_slots[job]} job slots of {job_ids[job]} taken"
                f" (scarcity price {job_price[job]:.3f})"
            )
        elif site != own_site and used_housing_list[site] + sizes[person] > site_housing[site]:
            free = site_housing[site] - used_housing_list[site]
            reason = (
                f"full: housing at {site_ids[site]} has {free} free places, the household"
                f" needs {sizes[person]} (scarcity price {site_price[site]:.3f})"
            )
        elif site != own_site and sizes[person] > 1 and own_site >= 0:
            reason = (
                f"household of {sizes[person]} is placed together at"
                f" {site_ids[own_site]}, better for the household as a whole"
            )
        elif score <= chosen[person] + 1e-12:
            reason = f"lower score ({score:.3f} against {chosen[person]:.3f})"
        else:
            reason = (
                f"higher score but the slot serves the plan better elsewhere: keeps people"
                f" in place or meets a minimum share (job price {job_price[job]:.3f})"
            )
        alternatives[person].append(
            Alternative(job_ids[job], site_ids[site], score, failures == 0, reason)
        )

    eligible_count = np.bincount(pairs.person[pairs.eligible], minlength=indexed.n_persons)
    households = household.tolist()
    settled_sites = found.household_site.tolist()
    locked = found.locked_household.tolist()
    stays = chosen_stay.tolist()
    placements = []
    for person_index, person in enumerate(instance.persons):
        job, site = jobs_of_person[person_index], sites_of_person[person_index]
        settled_site = settled_sites[households[person_index]]
        moved = (settled_site >= 0 and site != settled_site) or (
            person.current_job_id is not None and job >= 0 and job_ids[job] != person.current_job_id
        )
        if job >= 0:
            status = PlacementStatus.PLACED
            if locked[households[person_index]] and person.current_job_id:
                reason = "already at work; not moved (the officer did not allow a move)"
            else:
                reason = (
                    f"best placement found among {eligible_count[person_index]} eligible jobs"
                    f" (score {chosen[person_index]:.3f})"
                )
        else:
            status = PlacementStatus.HOUSED if site >= 0 else PlacementStatus.UNPLACED
            reason = _no_job_reason(indexed, pairs, solution, used_slots, person_index)
            if site >= 0:
                reason += f"; housed with the household at {site_ids[site]}"
            else:
                reason += (
                    f"; no housing: no candidate site had {sizes[person_index]} free places"
                    " left for the household"
                )
        placements.append(
            PersonPlacement(
                person_id=person.person_id,
                household_id=person.household_id,
                status=status,
                site_id=site_ids[site] if site >= 0 else None,
                job_id=job_ids[job] if job >= 0 else None,
                score=chosen[person_index],
                predicted_stay=None if job < 0 else stays[person_index],
                moved=moved,
                reason=reason,
                alternatives=tuple(alternatives[person_index]),
            )
        )
    return placements


def _no_job_reason(
    indexed: IndexedInstance,
    pairs: CandidatePairs,
    solution: Solution,
    used_slots: np.ndarray,
    person: int,
) -> str:
    start, end = pairs.offsets[person], pairs.offsets[person + 1]
    if not indexed.seeks_work[person]:
        return "not seeking work"
    if end == start:
        return "no candidate jobs were offered for this person"
    failures = pairs.failures[start:end]
    jobs = pairs.job[start:end]
    if np.all(failures != 0):
        return f"no eligible job among {end - start} candidates: " + _failure_summary(
            failures, jobs, indexed
        )
    eligible_jobs = jobs[failures == 0]
    site = solution.person_site[person]
    if site >= 0 and indexed.household_size[indexed.person_household[person]] > 1:
        at_site = eligible_jobs[indexed.job_site[eligible_jobs] == site]
        if len(at_site) == 0:
            return (
                "the household is placed together at a site where no job fits this person"
                f" ({len(eligible_jobs)} eligible jobs elsewhere)"
            )
    full = used_slots[eligible_jobs] >= indexed.job_slots[eligible_jobs]
    priciest = eligible_jobs[np.argmax(solution.job_price[eligible_jobs])]
    job_id = indexed.instance.jobs[int(priciest)].job_id
    return (
        f"{int(full.sum())} of {len(eligible_jobs)} eligible jobs are full; the rest went to"
        f" placements of higher value (most binding: job slots of {job_id},"
        f" price {solution.job_price[priciest]:.3f})"
    )
