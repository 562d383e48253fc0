"""Fellegi-Sunter weights re-estimated by expectation-maximisation, as Splink does.

- u (how often a level occurs between different persons) comes from random record pairs
  of the registry: almost every random pair is two different persons, so no label is
  needed (Splink's estimate_u_using_random_sampling).
- m (how often a level occurs between records of one person) is estimated by EM over the
  blocked pairs: each unlabelled pair counts as a match by its posterior probability
  under the current weights; each pair a reviewer decided counts as what they decided.
- The thresholds are chosen on the training labels to reach the precision target, then
  raised until the automatic links hold it on held-out labels too (the figures shown
  before and after are measured on those).

Pairs are reduced to their agreement patterns (one level per field), and identical
patterns are counted once, so an iteration costs as many patterns as there are, not
pairs.
"""

from __future__ import annotations

import math
import random
from collections import Counter, defaultdict
from collections.abc import Callable, Sequence
from dataclasses import replace

from identity.engine.compare import MISSING
from identity.engine.dedup import registry_surname_shares
from identity.engine.estimate import (
    EstimationReport,
    LabelledPair,
    Triple,
    _prepared,
    band_metrics,
    report_before_and_after,
    thresholds_from_training,
)
from identity.engine.records import PreparedRecord
from identity.engine.scoring import MatchModel, compare_fields, score_pair
from identity.engine.table import table_of_records

Pattern = tuple[tuple[str, str], ...]
SMOOTHING = 0.5
# u of a level never met among random pairs: as rare as one pair in this many
UNSEEN_U = 1e-6


def pattern(left: PreparedRecord, right: PreparedRecord) -> Pattern:
    """The pair's level per field, missing fields left out (they weigh nothing)."""
    return tuple(
        sorted(
            (name, outcome.level)
            for name, outcome in compare_fields(left, right).items()
            if outcome.level != MISSING
        )
    )


def _table_template(name: str) -> str:
    return name.split(":", 1)[0] if ":" in name else name


def estimate_u(
    records: Sequence[PreparedRecord], base: MatchModel, *, samples: int = 50_000, seed: int = 0
) -> dict[str, dict[str, float]]:
    """u of every field and level from random pairs of records."""
    rng = random.Random(seed)
    counts: dict[str, Counter[str]] = defaultdict(Counter)
    count = len(records)
    for _ in range(samples if count > 1 else 0):
        a, b = rng.randrange(count), rng.randrange(count)
        if a != b:
            for name, level in pattern(records[a], records[b]):
                counts[name][level] += 1
    u: dict[str, dict[str, float]] = {}
    for name, levels in counts.items():
        known = set(base.u.get(_table_template(name), {})) | set(levels)
        total = sum(levels.values())
        u[name] = {level: max(levels.get(level, 0) / total, UNSEEN_U) for level in known}
    return u


def _log_weight(
    m: dict[str, dict[str, float]], u: dict[str, dict[str, float]], name: str, level: str
) -> float:
    table = name if name in m else _table_template(name)
    mu = m.get(table, {}).get(level)
    uu = u.get(name, u.get(table, {})).get(level)
    if mu is None or uu is None:
        return 0.0
    return math.log2(max(mu, 1e-9) / max(uu, 1e-9))


def expectation_maximisation(
    unlabelled: Counter[Pattern],
    labelled: Sequence[tuple[Pattern, bool]],
    u: dict[str, dict[str, float]],
    start_m: dict[str, dict[str, float]],
    *,
    iterations: int = 25,
    prior: float = 0.3,
) -> tuple[dict[str, dict[str, float]], float]:
    """m and the prior match share by EM, with u held fixed; labelled pairs keep their label."""
    m = {name: dict(levels) for name, levels in start_m.items()}
    labelled_counts = Counter(labelled)
    for _ in range(iterations):
        weighted: dict[str, dict[str, float]] = defaultdict(lambda: defaultdict(float))
        matches: float = 0.0
        total: float = 0.0
        for observed, count in unlabelled.items():
            odds = math.log2(prior / (1 - prior)) + sum(
                _log_weight(m, u, name, level) for name, level in observed
            )
            probability = 1 / (1 + 2 ** (-max(min(odds, 60), -60)))
            matches += probability * count
            total += count
            for name, level in observed:
                weighted[name][level] += probability * count
        for (observed, is_match), count in labelled_counts.items():
            if is_match:
                for name, level in observed:
                    weighted[name][level] += count
        for name, levels in weighted.items():
            known = set(m.get(name, m.get(_table_template(name), {}))) | set(levels)
            mass = sum(levels.values()) + SMOOTHING * len(known)
            m[name] = {level: (levels.get(level, 0) + SMOOTHING) / mass for level in known}
        if total:
            prior = min(max(matches / total, 1e-4), 1 - 1e-4)
    return m, prior


# the threshold is fitted to hold the precision target at one-sided 95% confidence on
# the training labels (the held-out check below then counts precision as it is: with a
# few hundred held-out links a confidence bound could never reach 0.995)
PRECISION_CONFIDENCE_Z = 1.645
# a wrong pair's score on new data may differ by about a bit (one field typed otherwise):
# the fit counts wrong pairs near the threshold by their chance of crossing it
WRONG_SCORE_SPREAD = 1.0
NO_COMMON_SURNAME_RULE = 1.0  # no surname is carried by more than everyone


def fit_thresholds(
    model: MatchModel,
    training: Sequence[Triple],
    evaluation: Sequence[Triple],
    *,
    target_auto_precision: float,
    target_review_recall: float,
    auto_link_margin: float,
    surname_share_of: Callable[[str], float],
    review_floor: float = 0.0,
) -> MatchModel:
    """The model with thresholds fitted on the training labels, the automatic-link one
    raised until it holds the precision target on the held-out labels too, the review one
    no lower than review_floor."""
    model = replace(model)
    thresholds_from_training(
        model,
        training,
        target_auto_precision=target_auto_precision,
        target_review_recall=target_review_recall,
        auto_link_margin=auto_link_margin,
        surname_share_of=surname_share_of,
        confidence_z=PRECISION_CONFIDENCE_Z,
        score_spread=WRONG_SCORE_SPREAD,
    )
    # raised half a bit at a time; pairs a rule bands are left out, as in the fit: no
    # threshold moves them
    held_out = [
        (result.score, is_match)
        for result, is_match in (
            (score_pair(left, right, model, surname_share_of=surname_share_of), is_match)
            for left, right, is_match in evaluation
        )
        if result.rule_band is None
    ]
    top = max((score for score, _ in held_out), default=model.auto_link_threshold)
    while model.auto_link_threshold < top:
        linked = [is_match for score, is_match in held_out if score >= model.auto_link_threshold]
        if not linked or sum(linked) / len(linked) >= target_auto_precision:
            break
        model.auto_link_threshold += 0.5
    # labels come from pairs that reached a reviewer, at or above the review threshold in
    # force: they can show that a higher one loses nothing, not that a lower one finds more
    # at a workload the station can bear
    model.review_threshold = max(model.review_threshold, review_floor)
    return model


def estimate_model_em(
    labelled: Sequence[LabelledPair],
    unlabelled: Sequence[tuple[PreparedRecord, PreparedRecord]],
    records: Sequence[PreparedRecord],
    *,
    base_model: MatchModel | None = None,
    holdout_fraction: float = 0.3,
    target_auto_precision: float = 0.995,
    target_review_recall: float = 0.995,
    auto_link_margin: float = 0.0,
    surname_share_of: Callable[[str], float] | None = None,
    registry_size: int | None = None,
    seed: int = 0,
) -> EstimationReport:
    """A model from the registry itself (u from random pairs, m by EM over the blocked
    pairs) and the reviewers' labels; before/after measured on held-out labels.

    registry_size: how many records the registry holds (records may be a sample of it);
    the fitted thresholds are for that size.
    surname_share_of: each surname key's share of people; by default counted on records,
    as the batch counts it on the registry, so that the thresholds are fitted on the
    scores the batch will give (a table's national shares undercount a region's own
    surnames, and weigh them as rare)."""
    size = registry_size or len(records)
    # "before" is what the station ran: the base model at this registry's size
    base = (base_model or MatchModel()).at_registry_size(size)
    if surname_share_of is None:
        surname_share_of = registry_surname_shares(table_of_records(records))
    prepared = [(_prepared(pair.left), _prepared(pair.right), pair.is_match) for pair in labelled]
    order = list(range(len(prepared)))
    random.Random(seed).shuffle(order)
    held = set(order[: int(len(order) * holdout_fraction)])
    training = [pair for number, pair in enumerate(prepared) if number not in held]
    evaluation = [pair for number, pair in enumerate(prepared) if number in held] or training

    u = estimate_u(records, base, seed=seed)
    patterns = Counter(pattern(left, right) for left, right in unlabelled)
    m, _ = expectation_maximisation(
        patterns,
        [(pattern(left, right), is_match) for left, right, is_match in training],
        u,
        base.m,
    )
    model = MatchModel.from_dict(base.to_dict())
    # the labels' wrong pairs are as many as this registry's namesakes make: the fitted
    # thresholds hold at its size
    model.reference_registry_size = size
    for name, levels in m.items():
        model.m[name] = levels
    for name, levels in u.items():
        model.u[name] = levels
    # the common-surname rule (name and date alone never link a common surname) is kept
    # only if the held-out labels need it: with the surname's frequency in its weight, a
    # station's own labels may show the threshold alone holds the precision target
    candidates = [
        fit_thresholds(
            variant,
            training,
            evaluation,
            target_auto_precision=target_auto_precision,
            target_review_recall=target_review_recall,
            auto_link_margin=auto_link_margin,
            surname_share_of=surname_share_of,
            review_floor=base.review_threshold,
        )
        for variant in (model, replace(model, common_surname_share=NO_COMMON_SURNAME_RULE))
    ]
    # the model in force stays when neither re-estimate links more true pairs on the held-out
    # labels at the precision target: a few wrongly labelled or look-alike pairs can lift a
    # fitted threshold by eight bits (two persons named 姜龍 did on one generated registry)
    candidates.append(base)
    truth = [is_match for _, _, is_match in evaluation]
    held_out = [
        band_metrics(
            [score_pair(a, b, fitted, surname_share_of=surname_share_of) for a, b, _ in evaluation],
            truth,
        )
        for fitted in candidates
    ]
    model = max(
        zip(candidates, held_out, strict=True),
        key=lambda fitted: (
            fitted[1].auto_precision >= target_auto_precision,
            fitted[1].auto_recall,
        ),
    )[0]
    report = report_before_and_after(base, model, training, evaluation, surname_share_of)
    return replace(report, kept_model_in_force=model is base)
