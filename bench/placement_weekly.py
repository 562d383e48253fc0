"""Part (d) of the placement benchmark: weekly batches over a year of arrivals, each placed
on the capacity earlier weeks left, with bid prices from a forecast of the rest of the year,
against the hindsight optimum of placing the whole year at once."""

from __future__ import annotations

import sys
import time
from dataclasses import replace
from typing import Any

import numpy as np

from labour.engine.arrays import (
    CandidatePairs,
    IndexedInstance,
    build_candidate_pairs,
    index_instance,
)
from labour.engine.engine import solve_indexed
from labour.engine.history import GroundTruthRetention
from labour.engine.instances import generate_household_instance
from labour.engine.model import PlacementInstance, PlacementPolicy
from labour.engine.retention import RetentionModel
from labour.engine.solution import objective_value, pair_rows

PRICE_REFRESH_WEEKS = 4
"""Bid prices are recomputed monthly from the forecast of the rest of the year."""


def log(message: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


def expected_retention(
    indexed: IndexedInstance, truth: CandidatePairs, person_job: np.ndarray
) -> dict[str, float]:
    """Ground-truth expected number staying 180 days among the employed."""
    employed = np.flatnonzero(person_job >= 0)
    rows = pair_rows(indexed, truth, employed, person_job[employed])
    stayers = float(truth.stay[rows].sum())
    return {
        "employed": int(len(employed)),
        "expected_stayers_180d": round(stayers, 1),
        "mean_retention_of_employed": round(stayers / max(len(employed), 1), 4),
    }


def part_d(
    sizes: dict[str, int], model: RetentionModel, policy: PlacementPolicy, seed: int
) -> dict[str, Any]:
    instance = generate_household_instance(
        sizes["dynamic_households"], sizes["dynamic_sites"], seed=seed + 1
    )
    weeks = sizes["weeks"]
    log(f"(d) {len(instance.households)} households arriving over {weeks} weeks")
    indexed = index_instance(instance)
    pairs = build_candidate_pairs(indexed, policy, model)
    truth = build_candidate_pairs(indexed, policy, GroundTruthRetention())
    hindsight, _ = solve_indexed(indexed, pairs, policy)
    hindsight_value = objective_value(
        indexed, pairs, policy, hindsight.person_job, hindsight.person_site
    )

    forecast = _forecast(instance, sizes, seed)
    forecast_week = {
        h.household_id: h.arrival_order * weeks // len(forecast.households)
        for h in forecast.households
    }
    week_of = {
        h.household_id: h.arrival_order * weeks // len(instance.households)
        for h in instance.households
    }
    slots = {job.job_id: job.slots for job in instance.jobs}
    housing = {site.site_id: site.housing_places for site in instance.sites}
    person_job = np.full(indexed.n_persons, -1)
    person_site = np.full(indexed.n_persons, -1)
    started = time.perf_counter()
    for week in range(weeks):
        batch = [h for h in instance.households if week_of[h.household_id] == week]
        member_ids = {m for h in batch for m in h.member_ids}
        weekly = replace(
            instance,
            persons=tuple(p for p in instance.persons if p.person_id in member_ids),
            households=tuple(batch),
            jobs=tuple(replace(j, slots=slots[j.job_id]) for j in instance.jobs),
            sites=tuple(replace(s, housing_places=housing[s.site_id]) for s in instance.sites),
        )
        if week % PRICE_REFRESH_WEEKS == 0:
            reserve = _reserve_prices(forecast, forecast_week, week, slots, housing, model, policy)
        # The last week has no later arrivals to keep places for.
        week_policy = (
            policy
            if week == weeks - 1
            else replace(policy, job_reserve_prices=reserve[0], housing_reserve_prices=reserve[1])
        )
        _apply_week(weekly, model, week_policy, indexed, slots, housing, person_job, person_site)
    dynamic_value = objective_value(indexed, pairs, policy, person_job, person_site)
    log(f"(d) weekly {dynamic_value:.1f} against hindsight {hindsight_value:.1f}")
    return {
        "households": len(instance.households),
        "weeks": weeks,
        "seconds_weekly_total": round(time.perf_counter() - started, 2),
        "hindsight_objective": round(hindsight_value, 3),
        "hindsight_bound": round(hindsight.bound, 3),
        "weekly_objective": round(dynamic_value, 3),
        "weekly_to_hindsight": round(dynamic_value / hindsight_value, 4),
        "weekly_to_hindsight_bound": round(dynamic_value / hindsight.bound, 4),
        "hindsight_retention": expected_retention(indexed, truth, hindsight.person_job),
        "weekly_retention": expected_retention(indexed, truth, person_job),
        "target": "weekly_to_hindsight >= 0.95",
    }


def _forecast(instance: PlacementInstance, sizes: dict[str, int], seed: int) -> PlacementInstance:
    """A year of arrivals like last year's: another sample from the same generator, on the
    same sites and jobs."""
    other = generate_household_instance(
        sizes["dynamic_households"], sizes["dynamic_sites"], seed=seed + 1000
    )
    return replace(
        instance,
        persons=other.persons,
        households=other.households,
        candidate_job_ids=other.candidate_job_ids,
        candidate_site_ids=other.candidate_site_ids,
    )


def _reserve_prices(
    forecast: PlacementInstance,
    forecast_week: dict[str, int],
    week: int,
    slots: dict[str, int],
    housing: dict[str, int],
    model: RetentionModel,
    policy: PlacementPolicy,
) -> tuple[dict[str, float], dict[str, float]]:
    """Bid prices: the engine's duals when the forecast arrivals of the rest of the year are
    placed on the capacity that is actually left."""
    households = tuple(h for h in forecast.households if forecast_week[h.household_id] >= week)
    member_ids = {m for h in households for m in h.member_ids}
    remaining = replace(
        forecast,
        persons=tuple(p for p in forecast.persons if p.person_id in member_ids),
        households=households,
        jobs=tuple(replace(j, slots=slots[j.job_id]) for j in forecast.jobs),
        sites=tuple(replace(s, housing_places=housing[s.site_id]) for s in forecast.sites),
    )
    if not remaining.persons:
        return {}, {}
    indexed = index_instance(remaining)
    solution, _ = solve_indexed(indexed, build_candidate_pairs(indexed, policy, model), policy)
    job_prices = {
        j.job_id: float(p) for j, p in zip(remaining.jobs, solution.job_price, strict=True)
    }
    site_prices = {
        s.site_id: float(p) for s, p in zip(remaining.sites, solution.site_price, strict=True)
    }
    return job_prices, site_prices


def _apply_week(
    weekly: PlacementInstance,
    model: RetentionModel,
    policy: PlacementPolicy,
    indexed: IndexedInstance,
    slots: dict[str, int],
    housing: dict[str, int],
    person_job: np.ndarray,
    person_site: np.ndarray,
) -> None:
    """Place one week's arrivals on what capacity is left; earlier weeks stay where they are."""
    if not weekly.persons:
        return
    week_indexed = index_instance(weekly)
    week_pairs = build_candidate_pairs(week_indexed, policy, model)
    solution, _ = solve_indexed(week_indexed, week_pairs, policy)
    for row, person in enumerate(weekly.persons):
        full_row = indexed.person_index[person.person_id]
        if solution.person_site[row] >= 0:
            site = weekly.sites[solution.person_site[row]]
            housing[site.site_id] -= 1
            person_site[full_row] = indexed.site_index[site.site_id]
        if solution.person_job[row] >= 0:
            job = weekly.jobs[solution.person_job[row]]
            slots[job.job_id] -= 1
            person_job[full_row] = indexed.job_index[job.job_id]
