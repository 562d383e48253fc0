"""The entry point: `plan_placement` turns an instance and a policy into explained placements."""

from __future__ import annotations

import time
from typing import Literal

import numpy as np

from labour.engine.arrays import (
    CandidatePairs,
    IndexedInstance,
    RetentionPredictor,
    build_candidate_pairs,
    index_instance,
)
from labour.engine.explain import capacity_prices, explain
from labour.engine.fairness import fairness_report, share_outcomes
from labour.engine.flow import solve_flow
from labour.engine.households import solve_households
from labour.engine.model import PlacementInstance, PlacementPolicy, PlacementResult, SolveStats
from labour.engine.solution import Settlement, Solution, settlement

Method = Literal["auto", "flow", "households"]


def validate_policy(policy: PlacementPolicy) -> None:
    for share in policy.minimum_shares:
        if not 0.0 <= share.share <= 1.0:
            raise ValueError(f"minimum share of {share.group.name} must be within [0, 1]")
    if policy.housing_value < 0 or policy.stay_bonus < 0:
        raise ValueError("housing value and stay bonus cannot be negative")


def choose_method(indexed: IndexedInstance, policy: PlacementPolicy, method: Method) -> str:
    """The exact flow when every household has one member and no minimum share is set (the
    flow cannot express covering rows); the household LP otherwise."""
    flow_fits = bool(np.all(indexed.household_size == 1)) and not policy.minimum_shares
    if method == "flow" and not flow_fits:
        raise ValueError("the flow needs one-person households and no minimum shares")
    if method == "auto":
        return "flow" if flow_fits else "households"
    return method


def solve_indexed(
    indexed: IndexedInstance,
    pairs: CandidatePairs,
    policy: PlacementPolicy,
    method: Method = "auto",
) -> tuple[Solution, Settlement]:
    """Solve without explanations (used by benchmarks that only need the assignment)."""
    found = settlement(indexed, policy)
    if choose_method(indexed, policy, method) == "flow":
        return solve_flow(indexed, pairs, policy, found), found
    return solve_households(indexed, pairs, policy, found), found


def plan_placement(
    instance: PlacementInstance,
    retention: RetentionPredictor,
    policy: PlacementPolicy | None = None,
    method: Method = "auto",
) -> PlacementResult:
    """Place people in jobs and housing, explain every decision and report fairness.

    Eligibility is a hard filter; households stay at one site; job slots and housing places
    are respected; households already placed are moved only if listed in
    `policy.movable_household_ids`. Raises ValueError for inconsistent input (unknown ids,
    people already placed beyond a capacity, shares outside [0, 1]).
    """
    policy = policy or PlacementPolicy()
    validate_policy(policy)
    timings: dict[str, float] = {}
    started = time.perf_counter()
    indexed = index_instance(instance, policy)
    pairs = build_candidate_pairs(indexed, policy, retention)
    timings["eligibility_and_scoring"] = time.perf_counter() - started
    solution, found = solve_indexed(indexed, pairs, policy, method)
    timings.update(solution.seconds)
    explained_from = time.perf_counter()
    placements = explain(indexed, pairs, solution, found)
    prices = capacity_prices(indexed, solution)
    fairness = fairness_report(indexed, solution, policy)
    shares = share_outcomes(indexed, solution, policy)
    timings["explanations_and_reports"] = time.perf_counter() - explained_from
    timings["total"] = time.perf_counter() - started
    stats = SolveStats(
        method=solution.method,
        objective=solution.objective,
        bound=solution.bound,
        seconds=timings,
        notes=solution.notes,
    )
    return PlacementResult(
        placements=placements, prices=prices, fairness=fairness, shares=shares, stats=stats
    )
