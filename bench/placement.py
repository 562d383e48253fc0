"""Placement engine benchmark (issue 6, item 9): all parts on the same generated instances.

(a) 100,000 people, 10,000 vacancies, ~30 eligible jobs each: time to the certified optimum
    (min-cost flow), including eligibility, duals and explanations.
(b) 38,000 households, 500 sites, 4 capacity dimensions per site: time and gap to the bound.
(c) On instance (b): expected 180-day retention (ground truth) of the engine against
    first-come-first-served to the shortage, first-come-first-served by stated preference
    and random eligible assignment; each objective as a ratio of the bound.
(d) Weekly batches over a year of arrivals against the hindsight optimum.

Progress goes to stderr; the last line of stdout is one JSON object.
Usage: python bench/placement.py [--quick] [--seed N] [--parts abcd]
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from dataclasses import asdict
from pathlib import Path
from typing import Any

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from placement_weekly import expected_retention, log, part_d  # noqa: E402

from labour.engine.arrays import (  # noqa: E402
    CandidatePairs,
    IndexedInstance,
    RetentionPredictor,
    build_candidate_pairs,
    index_instance,
)
from labour.engine.baselines import run_baseline  # noqa: E402
from labour.engine.checker import check_placements  # noqa: E402
from labour.engine.engine import plan_placement  # noqa: E402
from labour.engine.history import GroundTruthRetention, generate_history  # noqa: E402
from labour.engine.instances import (  # noqa: E402
    generate_household_instance,
    generate_worker_instance,
)
from labour.engine.model import PlacementPolicy  # noqa: E402
from labour.engine.retention import RetentionModel, train_and_report  # noqa: E402
from labour.engine.solution import objective_value  # noqa: E402

FULL = {
    "history": 40_000,
    "people": 100_000,
    "vacancies": 10_000,
    "worker_sites": 500,
    "households": 38_000,
    "sites": 500,
    "dynamic_households": 3_000,
    "dynamic_sites": 50,
    "weeks": 52,
}
QUICK = {
    "history": 6_000,
    "people": 8_000,
    "vacancies": 800,
    "worker_sites": 40,
    "households": 2_000,
    "sites": 30,
    "dynamic_households": 600,
    "dynamic_sites": 12,
    "weeks": 52,
}


class TimedRetention:
    """Wraps a predictor to measure model scoring apart from the engine's own work."""

    def __init__(self, inner: RetentionPredictor) -> None:
        self.inner = inner
        self.seconds = 0.0

    def predict_stay(self, features: np.ndarray) -> np.ndarray:
        started = time.perf_counter()
        result = self.inner.predict_stay(features)
        self.seconds += time.perf_counter() - started
        return result


def part_a(sizes: dict[str, int], model: RetentionModel, seed: int) -> dict[str, Any]:
    log(f"(a) generating {sizes['people']} people, {sizes['vacancies']} vacancies")
    instance = generate_worker_instance(
        sizes["people"], sizes["vacancies"], sizes["worker_sites"], seed=seed
    )
    scorer = TimedRetention(model)
    log("(a) planning (eligibility, scoring, flow, duals, explanations)")
    cpu_started, load_before = time.process_time(), os.getloadavg()[0]
    result = plan_placement(instance, scorer)
    cpu_seconds = time.process_time() - cpu_started
    total = result.stats.seconds["total"]
    violations = check_placements(instance, result.placements)
    with_alternatives = sum(len(p.alternatives) > 0 for p in result.placements)
    without_reason = sum(not p.reason for p in result.placements)
    log(f"(a) {total:.1f} s total, {scorer.seconds:.1f} s of it model scoring")
    return {
        "people": len(instance.persons),
        "vacancies": len(instance.jobs),
        "job_slots": sum(j.slots for j in instance.jobs),
        "method": result.stats.method,
        "seconds_total": round(total, 2),
        "seconds_model_scoring": round(scorer.seconds, 2),
        "seconds_engine_without_model_scoring": round(total - scorer.seconds, 2),
        "seconds_breakdown": {k: round(v, 2) for k, v in result.stats.seconds.items()},
        "cpu_seconds_total": round(cpu_seconds, 2),
        "load_average_1min": [round(load_before, 1), round(os.getloadavg()[0], 1)],
        "objective": round(result.stats.objective, 3),
        "optimal": True,
        "notes": result.stats.notes,
        "placed": sum(p.job_id is not None for p in result.placements),
        "people_with_alternatives": with_alternatives,
        "people_without_reason": without_reason,
        "checker_violations": len(violations),
        "target_seconds": 15,
    }


def part_b_c(
    sizes: dict[str, int], model: RetentionModel, policy: PlacementPolicy, seed: int
) -> tuple[dict[str, Any], dict[str, Any]]:
    log(f"(b) generating {sizes['households']} households across {sizes['sites']} sites")
    instance = generate_household_instance(sizes["households"], sizes["sites"], seed=seed)
    scorer = TimedRetention(model)
    log("(b) planning")
    cpu_started, load_before = time.process_time(), os.getloadavg()[0]
    result = plan_placement(instance, scorer, policy)
    cpu_seconds = time.process_time() - cpu_started
    stats = result.stats
    violations = check_placements(instance, result.placements, policy)
    log(f"(b) {stats.seconds['total']:.1f} s, gap {stats.gap:.4%}, {len(violations)} violations")
    part_b = {
        "households": len(instance.households),
        "people": len(instance.persons),
        "sites": len(instance.sites),
        "capacity_dimensions_per_site": 1 + len(instance.jobs) // len(instance.sites),
        "method": stats.method,
        "seconds_total": round(stats.seconds["total"], 2),
        "seconds_model_scoring": round(scorer.seconds, 2),
        "seconds_engine_without_model_scoring": round(stats.seconds["total"] - scorer.seconds, 2),
        "seconds_breakdown": {k: round(v, 2) for k, v in stats.seconds.items()},
        "cpu_seconds_total": round(cpu_seconds, 2),
        "load_average_1min": [round(load_before, 1), round(os.getloadavg()[0], 1)],
        "objective": round(stats.objective, 3),
        "bound": round(stats.bound, 3),
        "gap_to_bound": round(stats.gap, 5),
        "notes": stats.notes,
        "checker_violations": len(violations),
        "fairness": [
            {
                **asdict(rate),
                "placement_rate": round(rate.placement_rate, 4),
                "housing_rate": round(rate.housing_rate, 4),
            }
            for rate in result.fairness
        ],
        "target": "gap <= 0.5% to a proven bound in under 90 s",
    }

    log("(c) scoring baselines against the ground truth")
    indexed = index_instance(instance)
    pairs = build_candidate_pairs(indexed, policy, model)
    truth = build_candidate_pairs(indexed, policy, GroundTruthRetention())
    person_index = indexed.person_index
    job_index, site_index = indexed.job_index, indexed.site_index
    engine_job = np.full(indexed.n_persons, -1)
    engine_site = np.full(indexed.n_persons, -1)
    for placement in result.placements:
        row = person_index[placement.person_id]
        engine_job[row] = job_index[placement.job_id] if placement.job_id else -1
        engine_site[row] = site_index[placement.site_id] if placement.site_id else -1
    preference = _preference_per_pair(indexed, pairs)
    runs = {"engine": (engine_job, engine_site)}
    for baseline in ("fcfs_shortage", "fcfs_preference", "random_eligible"):
        started = time.perf_counter()
        runs[baseline] = run_baseline(indexed, pairs, preference, baseline, seed=seed)  # type: ignore[arg-type]
        log(f"(c) {baseline} in {time.perf_counter() - started:.1f} s")
    part_c: dict[str, Any] = {"bound": round(stats.bound, 3)}
    for name, (person_job, person_site) in runs.items():
        objective = objective_value(indexed, pairs, policy, person_job, person_site)
        part_c[name] = {
            **expected_retention(indexed, truth, person_job),
            "housed": int(np.count_nonzero(person_site >= 0)),
            "objective": round(objective, 3),
            "objective_to_bound": round(objective / stats.bound, 4),
        }
    part_c["target"] = "engine objective_to_bound >= 0.99"
    return part_b, part_c


def _preference_per_pair(indexed: IndexedInstance, pairs: CandidatePairs) -> np.ndarray:
    sectors = [job.sector for job in indexed.instance.jobs]
    wanted = [person.preferred_sectors for person in indexed.instance.persons]
    return np.array(
        [
            1.0 / (1 + wanted[p].index(sectors[j])) if sectors[j] in wanted[p] else 0.0
            for p, j in zip(pairs.person.tolist(), pairs.job.tolist(), strict=True)
        ]
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="small instances (about a minute)")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument(
        "--parts",
        default="abcd",
        help="which parts to run, e.g. 'a' or 'bc' (b and c share one instance)",
    )
    arguments = parser.parse_args()
    parts = set(arguments.parts.lower())
    if not parts or parts - set("abcd"):
        parser.error("--parts takes letters among a, b, c, d")
    sizes = QUICK if arguments.quick else FULL
    policy = PlacementPolicy()
    log(f"training the retention model on {sizes['history']} generated outcomes")
    model, calibration = train_and_report(generate_history(sizes["history"], arguments.seed))
    report: dict[str, Any] = {
        "benchmark": "placement",
        "cpu_count": os.cpu_count(),
        "quick": arguments.quick,
        "seed": arguments.seed,
        "parts": "".join(sorted(parts)),
        "retention_model": {
            key: value for key, value in asdict(calibration).items() if key != "bins"
        },
    }
    if "a" in parts:
        report["a_people_flow"] = part_a(sizes, model, arguments.seed)
    if parts & {"b", "c"}:
        report["b_households"], report["c_retention_vs_baselines"] = part_b_c(
            sizes, model, policy, arguments.seed
        )
    if "d" in parts:
        report["d_weekly_batches"] = part_d(sizes, model, policy, arguments.seed)
    print(json.dumps(report))


if __name__ == "__main__":
    main()
