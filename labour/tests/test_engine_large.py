"""The household solver's proven bound, its large-model path, and bid prices for weekly
batches."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest

from labour.engine import households
from labour.engine.arrays import RetentionPredictor, build_candidate_pairs, index_instance
from labour.engine.checker import check_placements
from labour.engine.engine import plan_placement
from labour.engine.flow import solve_flow
from labour.engine.history import GroundTruthRetention
from labour.engine.instances import (
    generate_household_instance,
    generate_worker_instance,
    make_instance,
)
from labour.engine.model import (
    Job,
    Person,
    PlacementInstance,
    PlacementPolicy,
    PlacementStatus,
    Site,
)
from labour.engine.solution import Solution, settlement


def test_large_path_rounds_the_lp_and_stays_under_the_same_proven_bound(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    instance = generate_household_instance(n_households=300, n_sites=10, sites_per_household=5)
    retention = GroundTruthRetention()
    exact = plan_placement(instance, retention)
    monkeypatch.setattr(households, "MIP_MAX_HOUSEHOLDS", 0)
    rounded = plan_placement(instance, retention)
    assert exact.stats.method == "column_generation_mip"
    assert rounded.stats.method == "lp_round_repair"
    assert check_placements(instance, rounded.placements) == []
    # Both bounds are proven: neither solver can beat the other's bound.
    assert rounded.stats.objective <= exact.stats.bound + 1e-6
    assert exact.stats.objective <= rounded.stats.bound + 1e-6
    assert exact.stats.gap < 0.005 and rounded.stats.gap < 0.01
    assert all(p.reason for p in rounded.placements)


def test_reserve_prices_keep_a_place_for_later_arrivals() -> None:
    persons = [Person("early", "H1", age=30, sex="M")]
    jobs = [Job("farm", "S1", "farmer", "farm", 1)]
    instance = make_instance(persons, [Site("S1", "s", "farm", 1)], jobs)

    class Fixed:
        def predict_stay(self, features: np.ndarray) -> np.ndarray:
            return np.full(len(features), 0.6)

    free = plan_placement(instance, Fixed())
    kept = plan_placement(instance, Fixed(), PlacementPolicy(job_reserve_prices={"farm": 0.9}))
    assert free.placements[0].status == PlacementStatus.PLACED
    # Worth 0.6 now, 0.9 later: the slot is kept (the housing is still given).
    assert kept.placements[0].status == PlacementStatus.HOUSED
    cheap = replace(PlacementPolicy(), job_reserve_prices={"farm": 0.3})
    assert plan_placement(instance, Fixed(), cheap).placements[0].job_id == "farm"


def test_flow_pricing_rounds_certify_the_same_optimum() -> None:
    instance = generate_worker_instance(n_people=300, n_jobs=40, n_sites=5, seed=5)
    policy = PlacementPolicy()
    indexed = index_instance(instance)
    pairs = build_candidate_pairs(indexed, policy, GroundTruthRetention())
    found = settlement(indexed, policy)
    full = solve_flow(indexed, pairs, policy, found)
    priced = solve_flow(indexed, pairs, policy, found, initial_arcs_per_person=2)
    assert priced.objective == pytest.approx(full.objective, abs=1e-6)
    assert not priced.notes[0].startswith("1 pricing rounds")
    assert np.all(full.job_price >= 0) and np.all(full.site_price >= 0)


def _flow(
    instance: PlacementInstance,
    policy: PlacementPolicy,
    split: bool | None,
    retention: RetentionPredictor | None = None,
) -> Solution:
    indexed = index_instance(instance)
    pairs = build_candidate_pairs(indexed, policy, retention or GroundTruthRetention())
    return solve_flow(indexed, pairs, policy, settlement(indexed, policy), split=split)


@pytest.mark.parametrize("housing_factor", [1, 20])
def test_jobs_first_split_reaches_the_same_optimum_and_prices(housing_factor: int) -> None:
    instance = generate_worker_instance(n_people=2000, n_jobs=150, n_sites=8, seed=11)
    sites = tuple(
        replace(s, housing_places=s.housing_places * housing_factor) for s in instance.sites
    )
    instance = replace(instance, sites=sites)
    policy = PlacementPolicy()
    one_network = _flow(instance, policy, split=False)
    split = _flow(instance, policy, split=True)
    assert "jobs first, then housing" in split.notes[0]
    assert split.objective == pytest.approx(one_network.objective, abs=1e-9)
    assert np.array_equal(split.job_price, one_network.job_price)
    assert np.array_equal(split.site_price, one_network.site_price)
    # Housing is contested at every site only when it is scarce: then the split is the default.
    automatic = _flow(instance, policy, split=None)
    assert ("jobs first" in automatic.notes[0]) == (housing_factor == 1)


def test_a_split_that_is_not_optimal_is_not_kept() -> None:
    # The job is worth less than housing elsewhere would be, but this person may be housed
    # nowhere without work: the split (which charges the job the housing value) would leave
    # them out, the full network places them.
    person = Person("p", "H1", age=30, sex="M")
    instance = replace(
        make_instance([person], [Site("S1", "s", "farm", 5)], [Job("farm", "S1", "f", "farm", 1)]),
        candidate_site_ids={"H1": ()},
    )
    policy = PlacementPolicy(preference_weight=0.0, job_reserve_prices={"farm": 0.52})

    class HalfStay:
        def predict_stay(self, features: np.ndarray) -> np.ndarray:
            return np.full(len(features), 0.5)

    # Worth 0.5 + 0.05 housing - 0.52 reserve = 0.03 in the job, 0 outside.
    solution = _flow(instance, policy, split=True, retention=HalfStay())
    assert "was not certified" in solution.notes[0]
    assert solution.person_job[0] == 0


def test_very_large_runs_price_first_and_stay_under_the_same_proven_bound(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    instance = generate_household_instance(n_households=300, n_sites=10, sites_per_household=5)
    retention = GroundTruthRetention()
    exact = plan_placement(instance, retention)
    monkeypatch.setattr(households, "LP_MAX_HOUSEHOLDS", 100)
    priced = plan_placement(instance, retention)
    assert priced.stats.method == "lagrangian_prices_restricted_master"
    assert check_placements(instance, priced.placements) == []
    # Both bounds are proven: neither solver can beat the other's bound.
    assert priced.stats.objective <= exact.stats.bound + 1e-6
    assert exact.stats.objective <= priced.stats.bound + 1e-6
    # The prices' restricted master keeps what an optimal plan needs.
    assert priced.stats.objective >= 0.99 * exact.stats.objective
    assert priced.stats.gap < 0.02
    assert all(p.reason for p in priced.placements)


def test_very_large_runs_whose_lp_does_not_finish_still_get_a_feasible_plan(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from labour.engine import large

    instance = generate_household_instance(n_households=300, n_sites=10, sites_per_household=5)
    retention = GroundTruthRetention()
    exact = plan_placement(instance, retention)
    monkeypatch.setattr(households, "LP_MAX_HOUSEHOLDS", 100)
    monkeypatch.setattr(
        large._MasterLP, "solve", lambda self, limit: (np.zeros(0), None, 0.0, "Time limit reached")
    )
    greedy = plan_placement(instance, retention)
    assert greedy.stats.method == "lagrangian_prices_greedy"
    assert check_placements(instance, greedy.placements) == []
    assert greedy.stats.objective <= exact.stats.bound + 1e-6
    assert exact.stats.objective <= greedy.stats.bound + 1e-6
