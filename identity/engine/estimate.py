"""Re-estimating the weights from pairs a reviewer has labelled same / different.

m is the share of each agreement level among labelled matches and u among labelled
non-matches (with add-one smoothing so that an unseen level never weighs infinitely).
Thresholds are then set from the scores of the labelled pairs: the automatic-link
threshold is the lowest score at which automatic links reach the target precision, and the
review threshold the highest score that still sends the target share of matches to review.

Labelled pairs come from the engine's own blocking and review queue, so u describes the
non-matches the engine actually meets, not random pairs; that is what the weights need.
"""

from __future__ import annotations

import math
import random
from collections import Counter, defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np
from scipy.special import ndtr

from identity.engine.compare import MISSING
from identity.engine.records import PersonRecord, PreparedRecord, prepare_record
from identity.engine.scoring import (
    AUTO_LINK,
    NON_MATCH,
    MatchModel,
    MatchResult,
    compare_fields,
    score_pair,
)
from identity.engine.surnames import surname_share

SMOOTHING = 1.0


@dataclass(frozen=True, slots=True)
class LabelledPair:
    """Two records and a reviewer's verdict: True when they are the same person."""

    left: PersonRecord | PreparedRecord
    right: PersonRecord | PreparedRecord
    is_match: bool


@dataclass(frozen=True, slots=True)
class BandMetrics:
    """Quality of the bands on labelled pairs."""

    pairs: int
    matches: int
    auto_links: int
    auto_precision: float
    auto_recall: float
    review_or_auto_recall: float
    non_match_precision: float  # share of pairs sent to non-match that really differ

    @property
    def auto_f1(self) -> float:
        total = self.auto_precision + self.auto_recall
        return 0.0 if total == 0 else 2 * self.auto_precision * self.auto_recall / total


@dataclass(frozen=True, slots=True)
class EstimationReport:
    """The re-estimated model and the metrics before and after, on the evaluation pairs."""

    model: MatchModel
    before: BandMetrics
    after: BandMetrics
    training_pairs: int
    evaluation_pairs: int
    # the re-estimate did no better on the held-out labels: the model in force was kept
    kept_model_in_force: bool = False


def band_metrics(results: Sequence[MatchResult], truth: Sequence[bool]) -> BandMetrics:
    """Precision and recall of auto links, recall of review, for scored labelled pairs."""
    matches = sum(truth)
    auto = [
        is_match
        for result, is_match in zip(results, truth, strict=True)
        if result.band == AUTO_LINK
    ]
    flagged = sum(
        is_match
        for result, is_match in zip(results, truth, strict=True)
        if result.band != NON_MATCH
    )
    rejected = [
        not is_match
        for result, is_match in zip(results, truth, strict=True)
        if result.band == NON_MATCH
    ]
    return BandMetrics(
        pairs=len(results),
        matches=matches,
        auto_links=len(auto),
        auto_precision=sum(auto) / len(auto) if auto else 1.0,
        auto_recall=sum(auto) / matches if matches else 1.0,
        review_or_auto_recall=flagged / matches if matches else 1.0,
        non_match_precision=sum(rejected) / len(rejected) if rejected else 1.0,
    )


def _prepared(record: PersonRecord | PreparedRecord) -> PreparedRecord:
    return record if isinstance(record, PreparedRecord) else prepare_record(record)


def estimate_m_u(
    pairs: Sequence[tuple[PreparedRecord, PreparedRecord, bool]], base: MatchModel
) -> MatchModel:
    """m and u tables from labelled pairs; levels never seen keep the base model's values."""
    counts: dict[bool, dict[str, Counter[str]]] = {
        True: defaultdict(Counter),
        False: defaultdict(Counter),
    }
    for left, right, is_match in pairs:
        for field_name, outcome in compare_fields(left, right).items():
            if outcome.level != MISSING:
                counts[is_match][field_name][outcome.level] += 1
    model = MatchModel.from_dict(base.to_dict())
    for is_match, table in ((True, model.m), (False, model.u)):
        for field_name, level_counts in counts[is_match].items():
            template = field_name.split(":", 1)[0] if ":" in field_name else field_name
            levels = set(base.m.get(template, {})) | set(level_counts)
            total = sum(level_counts.values()) + SMOOTHING * len(levels)
            table[field_name] = {
                level: (level_counts.get(level, 0) + SMOOTHING) / total for level in levels
            }
    return model


def precision_lower_bound(hits: float, linked: float, z: float) -> float:
    """Wilson lower bound of a precision of hits out of linked (the share itself at z=0)."""
    if linked == 0:
        return 1.0
    share = hits / linked
    if z <= 0:
        return share
    denominator = 1 + z * z / linked
    centre = share + z * z / (2 * linked)
    spread = z * math.sqrt(share * (1 - share) / linked + z * z / (4 * linked * linked))
    return (centre - spread) / denominator


def smoothed_wrong_links(wrong_scores: np.ndarray, threshold: float, spread: float) -> float:
    """Expected wrong pairs at or above threshold when each wrong pair's score (sorted
    ascending) may move by a normal error of spread bits: pairs far above count 1, far
    below 0, those within five spreads by their chance."""
    low, high = np.searchsorted(wrong_scores, [threshold - 5 * spread, threshold + 5 * spread])
    near = wrong_scores[low:high]
    return float(len(wrong_scores) - high + ndtr((near - threshold) / spread).sum())


def choose_thresholds(
    scored: Sequence[tuple[float, bool]],
    *,
    target_auto_precision: float,
    target_review_recall: float,
    auto_link_margin: float = 0.0,
    score_decides: Sequence[bool] | None = None,
    confidence_z: float = 0.0,
    person_pairs: Sequence[tuple[int, int]] | None = None,
    score_spread: float = 0.0,
) -> tuple[float, float]:
    """(auto_link, review) thresholds from (score, is_match) pairs of labelled data.

    auto_link_margin (bits) is added to the fitted automatic-link threshold: labelled
    pairs rarely contain the hardest non-matches a larger registry will hold.
    score_decides marks the pairs whose automatic link the threshold decides; the others
    (two sexes, the same valid ID...) get their band from a rule at any threshold, so they
    are left out of the automatic-link fit (the review threshold still counts them all).
    confidence_z > 0 asks the precision's lower confidence bound (Wilson, z standard
    errors) to reach the target, not the precision counted: a threshold fitted where the
    counted precision just reaches it holds it on new pairs about half the time.
    person_pairs: the two persons of each pair (person_pairs_of): wrong links come in
    clusters (twins registered three times each are nine wrong pairs and one mistake),
    so the bound counts the links as fewer independent ones, by as many wrong pairs as
    there are per pair of persons wrongly linked.
    score_spread (bits) > 0 counts each wrong pair as linked by its chance of reaching the
    threshold on new data, its score moved by a normal error of that spread
    (smoothed_wrong_links): without it the threshold sits just above whichever few wrong
    pairs the labels happen to hold, and one of them more or less moved it by 1.6 bits.
    """
    decides = list(score_decides) if score_decides is not None else [True] * len(scored)
    groups: list[object] = (
        list(person_pairs) if person_pairs is not None else list(range(len(scored)))
    )
    ordered = sorted(
        (
            (*item, group)
            for item, counted, group in zip(scored, decides, groups, strict=True)
            if counted
        ),
        key=lambda item: -item[0],
    )
    auto_threshold = ordered[0][0] + 1 if ordered else 0.0
    wrong_scores = np.sort([score for score, is_match, _ in ordered if not is_match])
    true_positives = 0
    wrong_groups: set[object] = set()
    for rank, (score, is_match, group) in enumerate(ordered, start=1):
        true_positives += is_match
        if not is_match:
            wrong_groups.add(group)
        wrong: float = rank - true_positives
        clustering = wrong / len(wrong_groups) if wrong_groups else 1.0
        if score_spread > 0:
            wrong = smoothed_wrong_links(wrong_scores, score, score_spread)
        linked = true_positives + wrong
        bound = precision_lower_bound(
            true_positives / clustering, linked / clustering, confidence_z
        )
        if bound >= target_auto_precision:
            auto_threshold = score
    matches = sum(is_match for _, is_match in scored) or 1
    found = 0
    review_threshold = auto_threshold
    for score, is_match in sorted(scored, key=lambda item: -item[0]):
        found += is_match
        review_threshold = min(review_threshold, score)
        if found / matches >= target_review_recall:
            break
    return auto_threshold + auto_link_margin, review_threshold


def estimate_model(
    labelled: Sequence[LabelledPair],
    *,
    base_model: MatchModel | None = None,
    holdout_fraction: float = 0.0,
    target_auto_precision: float = 0.995,
    target_review_recall: float = 0.995,
    auto_link_margin: float = 2.0,
    surname_share_of: Callable[[str], float] = surname_share,
    seed: int = 0,
) -> EstimationReport:
    """Re-estimate weights and thresholds from labelled pairs; report before and after.

    With holdout_fraction > 0 a seeded share of the pairs is kept out of the estimate and
    both reports are measured on it alone, which is the honest figure; with 0 they are
    measured on the training pairs.
    """
    base = base_model or MatchModel()
    prepared = [(_prepared(pair.left), _prepared(pair.right), pair.is_match) for pair in labelled]
    order = list(range(len(prepared)))
    random.Random(seed).shuffle(order)
    held = set(order[: int(len(order) * holdout_fraction)])
    training = [pair for number, pair in enumerate(prepared) if number not in held]
    evaluation = [pair for number, pair in enumerate(prepared) if number in held] or training

    model = estimate_m_u(training, base)
    thresholds_from_training(
        model,
        training,
        target_auto_precision=target_auto_precision,
        target_review_recall=target_review_recall,
        auto_link_margin=auto_link_margin,
        surname_share_of=surname_share_of,
    )
    return report_before_and_after(base, model, training, evaluation, surname_share_of)


def thresholds_from_training(
    model: MatchModel,
    training: Sequence[Triple],
    *,
    target_auto_precision: float,
    target_review_recall: float,
    auto_link_margin: float,
    surname_share_of: Callable[[str], float],
    confidence_z: float = 0.0,
    score_spread: float = 0.0,
) -> None:
    """Set the model's two thresholds from its scores of the training pairs; pairs a rule
    bands whatever their score do not move them."""
    results = [
        (score_pair(left, right, model, surname_share_of=surname_share_of), is_match)
        for left, right, is_match in training
    ]
    model.auto_link_threshold, model.review_threshold = choose_thresholds(
        [(result.score, is_match) for result, is_match in results],
        target_auto_precision=target_auto_precision,
        target_review_recall=target_review_recall,
        auto_link_margin=auto_link_margin,
        score_decides=[result.rule_band is None for result, _ in results],
        confidence_z=confidence_z,
        person_pairs=person_pairs_of(training),
        score_spread=score_spread,
    )


def person_pairs_of(pairs: Sequence[Triple]) -> list[tuple[int, int]]:
    """Each labelled pair's two persons, as numbers: records joined by pairs labelled one
    person are one person (connected components of the matches)."""
    parent: dict[str, str] = {}

    def root(record_id: str) -> str:
        parent.setdefault(record_id, record_id)
        while parent[record_id] != record_id:
            parent[record_id] = parent[parent[record_id]]
            record_id = parent[record_id]
        return record_id

    for left, right, is_match in pairs:
        a, b = root(left.record_id), root(right.record_id)
        if is_match and a != b:
            parent[a] = b
    number: dict[str, int] = {}
    persons = []
    for left, right, _ in pairs:
        first = number.setdefault(root(left.record_id), len(number))
        second = number.setdefault(root(right.record_id), len(number))
        persons.append((min(first, second), max(first, second)))
    return persons


Triple = tuple[PreparedRecord, PreparedRecord, bool]


def report_before_and_after(
    base: MatchModel,
    model: MatchModel,
    training: Sequence[Triple],
    evaluation: Sequence[Triple],
    surname_share_of: Callable[[str], float],
) -> EstimationReport:
    """Both models' bands measured on the same evaluation pairs: the figures the identity
    page shows before and after a re-estimation."""
    truth = [is_match for _, _, is_match in evaluation]

    def metrics(chosen: MatchModel) -> BandMetrics:
        results = [
            score_pair(left, right, chosen, surname_share_of=surname_share_of)
            for left, right, _ in evaluation
        ]
        return band_metrics(results, truth)

    return EstimationReport(
        model=model,
        before=metrics(base),
        after=metrics(model),
        training_pairs=len(training),
        evaluation_pairs=len(evaluation),
    )
