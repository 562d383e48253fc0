"""Placement and housing rates by household size, age group and sex, and minimum shares.

An objective that counts only workers favours small households of adults; these rates make
that visible in every run, and minimum shares let the officer correct it.
"""

from __future__ import annotations

import numpy as np

from labour.engine.arrays import IndexedInstance
from labour.engine.model import GroupRate, PlacementPolicy, ShareOutcome
from labour.engine.solution import Solution

HOUSEHOLD_SIZE_BANDS: tuple[tuple[str, int, int], ...] = (
    ("1", 1, 1),
    ("2", 2, 2),
    ("3-4", 3, 4),
    ("5+", 5, 10**6),
)
AGE_BANDS: tuple[tuple[str, int, int], ...] = (
    ("0-15", 0, 15),
    ("16-30", 16, 30),
    ("31-45", 31, 45),
    ("46-59", 46, 59),
    ("60+", 60, 200),
)


def _rate(
    dimension: str, group: str, mask: np.ndarray, indexed: IndexedInstance, solution: Solution
) -> GroupRate:
    seekers = mask & indexed.seeks_work
    return GroupRate(
        dimension=dimension,
        group=group,
        persons=int(mask.sum()),
        work_seekers=int(seekers.sum()),
        placed_in_job=int(np.count_nonzero(seekers & (solution.person_job >= 0))),
        housed=int(np.count_nonzero(mask & (solution.person_site >= 0))),
    )


def fairness_report(
    indexed: IndexedInstance, solution: Solution, policy: PlacementPolicy
) -> list[GroupRate]:
    """Rates for every household-size band, age band, sex and policy group."""
    size = indexed.household_size[indexed.person_household]
    rates = [
        _rate("household_size", name, (size >= low) & (size <= high), indexed, solution)
        for name, low, high in HOUSEHOLD_SIZE_BANDS
    ]
    rates += [
        _rate("age_group", name, (indexed.age >= low) & (indexed.age <= high), indexed, solution)
        for name, low, high in AGE_BANDS
    ]
    sexes = np.array([person.sex for person in indexed.instance.persons])
    rates += [_rate("sex", sex, sexes == sex, indexed, solution) for sex in sorted(set(sexes))]
    groups = {p.group.name: p.group for p in policy.priorities}
    groups.update({s.group.name: s.group for s in policy.minimum_shares})
    rates += [
        _rate("policy_group", name, indexed.group_mask(group), indexed, solution)
        for name, group in groups.items()
    ]
    return rates


def share_outcomes(
    indexed: IndexedInstance, solution: Solution, policy: PlacementPolicy
) -> list[ShareOutcome]:
    outcomes = []
    for share in policy.minimum_shares:
        seekers = indexed.group_mask(share.group) & indexed.seeks_work
        total = int(seekers.sum())
        placed = int(np.count_nonzero(seekers & (solution.person_job >= 0)))
        achieved = placed / total if total else 1.0
        required = int(np.ceil(share.share * total))
        honoured = placed >= required
        if honoured:
            reason = f"{placed} of {total} work seekers placed; {required} required"
        else:
            reason = (
                f"only {placed} of {total} work seekers could be placed ({required} required):"
                " not enough eligible job slots and housing for the group"
            )
        outcomes.append(ShareOutcome(share.group.name, share.share, achieved, honoured, reason))
    return outcomes
