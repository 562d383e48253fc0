"""Every household option at once: the proven bound and the pricing of new columns.

A household option is a site for the whole household plus, for each work seeker, one job at
that site or none. There are exponentially many, so they are never listed. With prices on
the capacities (pi per job slot, sigma per housing place, mu per minimum-share row) an
option's reduced value is

    sum over members of (value of the member's pair - pi_job + mu . groups of the member)
    + members x (housing value - sigma_site).

Relaxing "two members of one household may not take more slots of a job than it has" makes
each member's choice independent, so the best option of a household at a site is the sum of
each member's best reduced pair there (or nothing), and the best option overall is the best
site (or staying out, unless the household may not move). Weak duality then gives, for ANY
prices >= 0 (mu at most the shortfall penalty),

    g(prices) = pi . slots + sigma . places - mu . required + sum_h best_h(prices)
              >= the best feasible placement,

because every feasible placement is one of the options (the relaxation only adds options).
That is the bound the engine reports; it is exact arithmetic on the full model, not on the
columns a solver happened to generate. The same evaluation yields each household's best
column per site: column generation adds those whose reduced value beats the household's
dual price.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

import numpy as np
from scipy.optimize import linear_sum_assignment

from labour.engine.arrays import CandidatePairs, IndexedInstance
from labour.engine.columns import Columns, housing_candidate_sites
from labour.engine.model import PlacementPolicy
from labour.engine.solution import Settlement, reserve_prices, stay_bonus_per_pair


def _starts(keys: np.ndarray) -> np.ndarray:
    if len(keys) == 0:
        return np.zeros(0, dtype=np.int64)
    return np.flatnonzero(np.concatenate([[True], keys[1:] != keys[:-1]]))


@dataclass
class OptionSpace:
    """Usable pairs grouped by (person, site), and (household, site) options."""

    n_jobs: int
    n_sites: int
    n_households: int
    pair_value: np.ndarray
    """Objective value of each usable pair (score + stay bonus - reserve), sorted by
    (household, site, person)."""
    pair_job: np.ndarray
    pair_person: np.ndarray
    pair_groups: np.ndarray
    """(pairs, shares) 0/1: the member counts towards each minimum share."""
    ps_starts: np.ndarray
    """Start of each (person, site) run in the sorted pairs."""
    ps_forced: np.ndarray
    """The run is a locked worker's current job: taken whatever its reduced value."""
    ps_option: np.ndarray
    """Option (household-site row) of each (person, site) run."""
    option_household: np.ndarray
    option_site: np.ndarray
    option_size: np.ndarray
    option_housing: np.ndarray
    """Housing value net of reserve prices, for the whole household."""
    option_starts: np.ndarray
    """Start of each household's run of options (households with options only)."""
    option_owner: np.ndarray
    """Household of each run in option_starts."""
    may_stay_out: np.ndarray
    """Per run in option_starts: the household may be left out (False when locked)."""
    job_slots: np.ndarray
    site_housing: np.ndarray
    share_required: np.ndarray
    share_cap: float

    @property
    def n_shares(self) -> int:
        return len(self.share_required)

    @cached_property
    def run_of_pair(self) -> np.ndarray:
        """The (person, site) run of each pair."""
        lengths = np.diff(np.append(self.ps_starts, len(self.pair_value)))
        return np.repeat(np.arange(len(self.ps_starts)), lengths)

    @cached_property
    def run_layers(self) -> list[tuple[np.ndarray, np.ndarray]]:
        """For k = 1, 2, ...: the runs longer than k and their k-th pair (from 0). Runs hold
        one to a few pairs, so a maximum per run taken layer by layer is several times
        faster than numpy's reduceat, which the price search calls hundreds of times."""
        lengths = np.diff(np.append(self.ps_starts, len(self.pair_value)))
        layers = []
        for k in range(1, int(lengths.max(initial=1))):
            runs = np.flatnonzero(lengths > k)
            layers.append((runs, self.ps_starts[runs] + k))
        return layers

    def run_max(self, pair_values: np.ndarray) -> np.ndarray:
        """Largest of `pair_values` in each (person, site) run."""
        peak = pair_values[self.ps_starts]
        for runs, pairs in self.run_layers:
            peak[runs] = np.maximum(peak[runs], pair_values[pairs])
        return peak

    def run_sum(self, pair_values: np.ndarray) -> np.ndarray:
        """Sum of `pair_values` in each (person, site) run."""
        return np.bincount(self.run_of_pair, weights=pair_values, minlength=len(self.ps_starts))

    def split(self, prices: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        return (
            prices[: self.n_jobs],
            prices[self.n_jobs : self.n_jobs + self.n_sites],
            prices[self.n_jobs + self.n_sites :],
        )

    def rhs(self) -> np.ndarray:
        return np.concatenate(
            [
                self.job_slots.astype(float),
                self.site_housing.astype(float),
                -self.share_required.astype(float),
            ]
        )


def build_option_space(
    indexed: IndexedInstance,
    pairs: CandidatePairs,
    policy: PlacementPolicy,
    found: Settlement,
    share_masks: list[np.ndarray],
    share_required: np.ndarray,
    share_cap: float,
) -> OptionSpace:
    n_sites, n_jobs = len(indexed.site_housing), len(indexed.job_slots)
    n_households = len(indexed.household_size)
    household_of = indexed.person_household
    locked = found.locked_household
    job_reserve, site_reserve = reserve_prices(indexed, policy)
    value = (
        pairs.score + stay_bonus_per_pair(indexed, pairs, policy, found) - job_reserve[pairs.job]
    )
    pair_site = indexed.job_site[pairs.job]
    pair_household = household_of[pairs.person]
    usable = pairs.eligible.copy()
    usable &= ~locked[pair_household] | (pair_site == found.household_site[pair_household])
    has_job = indexed.current_job[pairs.person] >= 0
    is_current = pairs.job == indexed.current_job[pairs.person]
    usable &= ~(locked[pair_household] & has_job) | is_current
    rows = np.flatnonzero(usable)
    rows = rows[np.lexsort((pairs.person[rows], pair_site[rows], pair_household[rows]))]
    ps_key = pairs.person[rows] * n_sites + pair_site[rows]
    ps_starts = _starts(ps_key)
    forced_pair = locked[pair_household[rows]] & has_job[rows]
    ps_forced = forced_pair[ps_starts] if len(rows) else np.zeros(0, dtype=bool)
    ps_household = pair_household[rows][ps_starts] if len(rows) else np.zeros(0, np.int64)
    ps_site = pair_site[rows][ps_starts] if len(rows) else np.zeros(0, np.int64)

    # Options: the sites of a household's usable pairs, its housing sites (free households)
    # and its current site (locked households).
    housing_sites = housing_candidate_sites(indexed, pairs)
    free = np.flatnonzero(~locked)
    counts = np.array([len(housing_sites[h]) for h in free], dtype=np.int64)
    extra_household = np.repeat(free, counts)
    extra_site = (
        np.concatenate([housing_sites[h] for h in free]) if len(free) else np.zeros(0, np.int64)
    )
    locked_households = np.flatnonzero(locked)
    option_keys = np.unique(
        np.concatenate(
            [
                ps_household * n_sites + ps_site,
                extra_household * n_sites + extra_site,
                locked_households * n_sites + found.household_site[locked_households],
            ]
        )
    )
    # A locked household has one option: its site.
    option_household = option_keys // n_sites
    option_site = option_keys % n_sites
    keep = ~locked[option_household] | (option_site == found.household_site[option_household])
    option_keys = option_keys[keep]
    option_household, option_site = option_household[keep], option_site[keep]
    ps_option = np.searchsorted(option_keys, ps_household * n_sites + ps_site)
    option_starts = _starts(option_household)
    option_owner = option_household[option_starts] if len(option_starts) else option_starts
    size = indexed.household_size[option_household].astype(float)
    groups = np.zeros((len(rows), len(share_masks)), dtype=float)
    for index, mask in enumerate(share_masks):
        groups[:, index] = mask[pairs.person[rows]]
    return OptionSpace(
        n_jobs=n_jobs,
        n_sites=n_sites,
        n_households=n_households,
        pair_value=value[rows],
        pair_job=pairs.job[rows],
        pair_person=pairs.person[rows],
        pair_groups=groups,
        ps_starts=ps_starts,
        ps_forced=ps_forced,
        ps_option=ps_option,
        option_household=option_household,
        option_site=option_site,
        option_size=size,
        option_housing=size * (policy.housing_value - site_reserve[option_site]),
        option_starts=option_starts,
        option_owner=option_owner,
        may_stay_out=~locked[option_owner],
        job_slots=indexed.job_slots,
        site_housing=indexed.site_housing,
        share_required=share_required,
        share_cap=share_cap,
    )


def reduced_pairs(space: OptionSpace, prices: np.ndarray) -> np.ndarray:
    job_price, _site_price, share_price = space.split(prices)
    reduced = space.pair_value - job_price[space.pair_job]
    if space.n_shares:
        reduced = reduced + space.pair_groups @ share_price
    return reduced


def member_choices(space: OptionSpace, reduced: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Each (person, site) run's best reduced value (0 = no job, unless a locked worker) and
    the pair it takes (-1 = none), with the household's members at one site never taking
    more slots of a job than it has: where their independent choices would, that option's
    members are assigned exactly (a small assignment problem)."""
    starts = space.ps_starts
    n_runs = len(starts)
    if len(reduced) == 0:
        return np.zeros(n_runs), np.full(n_runs, -1, dtype=np.int64)
    ends = np.append(starts[1:], len(reduced))
    run_of_pair = space.run_of_pair
    peak = space.run_max(reduced)
    hits = np.flatnonzero(reduced >= peak[run_of_pair])
    best_pair = hits[np.searchsorted(run_of_pair[hits], np.arange(n_runs))]
    takes = space.ps_forced | (peak > 0.0)
    value = np.where(takes, peak, 0.0)
    chosen = np.where(takes, best_pair, -1)
    # Conflicts: more members of one option on one job than the job has slots.
    taking = np.flatnonzero(takes)
    key = space.ps_option[taking] * max(space.n_jobs, 1) + space.pair_job[best_pair[taking]]
    unique_keys, counts = np.unique(key, return_counts=True)
    over = counts > space.job_slots[unique_keys % max(space.n_jobs, 1)]
    if not over.any():
        return value, chosen
    for option in np.unique(unique_keys[over] // max(space.n_jobs, 1)).tolist():
        runs = np.flatnonzero(space.ps_option == option)
        _assign_exactly(space, reduced, runs, starts, ends, value, chosen)
    return value, chosen


def _assign_exactly(
    space: OptionSpace,
    reduced: np.ndarray,
    runs: np.ndarray,
    starts: np.ndarray,
    ends: np.ndarray,
    value: np.ndarray,
    chosen: np.ndarray,
) -> None:
    """Best assignment of one option's members to slots (or to nothing), in place."""
    pair_rows = [np.arange(starts[r], ends[r]) for r in runs.tolist()]
    jobs = np.unique(np.concatenate([space.pair_job[rows] for rows in pair_rows]))
    n_members = len(runs)
    copies = np.minimum(space.job_slots[jobs], n_members)
    slot_job = np.repeat(jobs, copies)
    blocked = -1e9
    # Columns: one per usable slot, then one "no job" per member.
    gain = np.full((n_members, len(slot_job) + n_members), blocked)
    for member, rows in enumerate(pair_rows):
        for row in rows.tolist():
            gain[member, : len(slot_job)][slot_job == space.pair_job[row]] = reduced[row]
        if not space.ps_forced[runs[member]]:
            gain[member, len(slot_job) + member] = 0.0
    member_index, column = linear_sum_assignment(gain, maximize=True)
    for member, col in zip(member_index.tolist(), column.tolist(), strict=True):
        run = runs[member]
        if col >= len(slot_job) or gain[member, col] <= blocked:
            value[run], chosen[run] = 0.0, -1
            continue
        rows = pair_rows[member]
        row = rows[space.pair_job[rows] == slot_job[col]][0]
        value[run], chosen[run] = reduced[row], row


def option_values(
    space: OptionSpace, prices: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Reduced value of each option (best member choices), each pair's reduced value, and the
    pair each (person, site) run takes (-1 = none)."""
    _job_price, site_price, _share_price = space.split(prices)
    reduced = reduced_pairs(space, prices)
    ps_value, chosen = member_choices(space, reduced)
    option = (
        space.option_housing
        - site_price[space.option_site] * space.option_size
        + np.bincount(space.ps_option, weights=ps_value, minlength=len(space.option_site))
    )
    return option, reduced, chosen


def bound(space: OptionSpace, prices: np.ndarray) -> float:
    """g(prices): an upper bound on every feasible placement (see module docstring)."""
    prices = clip_prices(space, prices)
    option, _, _ = option_values(space, prices)
    best = np.maximum.reduceat(option, space.option_starts) if len(option) else np.zeros(0)
    best = np.where(space.may_stay_out, np.maximum(best, 0.0), best)
    return float(prices @ space.rhs() + best.sum())


def clip_prices(space: OptionSpace, prices: np.ndarray) -> np.ndarray:
    upper = np.concatenate(
        [np.full(space.n_jobs + space.n_sites, np.inf), np.full(space.n_shares, space.share_cap)]
    )
    return np.clip(prices, 0.0, upper)


def price_columns(
    space: OptionSpace,
    prices: np.ndarray,
    household_price: np.ndarray | None,
    per_household: int,
) -> Columns:
    """Each household's best `per_household` options at these prices as columns, when their
    reduced value beats the household's own dual price (all of them when None).

    A member takes their best reduced job at the site when it is worth more than nothing
    (locked workers keep theirs); if more members want one job than it has slots, the
    weakest claims are dropped, so every column is feasible on its own.
    """
    prices = clip_prices(space, prices)
    option, _, taken = option_values(space, prices)
    threshold = (
        np.zeros(len(space.option_starts))
        if household_price is None
        else household_price[space.option_owner]
    )
    o_starts = space.option_starts
    run_of_option = np.repeat(np.arange(len(o_starts)), np.diff(np.append(o_starts, len(option))))
    order = np.lexsort((-option, run_of_option))
    rank = np.arange(len(order)) - o_starts[run_of_option[order]]
    chosen = order[rank < per_household]
    worth = option[chosen] > threshold[run_of_option[chosen]] + 1e-9
    locked_option = ~space.may_stay_out[run_of_option[chosen]]
    chosen = np.sort(chosen[worth | locked_option])
    return columns_for_options(space, chosen, taken)


def columns_for_options(space: OptionSpace, options: np.ndarray, taken: np.ndarray) -> Columns:
    """Columns of the given options, each member on the pair `member_choices` gave them."""
    wanted = np.zeros(len(space.option_site), dtype=bool)
    wanted[options] = True
    runs = np.flatnonzero((taken >= 0) & wanted[space.ps_option])
    members = taken[runs]
    column_of_option = np.full(len(space.option_site), -1, dtype=np.int64)
    column_of_option[options] = np.arange(len(options))
    member_column = column_of_option[space.ps_option[runs]]
    value = space.option_housing[options] + np.bincount(
        member_column, weights=space.pair_value[members], minlength=len(options)
    )
    return Columns(
        n_work=len(options),
        household=space.option_household[options],
        site=space.option_site[options],
        value=value,
        member_column=member_column,
        member_person=space.pair_person[members],
        member_job=space.pair_job[members],
        member_value=space.pair_value[members],
    )


def nested_variants(columns: Columns, member_value: np.ndarray, skip: np.ndarray) -> Columns:
    """For each column employing two or more people, the columns that keep only its k best
    workers (k = 1 .. n-1): smaller options for the MIP when slots are nearly full.
    `member_value` is each member entry's pair value; households in `skip` (locked ones,
    whose workers may not be dropped) get none."""
    order = np.lexsort((-member_value, columns.member_column))
    column_of = columns.member_column[order]
    starts = np.searchsorted(column_of, column_of, side="left")
    size = np.bincount(columns.member_column, minlength=len(columns))
    eligible = (size >= 2) & ~skip[columns.household]
    # Variant (c, k) keeps members of rank < k, for k = 1 .. size-1.
    parent = np.repeat(np.arange(len(columns)), np.where(eligible, size - 1, 0))
    k = (
        np.arange(len(parent))
        - np.repeat(
            np.cumsum(np.where(eligible, size - 1, 0)) - np.where(eligible, size - 1, 0),
            np.where(eligible, size - 1, 0),
        )
        + 1
    )
    # Members of each variant: the parent's entries with rank < k.
    entries_per_variant = k
    variant_of_entry = np.repeat(np.arange(len(parent)), entries_per_variant)
    offset = np.arange(len(variant_of_entry)) - np.repeat(
        np.cumsum(entries_per_variant) - entries_per_variant, entries_per_variant
    )
    first_entry = np.full(len(columns), -1, dtype=np.int64)
    if len(order):
        first_entry[column_of[starts == np.arange(len(order))]] = np.flatnonzero(
            starts == np.arange(len(order))
        )
    entry = order[first_entry[parent[variant_of_entry]] + offset]
    base_value = columns.value - np.bincount(
        columns.member_column, weights=member_value, minlength=len(columns)
    )
    value = base_value[parent] + np.bincount(
        variant_of_entry, weights=member_value[entry], minlength=len(parent)
    )
    return Columns(
        n_work=len(parent),
        household=columns.household[parent],
        site=columns.site[parent],
        value=value,
        member_column=variant_of_entry,
        member_person=columns.member_person[entry],
        member_job=columns.member_job[entry],
        member_value=member_value[entry],
    )
