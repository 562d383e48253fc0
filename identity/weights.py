"""Re-estimating the match weights from the labels reviewers left and the registry itself.

As Splink does: u from random pairs of registered persons, m by expectation-maximisation
over the pairs the files check has met (open review items, unlabelled) with the
reviewers' verdicts held fixed; thresholds chosen on the training labels and measured on
held-out ones (engine/em.py). Runs as a task (identity/tasks.py); the newest report is
shown on the duplicates and review pages."""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from identity.check import current_model, registry_size
from identity.engine import LabelledPair, PreparedRecord, prepare_record
from identity.engine.em import estimate_model_em
from identity.keys import PERSON_FIELDS, prepared_of, record_of
from identity.models import MatchLabel, MatchModelVersion, ReviewItem, Verdict
from people.models import Person
from waystation import clock


def labelled_pairs() -> list[LabelledPair]:
    """Latest verdict per pair wins (a link undone later counts as different people)."""
    latest: dict[tuple[int, int], bool] = {}
    rows = (
        MatchLabel.objects.exclude(verdict=Verdict.UNSURE)
        .order_by("decided_at", "id")
        .values_list("left_id", "right_id", "verdict")
    )
    for left, right, verdict in rows:
        latest[(min(left, right), max(left, right))] = verdict == Verdict.SAME
    ids = {person_id for pair in latest for person_id in pair}
    records = {
        row["id"]: record_of(row)
        for row in Person.objects.filter(pk__in=ids).values(*PERSON_FIELDS)
    }
    return [
        LabelledPair(records[left], records[right], is_match)
        for (left, right), is_match in latest.items()
        if left in records and right in records
    ]


def _registry_sample(size: int) -> list[PreparedRecord]:
    """Up to size registered persons at random: their random pairs teach u."""
    rows = Person.objects.order_by("?").values(*PERSON_FIELDS)[:size]
    return [prepare_record(record_of(row)) for row in rows]


def _open_pairs(limit: int) -> list[tuple[PreparedRecord, PreparedRecord]]:
    """Pairs waiting for review: the unlabelled pairs EM learns m from."""
    items = ReviewItem.objects.filter(resolved_at__isnull=True).select_related("left", "right")
    return [(prepared_of(item.left), prepared_of(item.right)) for item in items[:limit]]


def reestimate(
    *,
    save: bool = True,
    holdout: float = 0.3,
    min_labels: int = 20,
    sample: int = 20_000,
    unlabelled_limit: int = 50_000,
) -> dict[str, Any]:
    pairs = labelled_pairs()
    if len(pairs) < min_labels:
        raise ValueError(f"only {len(pairs)} labelled pairs; at least {min_labels} are needed")
    if not any(pair.is_match for pair in pairs) or all(pair.is_match for pair in pairs):
        raise ValueError("the labels need both same-person and different-people verdicts")
    report = estimate_model_em(
        pairs,
        _open_pairs(unlabelled_limit),
        _registry_sample(sample),
        base_model=current_model(),
        holdout_fraction=holdout,
        registry_size=registry_size(),
    )
    result = {
        "before": asdict(report.before),
        "after": asdict(report.after),
        "training_pairs": report.training_pairs,
        "evaluation_pairs": report.evaluation_pairs,
        "auto_link_threshold": round(report.model.auto_link_threshold, 2),
        "review_threshold": round(report.model.review_threshold, 2),
        "method": "em",
        "kept_in_force": report.kept_model_in_force,
        "saved": False,
    }
    if save:
        MatchModelVersion.objects.filter(active=True).update(active=False)
        MatchModelVersion.objects.create(
            model=report.model.to_dict(), report=result, created_at=clock.now(), active=True
        )
        result["saved"] = True
    return result


def latest_report() -> dict[str, Any] | None:
    """The newest re-estimation's report (before / after on held-out labels), if any."""
    row = MatchModelVersion.objects.only("report", "created_at").first()
    if row is None or not row.report:
        return None
    return {**row.report, "created_at": row.created_at}
