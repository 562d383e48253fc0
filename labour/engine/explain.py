"""Explanations in a labour officer's terms: where each person was placed and why, the top
three alternatives with the reason each was not chosen (a requirement, a full job or full
housing, the household kept together, a lower chance of staying), the real reason for
everyone not in a job, and what verifying a claimed credential would open. No scores or
prices appear in the words; the capacity prices are kept for the solver's reports."""

from __future__ import annotations

from collections import Counter

import numpy as np

from labour.engine.arrays import CandidatePairs, IndexedInstance
from labour.engine.eligibility import MISSING_CREDENTIAL, describe_failures
from labour.engine.model import (
    Alternative,
    CapacityPrice,
    PersonPlacement,
    PlacementStatus,
)
from labour.engine.solution import Settlement, Solution, pair_rows
from waystation.bulk import cyclic_gc_paused

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
    """Rows of each person's best candidates other than the chosen job, best first (the
    first row wins a tie).

    Pairs are sorted by person, so each round takes every person's best remaining row with
    one segmented maximum: a few passes over the pairs instead of sorting them all.
    """
    rows = np.flatnonzero(pairs.job != person_job[pairs.person])
    if len(rows) == 0:
        return rows
    person = pairs.person[rows]
    starts = np.flatnonzero(np.concatenate([[True], person[1:] != person[:-1]]))
    owner = np.repeat(np.arange(len(starts)), np.diff(np.append(starts, len(rows))))
    remaining = pairs.score[rows].astype(np.float64, copy=True)
    picked = []
    for _ in range(TOP_ALTERNATIVES):
        best = np.maximum.reduceat(remaining, starts)
        alive = best > -np.inf
        if not np.any(alive):
            break
        hits = np.flatnonzero(remaining == best[owner])
        first_hit = hits[np.searchsorted(owner[hits], np.flatnonzero(alive))]
        picked.append(first_hit)
        remaining[first_hit] = -np.inf
    positions = np.concatenate(picked)
    # Person order, then rank within the person (the order of the rounds).
    rank = np.repeat(np.arange(len(picked)), [len(p) for p in picked])
    order = np.lexsort((rank, owner[positions]))
    return rows[positions[order]]


def _failure_summary(failures: np.ndarray, jobs: np.ndarray, indexed: IndexedInstance) -> str:
    counted: Counter[str] = Counter()
    for failure, job in zip(failures.tolist(), jobs.tolist(), strict=True):
        for part in (
            describe_failures(failure, indexed.instance.jobs[job]).split(": ", 1)[1].split("; ")
        ):
            counted[part] += 1
    return "; ".join(f"{text} ({count} jobs)" for text, count in counted.most_common(3))


_NOT_ELIGIBLE, _JOB_FULL, _HOUSING_FULL, _TOGETHER, _LOWER, _ELSEWHERE = range(6)


def _alternatives(
    indexed: IndexedInstance,
    pairs: CandidatePairs,
    solution: Solution,
    chosen_score: np.ndarray,
    chosen_stay: np.ndarray,
    used_slots: np.ndarray,
    used_housing: np.ndarray,
) -> list[list[Alternative]]:
    """Each person's top alternatives with the reason each was not chosen.

    The reason's kind is decided with array operations; texts that depend only on the job,
    the site or the household size are written once and shared.
    """
    instance = indexed.instance
    job_ids = [job.job_id for job in instance.jobs]
    site_ids = [site.site_id for site in instance.sites]
    rows = _alternative_rows(pairs, solution.person_job)
    person, job = pairs.person[rows], pairs.job[rows]
    failures, score = pairs.failures[rows], pairs.score[rows]
    site = indexed.job_site[job]
    own_site = solution.person_site[person]
    size = indexed.household_size[indexed.person_household[person]]
    elsewhere = site != own_site
    kind = np.select(
        [
            failures != 0,
            used_slots[job] >= indexed.job_slots[job],
            elsewhere & (used_housing[site] + size > indexed.site_housing[site]),
            elsewhere & (size > 1) & (own_site >= 0),
            score <= chosen_score[person] + 1e-12,
        ],
        [_NOT_ELIGIBLE, _JOB_FULL, _HOUSING_FULL, _TOGETHER, _LOWER],
        default=_ELSEWHERE,
    )

    def shared_text(kind: int, job: int, site: int, size: int, failures: int) -> str:
        if kind == _NOT_ELIGIBLE:
            return describe_failures(failures, instance.jobs[job])
        if kind == _JOB_FULL:
            return f"full: all {indexed.job_slots[job]} positions of {job_ids[job]} taken"
        if kind == _HOUSING_FULL:
            free = indexed.site_housing[site] - used_housing[site]
            return (
                f"full: housing at {site_ids[site]} has {free} free places, the household"
                f" needs {size}"
            )
        return "its positions went to people for whom they make a bigger difference"

    # Texts that depend only on (kind, job or site, size or failures) are written once per
    # distinct key; the per-person kinds are written in the loop below.
    shared = (kind != _LOWER) & (kind != _TOGETHER)
    place = np.where(kind == _HOUSING_FULL, site, job)
    detail = np.where(kind >= _HOUSING_FULL, size, failures)
    key = (kind.astype(np.int64) * (len(job_ids) + len(site_ids) + 1) + place) * 65_536 + detail
    distinct, first, text_index = np.unique(
        np.where(shared, key, -1), return_index=True, return_inverse=True
    )
    texts = [
        shared_text(int(kind[i]), int(job[i]), int(site[i]), int(size[i]), int(failures[i]))
        if k >= 0
        else ""
        for k, i in zip(distinct.tolist(), first.tolist(), strict=True)
    ]

    chosen_stays = chosen_stay.tolist()
    stays = pairs.stay[rows].tolist()
    own_sites = own_site.tolist()
    alternatives: list[list[Alternative]] = [[] for _ in range(indexed.n_persons)]
    for p, j, s, k, z, f, value, own, t, stay in zip(
        person.tolist(),
        job.tolist(),
        site.tolist(),
        kind.tolist(),
        size.tolist(),
        failures.tolist(),
        score.tolist(),
        own_sites,
        text_index.reshape(-1).tolist(),
        stays,
        strict=True,
    ):
        if k == _LOWER:
            here = chosen_stays[p]
            if here == here and stay < here - 0.005:  # here is NaN when not in a job
                reason = (
                    f"less likely to stay: {round(100 * stay)}% against {round(100 * here)}%"
                    " in the chosen job"
                )
            else:
                reason = (
                    "the chosen job matches the person's wishes or the plan's priorities better"
                )
        elif k == _TOGETHER:
            reason = (
                f"household of {z} is placed together at"
                f" {site_ids[own]}, better for the household as a whole"
            )
        else:
            reason = texts[t]
        alternatives[p].append(
            Alternative(job_ids[j], site_ids[s], value, f == 0, reason, stay=stay)
        )
    return alternatives


def explain(
    indexed: IndexedInstance, pairs: CandidatePairs, solution: Solution, found: Settlement
) -> list[PersonPlacement]:
    # hundreds of thousands of small acyclic objects: the collector's scans of the heap
    # (the instance's people and jobs included) were a fifth of the explanation time
    with cyclic_gc_paused():
        return _explain(indexed, pairs, solution, found)


def _explain(
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
    rows = pair_rows(indexed, pairs, employed, person_job[employed])
    found_rows = rows >= 0
    chosen_score[employed[found_rows]] = pairs.score[rows[found_rows]]
    chosen_stay[employed[found_rows]] = pairs.stay[rows[found_rows]]

    alternatives = _alternatives(
        indexed, pairs, solution, chosen_score, chosen_stay, used_slots, used_housing
    )
    would_open = _would_open(indexed, pairs)
    no_job = _no_job_reasons(indexed, pairs, solution, used_slots)
    eligible_count = np.bincount(pairs.person[pairs.eligible], minlength=indexed.n_persons)

    # Plain lists: indexing numpy arrays one element at a time is several times slower.
    sizes, chosen = size.tolist(), chosen_score.tolist()
    sites_of_person, jobs_of_person = person_site.tolist(), person_job.tolist()
    households = household.tolist()
    settled_sites = found.household_site.tolist()
    locked = found.locked_household.tolist()
    stays = chosen_stay.tolist()
    eligible_counts = eligible_count.tolist()
    site_province = [site.province for site in instance.sites]
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
            elif person.current_job_id == job_ids[job]:
                # Staying is a choice of its own: no other place scored enough to pay a move.
                reason = "already at work, kept: no move was worth more than staying"
            else:
                reason = (
                    f"the best fit among {eligible_counts[person_index]} jobs open to this person"
                )
                if moved and person.current_job_id:
                    reason = f"moved from {person.current_job_id}; {reason}"
        else:
            status = PlacementStatus.HOUSED if site >= 0 else PlacementStatus.UNPLACED
            reason = no_job[person_index]
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
                would_open=would_open.get(person_index, ()),
                needs_travel_permit=bool(
                    site >= 0
                    and person.province
                    and site_province[site]
                    and site_province[site] != person.province
                ),
            )
        )
    return placements


def _would_open(indexed: IndexedInstance, pairs: CandidatePairs) -> dict[int, tuple[str, ...]]:
    """Per person with claimed, unverified credentials: the candidate jobs that verifying one
    of them would open (the missing credential is the only failed requirement)."""
    instance = indexed.instance
    claimants = [i for i, p in enumerate(instance.persons) if p.claimed_credentials]
    if not claimants:
        return {}
    only_credential = np.flatnonzero(pairs.failures == MISSING_CREDENTIAL)
    opened: dict[int, list[str]] = {}
    is_claimant = np.zeros(indexed.n_persons, dtype=bool)
    is_claimant[claimants] = True
    for row in only_credential[is_claimant[pairs.person[only_credential]]].tolist():
        p, j = int(pairs.person[row]), int(pairs.job[row])
        job = instance.jobs[j]
        if job.requirements.credential in instance.persons[p].claimed_credentials:
            opened.setdefault(p, []).append(job.job_id)
    return {p: tuple(jobs) for p, jobs in opened.items()}


def _no_job_reasons(
    indexed: IndexedInstance,
    pairs: CandidatePairs,
    solution: Solution,
    used_slots: np.ndarray,
) -> list[str]:
    """Why each person is not in a job (empty text for people in a job).

    Counts and the most binding job come from array operations over all pairs; only people
    without any eligible candidate get a per-person summary of what they miss.
    """
    n_persons = indexed.n_persons
    eligible = pairs.eligible
    person, job = pairs.person, pairs.job
    candidates = np.diff(pairs.offsets)
    eligible_count = np.bincount(person[eligible], minlength=n_persons)
    full = eligible & (used_slots[job] >= indexed.job_slots[job])
    full_count = np.bincount(person[full], minlength=n_persons)
    site = solution.person_site
    at_own_site = eligible & (indexed.job_site[job] == site[person])
    at_site_count = np.bincount(person[at_own_site], minlength=n_persons)
    in_household = indexed.household_size[indexed.person_household] > 1
    household_size = indexed.household_size[indexed.person_household]
    # Another member of the household works at the household's site.
    household_working = np.bincount(
        indexed.person_household[solution.person_job >= 0], minlength=len(indexed.household_size)
    )[indexed.person_household]
    at_own_full = np.bincount(person[at_own_site & full], minlength=n_persons)
    used_housing = np.bincount(site[site >= 0], minlength=len(indexed.site_housing))
    job_site = indexed.job_site[job]
    no_room = (
        eligible
        & ~full
        & (indexed.site_housing[job_site] - used_housing[job_site] < household_size[person])
        & (job_site != site[person])
    )
    no_room_count = np.bincount(person[no_room], minlength=n_persons)
    site_ids = [s.site_id for s in indexed.instance.sites]

    reasons = [""] * n_persons
    out_of_work = np.flatnonzero(solution.person_job < 0)
    for p in out_of_work.tolist():
        if not indexed.of_working_age[p]:
            reasons[p] = "outside the plan's working age"
        elif not indexed.seeks_work[p]:
            reasons[p] = "not seeking work"
        elif candidates[p] == 0:
            reasons[p] = "no candidate jobs were offered for this person"
        elif eligible_count[p] == 0:
            start, end = pairs.offsets[p], pairs.offsets[p + 1]
            reasons[p] = f"no eligible job among {end - start} candidates: " + _failure_summary(
                pairs.failures[start:end], pairs.job[start:end], indexed
            )
        elif site[p] >= 0 and in_household[p] and at_site_count[p] == 0:
            elsewhere = eligible_count[p]
            if household_working[p]:
                reasons[p] = (
                    f"the household was housed at {site_ids[site[p]]} for another member's job,"
                    f" and no job there fits this person ({elsewhere} fitting jobs elsewhere)"
                )
            else:
                reasons[p] = (
                    f"the household is housed together at {site_ids[site[p]]}, where no job"
                    f" fits this person ({elsewhere} fitting jobs elsewhere)"
                )
        elif full_count[p] == eligible_count[p]:
            reasons[p] = f"all {eligible_count[p]} jobs that fit this person are full"
        elif site[p] >= 0 and at_site_count[p] and at_own_full[p] == at_site_count[p]:
            reasons[p] = (
                f"the {at_site_count[p]} jobs that fit at {site_ids[site[p]]} are full"
                f" ({full_count[p]} of {eligible_count[p]} fitting jobs are full)"
            )
        elif no_room_count[p] + full_count[p] >= eligible_count[p]:
            reasons[p] = (
                f"{full_count[p]} of {eligible_count[p]} jobs that fit are full; the others are"
                f" at sites without housing for a household of {household_size[p]}"
            )
        else:
            reasons[p] = (
                f"{full_count[p]} of {eligible_count[p]} jobs that fit are full; the open ones"
                " are kept for people with a better chance of staying or for later arrivals"
            )
    return reasons
