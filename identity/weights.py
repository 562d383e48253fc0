"""Re-estimating the match weights from the labels reviewers left."""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from identity.check import current_model
from identity.engine import LabelledPair, estimate_model
from identity.keys import PERSON_FIELDS, record_of
from identity.models import MatchLabel, MatchModelVersion, Verdict
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


def reestimate(*, save: bool = True, holdout: float = 0.0, min_labels: int = 20) -> dict[str, Any]:
    pairs = labelled_pairs()
    if len(pairs) < min_labels:
        raise ValueError(f"only {len(pairs)} labelled pairs; at least {min_labels} are needed")
    if not any(pair.is_match for pair in pairs) or all(pair.is_match for pair in pairs):
        raise ValueError("the labels need both same-person and different-people verdicts")
    report = estimate_model(pairs, base_model=current_model(), holdout_fraction=holdout)
    result = {
        "before": asdict(report.before),
        "after": asdict(report.after),
        "training_pairs": report.training_pairs,
        "evaluation_pairs": report.evaluation_pairs,
        "saved": False,
    }
    if save:
        MatchModelVersion.objects.filter(active=True).update(active=False)
        MatchModelVersion.objects.create(
            model=report.model.to_dict(), report=result, created_at=clock.now(), active=True
        )
        result["saved"] = True
    return result
