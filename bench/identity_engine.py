"""Benchmark of the identity engine: live-check latency, batch dedup time, Splink beside it.

    .venv/bin/python bench/identity_engine.py [--persons 1000000] [--quick] [--no-splink]

1. An in-memory MatchIndex of --persons synthetic persons (one registration each); then
   --queries new registrations (most of them re-crossings of indexed persons, the rest
   new people) are checked one by one: latency of prepare + check, median and p95.
2. Batch deduplication of a registry of --persons registrations (persons crossing 1-8
   times): time, and precision/recall of automatic links against the known truth.
3. Splink (DuckDB backend), if installed, on the same registry with the engine's derived
   columns (Splink cannot read Hanzi or Hangul itself): time and F1 at p >= 0.9.

Progress goes to stderr; the last line of stdout is one JSON object with every figure.
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import random
import resource
import statistics
import sys
import time
from pathlib import Path
from typing import Any

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from identity.engine.dedup import find_duplicates  # noqa: E402
from identity.engine.index import MatchIndex  # noqa: E402
from identity.engine.records import PreparedRecord, prepare_record  # noqa: E402
from identity.engine.scoring import AUTO_LINK  # noqa: E402
from identity.engine.synthetic import (  # noqa: E402
    ErrorRates,
    generate_registry,
    make_person,
    make_registration,
)


def log(message: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


def progress_printer(stage_label: str) -> Any:
    last = {"time": 0.0}

    def report(stage: str, done: int, total: int) -> None:
        now = time.perf_counter()
        if now - last["time"] > 5 or done == total:
            last["time"] = now
            log(f"{stage_label} {stage}: {done:,}/{total:,}")

    return report


def peak_memory_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def live_check_benchmark(persons: int, queries: int, seed: int) -> dict[str, Any]:
    rng = random.Random(seed)
    rates = ErrorRates()
    index = MatchIndex()
    people = []
    started = time.perf_counter()
    for number in range(persons):
        person = make_person(rng, f"P{number}")
        people.append(person)
        index.add(make_registration(person, f"R{number}", rng, rates))
        if number % 100_000 == 0:
            log(f"live: indexed {number:,}/{persons:,}")
    build_seconds = time.perf_counter() - started
    log(f"live: index of {persons:,} built in {build_seconds:.0f} s")
    # a long-lived index is millions of objects: keep the cyclic GC from rescanning them
    gc.collect()
    gc.freeze()

    latencies, candidate_counts = [], []
    found_any, found_top = 0, 0
    returning = 0
    for number in range(queries):
        if rng.random() < 0.8:
            person = rng.choice(people)
            returning += 1
        else:
            person = make_person(rng, f"N{number}")
        record = make_registration(person, f"Q{number}", rng, rates)
        began = time.perf_counter()
        prepared = prepare_record(record)
        results = index.check(prepared)
        latencies.append((time.perf_counter() - began) * 1000)
        candidate_counts.append(len(index.candidate_positions(prepared)))
        truth = f"R{person.person_id[1:]}" if person.person_id.startswith("P") else None
        if truth and any(result.right_id == truth for result in results):
            found_any += 1
            found_top += results[0].right_id == truth
    latencies.sort()
    return {
        "persons_indexed": persons,
        "index_build_seconds": round(build_seconds, 1),
        "queries": queries,
        "lookup_ms_p50": round(statistics.median(latencies), 3),
        "lookup_ms_p95": round(latencies[int(0.95 * (len(latencies) - 1))], 3),
        "lookup_ms_p99": round(latencies[int(0.99 * (len(latencies) - 1))], 3),
        "lookup_ms_max": round(latencies[-1], 3),
        "candidates_mean": round(statistics.mean(candidate_counts), 1),
        "returning_found_in_results": round(found_any / max(returning, 1), 4),
        "returning_found_first": round(found_top / max(returning, 1), 4),
        "peak_memory_mb": round(peak_memory_mb()),
    }


def pair_truth(person_ids: np.ndarray, left: np.ndarray, right: np.ndarray) -> dict[str, float]:
    _, counts = np.unique(person_ids, return_counts=True)
    true_total = int((counts * (counts - 1) // 2).sum())
    hits = int((person_ids[left] == person_ids[right]).sum())
    precision = hits / len(left) if len(left) else 1.0
    recall = hits / true_total if true_total else 1.0
    f1 = 0.0 if precision + recall == 0 else 2 * precision * recall / (precision + recall)
    return {
        "precision": round(precision, 5),
        "recall": round(recall, 5),
        "f1": round(f1, 5),
        "found": int(len(left)),
        "true": true_total,
    }


def batch_benchmark(
    records: int, seed: int
) -> tuple[dict[str, Any], list[PreparedRecord], np.ndarray]:
    log(f"batch: generating {records:,} registrations")
    rows = list(generate_registry(records, seed=seed))
    person_ids = np.array([int(person[1:]) for _, person in rows])
    registrations = [record for record, _ in rows]
    del rows
    started = time.perf_counter()
    # preparing (deriving every name form) is part of the job, so it is inside the timing
    prepared = [prepare_record(record) for record in registrations]
    prepare_seconds = time.perf_counter() - started
    log(f"batch: prepared {len(prepared):,} records in {prepare_seconds:.0f} s")
    result = find_duplicates(prepared, progress=progress_printer("batch"))
    seconds = time.perf_counter() - started
    position = {record.record_id: number for number, record in enumerate(registrations)}
    bands = np.array([pair.band for pair in result.pairs], dtype=object)
    left = np.array([position[pair.left_id] for pair in result.pairs], dtype=np.int64)
    right = np.array([position[pair.right_id] for pair in result.pairs], dtype=np.int64)
    auto = bands == AUTO_LINK
    report = {
        "records": records,
        "persons": int(len(np.unique(person_ids))),
        "seconds": round(seconds, 1),
        "stage_seconds": {"prepare": round(prepare_seconds, 1)}
        | {
            key[8:]: round(value, 1)
            for key, value in result.stats.items()
            if key.startswith("seconds_") and key != "seconds_prepare"
        },
        "candidate_pairs": int(result.stats["candidate_pairs"]),
        "rescored_pairs": int(result.stats["rescored_pairs"]),
        "clusters": len(result.clusters),
        "auto_link": pair_truth(person_ids, left[auto], right[auto]),
        "review_or_auto": pair_truth(person_ids, left, right),
        "peak_memory_mb": round(peak_memory_mb()),
    }
    return report, prepared, person_ids


def splink_benchmark(prepared: list[PreparedRecord], person_ids: np.ndarray) -> dict[str, Any]:
    try:
        import pandas as pd
        import splink.comparison_library as cl
        from splink import DuckDBAPI, Linker, SettingsCreator, block_on
    except ImportError:
        log("splink: not installed (pip install 'splink>=4,<5'); skipped")
        return {"skipped": "splink not installed"}

    def first(values: tuple[str, ...]) -> str | None:
        return values[0] if values else None

    framed = time.perf_counter()
    frame = pd.DataFrame(
        {
            "unique_id": np.arange(len(prepared)),
            "surname_key": [first(r.names.surname_keys) for r in prepared],
            "given_key": [first(r.names.given_phonetic) for r in prepared],
            "given_pinyin": [first(r.names.given_pinyin) for r in prepared],
            "dob": [
                str(r.birth_date) if r.birth_date and r.birth_date.is_complete else None
                for r in prepared
            ],
            "birth_year": [str(r.birth_date.year) if r.birth_date else None for r in prepared],
            "sex": [r.sex for r in prepared],
            "birth_place": [r.attributes.get("birth_place") for r in prepared],
            "document": [r.document_number or None for r in prepared],
        }
    )
    settings = SettingsCreator(
        link_type="dedupe_only",
        blocking_rules_to_generate_predictions=[
            block_on("surname_key", "dob"),
            block_on("given_key", "birth_year"),
            block_on("given_pinyin", "birth_year"),
            block_on("document"),
        ],
        comparisons=[
            cl.ExactMatch("surname_key").configure(term_frequency_adjustments=True),
            cl.JaroWinklerAtThresholds("given_key", [0.95, 0.88]),
            cl.JaroWinklerAtThresholds("given_pinyin", [0.95, 0.88]),
            cl.LevenshteinAtThresholds("dob", [1, 2]),
            cl.ExactMatch("sex"),
            cl.ExactMatch("birth_place"),
            cl.ExactMatch("document"),
        ],
    )
    log(f"splink: training on {len(frame):,} records (DuckDB)")
    started = time.perf_counter()
    frame_seconds = started - framed
    linker = Linker(frame, settings, db_api=DuckDBAPI(), set_up_basic_logging=False)
    linker.training.estimate_probability_two_random_records_match(
        [block_on("document"), block_on("surname_key", "given_key", "dob")], recall=0.6
    )
    linker.training.estimate_u_using_random_sampling(max_pairs=2_000_000)
    linker.training.estimate_parameters_using_expectation_maximisation(
        block_on("surname_key", "dob")
    )
    linker.training.estimate_parameters_using_expectation_maximisation(
        block_on("given_key", "birth_year")
    )
    log("splink: predicting")
    predictions = linker.inference.predict(threshold_match_probability=0.9).as_pandas_dataframe()
    seconds = time.perf_counter() - started
    left = predictions["unique_id_l"].to_numpy(dtype=np.int64)
    right = predictions["unique_id_r"].to_numpy(dtype=np.int64)
    return {
        "seconds": round(seconds, 1),
        # Splink's input table from the prepared records: its share of getting ready
        "frame_seconds": round(frame_seconds, 1),
        "threshold_match_probability": 0.9,
        "links": pair_truth(person_ids, left, right),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--persons", type=int, default=1_000_000)
    parser.add_argument("--queries", type=int, default=2000)
    parser.add_argument("--seed", type=int, default=1961)
    parser.add_argument("--quick", action="store_true", help="20,000 persons, 300 queries")
    parser.add_argument("--no-splink", action="store_true")
    parser.add_argument("--skip-live", action="store_true")
    arguments = parser.parse_args()
    persons = 20_000 if arguments.quick else arguments.persons
    queries = 300 if arguments.quick else arguments.queries

    report: dict[str, Any] = {
        "benchmark": "identity_engine",
        "persons": persons,
        "cpu_count": os.cpu_count(),
        "load_average_at_start": [round(value, 2) for value in os.getloadavg()],
    }
    if not arguments.skip_live:
        report["live_check"] = live_check_benchmark(persons, queries, arguments.seed)
        log(f"live: {json.dumps(report['live_check'])}")  # kept even if a later stage dies
        gc.collect()
    batch, prepared, person_ids = batch_benchmark(persons, arguments.seed + 1)
    report["batch_dedup"] = batch
    log(f"batch: {json.dumps(batch)}")
    if arguments.no_splink:
        report["splink"] = {"skipped": "--no-splink"}
    else:
        try:
            report["splink"] = splink_benchmark(prepared, person_ids)
        except Exception as error:  # noqa: BLE001 - a failing comparison must not hide our figures
            log(f"splink: failed: {error!r}")
            report["splink"] = {"failed": repr(error)}
    report["load_average_at_end"] = [round(value, 2) for value in os.getloadavg()]
    print(json.dumps(report, ensure_ascii=False))


if __name__ == "__main__":
    main()
