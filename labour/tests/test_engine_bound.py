"""The household solver's bound is a proven upper bound: checked against every feasible
placement of small instances, enumerated exhaustively."""

from __future__ import annotations

import itertools

import numpy as np
import pytest

from labour.engine.arrays import build_candidate_pairs, index_instance
from labour.engine.checker import check_placements
from labour.engine.engine import plan_placement
from labour.engine.history import GroundTruthRetention
from labour.engine.instances import generate_household_instance, make_instance
from labour.engine.model import Job, Person, PlacementInstance, PlacementPolicy, Site


def _small_instance(seed: int) -> PlacementInstance:
    """Four households of one or two people, two sites with two scarce jobs each."""
    rng = np.random.default_rng(seed)
    sites = [
        Site(f"S{s}", f"S{s}", "farm", int(rng.integers(3, 6)), housing_type=str(kind))
        for s, kind in enumerate(rng.choice(["dormitory", "mixed", "family"], size=2))
    ]
    jobs = [
        Job(
            f"J{s}{k}",
            f"S{s}",
            "worker",
            str(rng.choice(["mine", "farm", "factory"])),
            slots=int(rng.integers(1, 3)),
            heaviness=str(rng.choice(["light", "medium", "heavy"])),
            difficulty=float(rng.uniform(0.2, 0.9)),
        )
        for s in range(2)
        for k in range(2)
    ]
    persons = []
    for h in range(4):
        for m in range(int(rng.integers(1, 3))):
            persons.append(
                Person(
                    f"P{h}-{m}",
                    f"H{h}",
                    age=int(rng.integers(17, 58)),
                    sex="F" if rng.random() < 0.5 else "M",
                    fitness=str(rng.choice(["light", "heavy"])),
                    preferred_sectors=tuple(rng.permutation(["mine", "farm", "factory"])[:2]),
                )
            )
    return make_instance(persons, sites, jobs)


def _best_by_enumeration(instance: PlacementInstance, policy: PlacementPolicy) -> float:
    """The optimum over every feasible placement: each household out, or at one site with
    each work seeker in one eligible job there or in none."""
    indexed = index_instance(instance, policy)
    pairs = build_candidate_pairs(indexed, policy, GroundTruthRetention())
    score = {
        (int(p), int(j)): float(s)
        for p, j, s, ok in zip(pairs.person, pairs.job, pairs.score, pairs.eligible, strict=True)
        if ok
    }
    jobs_at = {
        s: [j for j in range(len(instance.jobs)) if indexed.job_site[j] == s]
        for s in range(len(instance.sites))
    }
    options_per_household = []
    for h in range(len(instance.households)):
        members = indexed.household_members[h].tolist()
        options: list[tuple[int, float, tuple[int, ...]]] = [(-1, 0.0, ())]
        for site in range(len(instance.sites)):
            choices = [[-1] + [j for j in jobs_at[site] if (m, j) in score] for m in members]
            for pick in itertools.product(*choices):
                value = policy.housing_value * len(members) + sum(
                    score[(m, j)] for m, j in zip(members, pick, strict=True) if j >= 0
                )
                options.append((site, value, tuple(j for j in pick if j >= 0)))
        options_per_household.append(options)
    best = -np.inf
    for combination in itertools.product(*options_per_household):
        housing = np.zeros(len(instance.sites), dtype=int)
        slots = np.zeros(len(instance.jobs), dtype=int)
        total = 0.0
        for h, (site, value, jobs) in enumerate(combination):
            if site >= 0:
                housing[site] += indexed.household_size[h]
                for j in jobs:
                    slots[j] += 1
                total += value
        if np.all(housing <= indexed.site_housing) and np.all(slots <= indexed.job_slots):
            best = max(best, total)
    return float(best)


@pytest.mark.parametrize("seed", range(8))
def test_bound_is_above_the_exhaustive_optimum_and_the_plan_reaches_it(seed: int) -> None:
    instance = _small_instance(seed)
    policy = PlacementPolicy()
    best = _best_by_enumeration(instance, policy)
    result = plan_placement(instance, GroundTruthRetention(), policy)
    assert not check_placements(instance, result.placements, policy)
    assert result.stats.bound >= best - 1e-6
    assert result.stats.objective <= result.stats.bound + 1e-6
    # The exact MIP over generated columns finds the optimum on instances this small.
    assert result.stats.objective == pytest.approx(best, abs=1e-6)


def test_bound_holds_on_a_mid_size_instance_against_the_full_mip() -> None:
    """On 80 households the MIP over every enumerated column (build_columns' nested
    patterns) cannot beat the proven bound."""
    from labour.engine import households
    from labour.engine.columns import build_columns
    from labour.engine.solution import settlement

    instance = generate_household_instance(n_households=80, n_sites=5, sites_per_household=3)
    policy = PlacementPolicy()
    indexed = index_instance(instance, policy)
    pairs = build_candidate_pairs(indexed, policy, GroundTruthRetention())
    found = settlement(indexed, policy)
    columns = build_columns(indexed, pairs, policy, found)
    model = households._build_model(indexed, columns, policy, found)
    _, _, enumerated_value, status = households._solve(
        model.matrix, model.value, model.row_lower, model.row_upper, True, 30.0
    )
    result = plan_placement(instance, GroundTruthRetention(), policy)
    assert status == "Optimal"
    assert result.stats.bound >= enumerated_value - 1e-6
    assert result.stats.objective >= (1 - 1e-3) * enumerated_value
    assert result.stats.gap < 0.005


@pytest.mark.parametrize("seed", range(8))
def test_the_large_runs_bound_is_above_the_exhaustive_optimum(
    seed: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Very large runs take their bound from Lagrangian prices and the restricted master's
    duals (large.py): it must hold against every feasible placement too."""
    from labour.engine import households

    instance = _small_instance(seed)
    policy = PlacementPolicy()
    best = _best_by_enumeration(instance, policy)
    monkeypatch.setattr(households, "LP_MAX_HOUSEHOLDS", 0)
    result = plan_placement(instance, GroundTruthRetention(), policy)
    assert result.stats.method == "lagrangian_prices_restricted_master"
    assert not check_placements(instance, result.placements, policy)
    assert result.stats.bound >= best - 1e-6
    assert result.stats.objective <= best + 1e-6
