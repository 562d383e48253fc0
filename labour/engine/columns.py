"""Candidate placements of whole households ("columns") for the household model.

A column places one household at one site: every member is housed there and each work
seeker takes their best eligible job at that site (or none). A housing-only column houses
the household without work. Households already placed and not movable get columns at their
current site only, always including one where the current workers keep their jobs.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from labour.engine.arrays import CandidatePairs, IndexedInstance
from labour.engine.model import PlacementPolicy
from labour.engine.solution import Settlement, reserve_prices, stay_bonus_per_pair


@dataclass
class Columns:
    n_work: int
    """Columns [0, n_work) employ someone; the rest house without work, or keep workers of
    households that may not move in their current jobs."""
    household: np.ndarray
    site: np.ndarray
    value: np.ndarray
    """Objective value: job scores of employed members plus housing value of all members."""
    member_column: np.ndarray
    """Employment entries: column, person and job of each employed member."""
    member_person: np.ndarray
    member_job: np.ndarray
    member_value: np.ndarray | None = None
    """Objective value of each employment entry (set by column generation)."""

    def __len__(self) -> int:
        return len(self.household)


def _group_first(keys: np.ndarray) -> np.ndarray:
    """Mask of the first row of each run of equal keys (keys already sorted)."""
    return np.concatenate([[True], keys[1:] != keys[:-1]]) if len(keys) else keys.astype(bool)


def housing_candidate_sites(indexed: IndexedInstance, pairs: CandidatePairs) -> list[np.ndarray]:
    """Per household, the sites where it may be housed: the instance's list, else the sites of
    its members' candidate jobs, else every site."""
    instance = indexed.instance
    household_of_pair = indexed.person_household[pairs.person]
    order = np.argsort(household_of_pair, kind="stable")
    pair_sites = indexed.job_site[pairs.job[order]]
    bounds = np.searchsorted(household_of_pair[order], np.arange(len(instance.households) + 1))
    all_sites = np.arange(len(indexed.site_housing))
    result = []
    for h, household in enumerate(instance.households):
        listed = (instance.candidate_site_ids or {}).get(household.household_id)
        if listed:
            result.append(np.array([indexed.site_index[s] for s in listed], dtype=np.int64))
        elif bounds[h + 1] > bounds[h]:
            result.append(np.unique(pair_sites[bounds[h] : bounds[h + 1]]))
        else:
            result.append(all_sites)
    return result


def _nested_patterns(
    choice: np.ndarray,
    rank_value: np.ndarray,
    pair_household: np.ndarray,
    pair_site: np.ndarray,
    n_sites: int,
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Patterns at one site from one job choice per member: the household's k best-suited
    workers employed, k = 1, 2, ... (smaller patterns fit where few slots are left).

    Returns the pair row that defines each pattern (its k-th member), each entry's pattern,
    each entry's pair row, and each pattern's size k.
    """
    group_key = pair_household[choice] * n_sites + pair_site[choice]
    choice = choice[np.lexsort((-rank_value[choice], group_key))]
    group_key = pair_household[choice] * n_sites + pair_site[choice]
    group_start = np.searchsorted(group_key, group_key, side="left")
    group_end = np.searchsorted(group_key, group_key, side="right")
    rank = np.arange(len(choice)) - group_start
    # The member ranked r belongs to patterns k = r+1 .. group size.
    entries_per_row = group_end - group_start - rank
    entry_row = np.repeat(np.arange(len(choice)), entries_per_row)
    entry_offset = np.arange(len(entry_row)) - np.repeat(
        np.cumsum(entries_per_row) - entries_per_row, entries_per_row
    )
    pattern_ids, entry_pattern = np.unique(entry_row + entry_offset, return_inverse=True)
    return choice[pattern_ids], entry_pattern, choice[entry_row], rank[pattern_ids] + 1


def build_columns(
    indexed: IndexedInstance, pairs: CandidatePairs, policy: PlacementPolicy, found: Settlement
) -> Columns:
    n_sites = len(indexed.site_housing)
    household_of = indexed.person_household
    locked = found.locked_household
    job_reserve, site_reserve = reserve_prices(indexed, policy)
    value = (
        pairs.score + stay_bonus_per_pair(indexed, pairs, policy, found) - job_reserve[pairs.job]
    )
    # Housing is worth its value less its reserve price, per member.
    housing_net = policy.housing_value - site_reserve
    pair_site = indexed.job_site[pairs.job]
    pair_household = household_of[pairs.person]
    usable = pairs.eligible.copy()
    # Locked households stay at their site and their workers keep their jobs.
    usable &= ~locked[pair_household] | (pair_site == found.household_site[pair_household])
    has_job = indexed.current_job[pairs.person] >= 0
    usable &= ~(locked[pair_household] & has_job) | (pairs.job == indexed.current_job[pairs.person])
    rows = np.flatnonzero(usable)
    order = rows[np.lexsort((-value[rows], pair_site[rows], pairs.person[rows]))]
    person_site_key = pairs.person[order] * n_sites + pair_site[order]
    group_start = np.searchsorted(person_site_key, person_site_key, side="left")
    choice_rank = np.arange(len(order)) - group_start
    best = order[choice_rank == 0]
    # Workers of households that may not move rank first, so every pattern keeps them.
    keeps_job = locked[pair_household] & (pairs.job == indexed.current_job[pairs.person])
    rank_value = value + np.where(keeps_job, 1e6, 0.0)
    locked_workers = np.bincount(
        household_of[(indexed.current_job >= 0) & locked[household_of]], minlength=len(locked)
    )
    seekers = np.bincount(household_of[indexed.seeks_work], minlength=len(locked))

    # Alternatives to the favourite job at a site, for when it is full: a lone worker gets
    # a column for every eligible job; larger households one set of second choices.
    lone = seekers[pair_household[order]] == 1
    singles = order[lone & (choice_rank > 0)]
    second = order[~lone & (choice_rank == 1)]
    second_key = pairs.person[second] * n_sites + pair_site[second]
    best_key = pairs.person[best] * n_sites + pair_site[best]
    group_of_second = np.unique(pair_household[second] * n_sites + pair_site[second])
    best_group = pair_household[best] * n_sites + pair_site[best]
    fallback = best[np.isin(best_group, group_of_second) & ~np.isin(best_key, second_key)]
    blocks = [
        _nested_patterns(best, rank_value, pair_household, pair_site, n_sites),
        _nested_patterns(
            np.concatenate([second, fallback]), rank_value, pair_household, pair_site, n_sites
        ),
        (singles, np.arange(len(singles)), singles, np.ones(len(singles), np.int64)),
    ]
    pattern_rows_list, entry_pattern_list, entry_rows_list, size_list = [], [], [], []
    offset = 0
    for pattern_rows_block, entry_pattern, entry_rows, pattern_size in blocks:
        pattern_rows_list.append(pattern_rows_block)
        entry_pattern_list.append(entry_pattern + offset)
        entry_rows_list.append(entry_rows)
        size_list.append(pattern_size)
        offset += len(pattern_rows_block)
    pattern_rows = np.concatenate(pattern_rows_list)
    work_inverse = np.concatenate(entry_pattern_list)
    member_rows = np.concatenate(entry_rows_list)
    pattern_size = np.concatenate(size_list)

    # A pattern that needs more slots of one job than the job has can never be used.
    n_jobs = max(len(indexed.job_slots), 1)
    job_key = work_inverse * n_jobs + pairs.job[member_rows]
    unique_keys, key_counts = np.unique(job_key, return_counts=True)
    too_many = key_counts > indexed.job_slots[unique_keys % n_jobs]
    infeasible = np.zeros(len(pattern_rows), dtype=bool)
    infeasible[unique_keys[too_many] // n_jobs] = True
    drops_a_worker = pattern_size < locked_workers[pair_household[pattern_rows]]
    keep_pattern = ~infeasible & ~drops_a_worker
    new_id = np.cumsum(keep_pattern) - 1
    kept_entries = keep_pattern[work_inverse]
    work_inverse = new_id[work_inverse[kept_entries]]
    member_rows = member_rows[kept_entries]
    pattern_rows = pattern_rows[keep_pattern]
    n_work = len(pattern_rows)
    work_value = np.bincount(work_inverse, weights=value[member_rows], minlength=n_work)
    work_household = pair_household[pattern_rows]

    columns_household = [work_household]
    columns_site = [pair_site[pattern_rows]]
    columns_value = [
        work_value + housing_net[pair_site[pattern_rows]] * indexed.household_size[work_household]
    ]
    member_column = [work_inverse]
    member_person = [pairs.person[member_rows]]
    member_job = [pairs.job[member_rows]]

    housing_sites = housing_candidate_sites(indexed, pairs)
    free_households = np.flatnonzero(~locked)
    counts = np.array([len(housing_sites[h]) for h in free_households], dtype=np.int64)
    housing_household = np.repeat(free_households, counts)
    housing_site = (
        np.concatenate([housing_sites[h] for h in free_households])
        if len(free_households)
        else np.zeros(0, np.int64)
    )
    columns_household.append(housing_household)
    columns_site.append(housing_site)
    columns_value.append(housing_net[housing_site] * indexed.household_size[housing_household])

    # The "keep" column of each locked household: current workers keep their jobs, nobody
    # else is employed. It guarantees the model stays feasible.
    locked_households = np.flatnonzero(locked)
    keep_start = n_work + len(housing_household)
    keep_column_of = np.full(len(locked), -1, dtype=np.int64)
    keep_column_of[locked_households] = keep_start + np.arange(len(locked_households))
    workers = np.flatnonzero((indexed.current_job >= 0) & locked[household_of])
    worker_rows = np.flatnonzero(
        (indexed.current_job[pairs.person] == pairs.job) & locked[pair_household]
    )
    columns_household.append(locked_households)
    columns_site.append(found.household_site[locked_households])
    keep_value = np.bincount(
        pair_household[worker_rows], weights=value[worker_rows], minlength=len(locked)
    )[locked_households]
    columns_value.append(
        keep_value
        + housing_net[found.household_site[locked_households]]
        * indexed.household_size[locked_households]
    )
    member_column.append(keep_column_of[household_of[workers]])
    member_person.append(workers)
    member_job.append(indexed.current_job[workers])

    return Columns(
        n_work=n_work,
        household=np.concatenate(columns_household),
        site=np.concatenate(columns_site),
        value=np.concatenate(columns_value),
        member_column=np.concatenate(member_column),
        member_person=np.concatenate(member_person),
        member_job=np.concatenate(member_job),
    )
