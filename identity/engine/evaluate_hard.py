"""Accuracy on the harder generator (hard_synthetic.py): what a station's reception sees.

Measured: automatic links (precision/recall/F1), true pairs found with review, review
items per 100 records (review pairs a person has to decide, those already joined by
automatic links left out), the share of hard-negative record pairs wrongly linked
automatically by kind (twins, siblings, father and son, confusable surnames), and the
live check's recall@1/@5 (registrations arriving one by one, each checked against those
before it).
"""

from __future__ import annotations

import time
from collections import defaultdict
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from scipy.sparse import coo_matrix
from scipy.sparse.csgraph import connected_components

from identity.engine.dedup import find_duplicates
from identity.engine.evaluate import _pair, pair_metrics, trained_model, true_pairs
from identity.engine.hard_synthetic import HardRegistry, generate_hard_registry
from identity.engine.index import MatchIndex
from identity.engine.records import PreparedRecord, prepare_record
from identity.engine.scoring import AUTO_LINK, MatchModel


def hard_negative_pairs(registry: HardRegistry) -> dict[str, set[tuple[str, str]]]:
    """Record pairs between persons of each hard-negative kind."""
    records_of: dict[str, list[str]] = defaultdict(list)
    for record_id, person in registry.person_of.items():
        records_of[person].append(record_id)
    by_kind: dict[str, set[tuple[str, str]]] = defaultdict(set)
    for (a, b), kind in registry.hard_negatives.items():
        for left in records_of[a]:
            for right in records_of[b]:
                by_kind[kind].add(_pair(left, right))
    return by_kind


def review_items(auto: set[tuple[str, str]], review: set[tuple[str, str]]) -> int:
    """Review pairs whose records automatic links have not already joined."""
    ids = sorted({record for pair in auto | review for record in pair})
    position = {record: n for n, record in enumerate(ids)}
    if not auto:
        return len(review)
    rows = [position[a] for a, _ in auto]
    cols = [position[b] for _, b in auto]
    graph = coo_matrix(([1] * len(rows), (rows, cols)), shape=(len(ids), len(ids)))
    _, component = connected_components(graph, directed=False)
    open_pairs = {
        tuple(sorted((component[position[a]], component[position[b]])))
        for a, b in review
        if component[position[a]] != component[position[b]]
    }
    return len(open_pairs)


def live_recall(
    prepared: Sequence[PreparedRecord], person_of: Mapping[str, str], model: MatchModel
) -> dict[str, float]:
    """Registrations checked one by one against the earlier ones: a true earlier record
    at rank 1 / within the first 5."""
    index = MatchIndex(model)
    seen: set[str] = set()
    asked = top1 = top5 = 0
    timings: list[float] = []
    for record in prepared:
        person = person_of[record.record_id]
        if person in seen:
            started = time.perf_counter()
            results = index.check(record, limit=5)
            timings.append(time.perf_counter() - started)
            hits = [person_of[r.right_id] == person for r in results]
            asked += 1
            top1 += bool(hits[:1] and hits[0])
            top5 += any(hits)
        index.add(record)
        seen.add(person)
    timings.sort()
    return {
        "queries": asked,
        "recall_at_1": round(top1 / asked, 5) if asked else 1.0,
        "recall_at_5": round(top5 / asked, 5) if asked else 1.0,
        "p95_ms": round(1000 * timings[int(0.95 * (len(timings) - 1))], 2) if timings else 0.0,
    }


def evaluate_hard(
    registry: HardRegistry, model: MatchModel, *, live: bool = True
) -> dict[str, Any]:
    from identity.engine.hard_synthetic import registrations_in_order

    arriving = [(prepare_record(r), p) for r, p in registrations_in_order(registry)]
    prepared = [record for record, _ in arriving]
    truth = true_pairs(registry.person_of)
    result = find_duplicates(prepared, model=model)
    auto = {_pair(p.left_id, p.right_id) for p in result.pairs if p.band == AUTO_LINK}
    flagged = {_pair(p.left_id, p.right_id) for p in result.pairs}
    report: dict[str, Any] = {
        "records": len(prepared),
        "persons": len(set(registry.person_of.values())),
        "auto_link": pair_metrics(auto, truth),
        "review_or_auto_recall": pair_metrics(flagged, truth)["recall"],
    }
    items = review_items(auto, flagged - auto)
    report["review_items_per_100_records"] = round(100 * items / len(prepared), 2)
    report["hard_negative_wrong_auto_share"] = {
        kind: round(len(pairs & auto) / len(pairs), 5) if pairs else 0.0
        for kind, pairs in sorted(hard_negative_pairs(registry).items())
    }
    report["hard_negative_pairs"] = {
        kind: len(pairs) for kind, pairs in sorted(hard_negative_pairs(registry).items())
    }
    all_hard = set().union(*hard_negative_pairs(registry).values())
    report["hard_negative_wrong_auto_share"]["all"] = (
        round(len(all_hard & auto) / len(all_hard), 5) if all_hard else 0.0
    )
    if live:
        report["live"] = live_recall(prepared, registry.person_of, model)
    report["batch_seconds"] = round(result.stats["seconds_total"], 2)
    return report


def hard_report(
    record_count: int = 6000, *, seed: int = 17, log: Callable[[str], None] = print
) -> dict[str, Any]:
    """Train on one seed of the hard generator (labels as reviewers give them), measure
    on another, with the default model beside it."""
    log(f"hard: {record_count} training records (seed {seed + 1})")
    train = generate_hard_registry(record_count, seed=seed + 1)
    train_prepared = [prepare_record(record) for record in train.records]
    model, training = trained_model(train_prepared, train.person_of, seed=seed)
    log(f"hard: {record_count} test records (seed {seed})")
    test = generate_hard_registry(record_count, seed=seed)
    return {
        "training": training,
        "default_model": evaluate_hard(test, MatchModel()),
        "trained_model": evaluate_hard(test, model),
    }
