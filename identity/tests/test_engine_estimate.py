"""Re-estimating weights and thresholds from labelled pairs."""

from __future__ import annotations

import numpy as np
import pytest

from identity.engine.estimate import (
    band_metrics,
    choose_thresholds,
    estimate_model,
    precision_lower_bound,
    smoothed_wrong_links,
)
from identity.engine.evaluate import labelled_pairs, true_pairs
from identity.engine.records import PersonRecord, prepare_record
from identity.engine.scoring import AUTO_LINK, NON_MATCH, REVIEW, MatchModel, MatchResult
from identity.engine.synthetic import generate_registry


def result(band: str) -> MatchResult:
    return MatchResult("a", "b", 0.0, band, ())


def test_band_metrics_counts_what_it_should() -> None:
    results = [result(AUTO_LINK), result(AUTO_LINK), result(REVIEW), result(NON_MATCH)]
    metrics = band_metrics(results, [True, False, True, True])
    assert metrics.auto_precision == 0.5
    assert metrics.auto_recall == 1 / 3
    assert metrics.review_or_auto_recall == 2 / 3
    assert metrics.non_match_precision == 0.0


def test_thresholds_follow_the_labelled_scores() -> None:
    scored = [(30.0, True), (25.0, True), (20.0, False), (18.0, True), (5.0, False), (2.0, True)]
    auto, review = choose_thresholds(scored, target_auto_precision=1.0, target_review_recall=0.75)
    assert auto == 25.0
    assert review == 18.0
    auto_with_margin, _ = choose_thresholds(
        scored, target_auto_precision=1.0, target_review_recall=0.75, auto_link_margin=2.0
    )
    assert auto_with_margin == 27.0


def test_estimation_learns_from_labels_and_reports_before_and_after() -> None:
    rows = list(generate_registry(3000, seed=3))
    prepared = [prepare_record(record) for record, _ in rows]
    truth = true_pairs({record.record_id: p for record, p in rows})
    labelled = labelled_pairs(prepared, truth, limit=5000, seed=1)
    report = estimate_model(labelled, holdout_fraction=0.3, seed=1)
    model = report.model
    assert report.evaluation_pairs == int(len(labelled) * 0.3)
    assert model.m["given_name"]["exact"] > model.u["given_name"]["exact"]
    assert model.m["given_name"]["different"] < model.u["given_name"]["different"]
    assert model.review_threshold <= model.auto_link_threshold
    assert report.after.auto_precision >= 0.98
    assert report.after.review_or_auto_recall >= report.before.review_or_auto_recall - 0.01
    assert MatchModel.from_dict(model.to_dict()).m == model.m


def test_attribute_weights_are_estimated_per_attribute() -> None:
    same = [
        (
            PersonRecord.from_typed(f"a{n}", "연재수", attributes={"birth_place": "延吉"}),
            PersonRecord.from_typed(f"b{n}", "연재수", attributes={"birth_place": "延吉"}),
            True,
        )
        for n in range(20)
    ]
    different = [
        (
            PersonRecord.from_typed(f"c{n}", "연재수", attributes={"birth_place": "延吉"}),
            PersonRecord.from_typed(f"d{n}", "김영철", attributes={"birth_place": "和龍"}),
            False,
        )
        for n in range(20)
    ]
    from identity.engine.estimate import LabelledPair

    report = estimate_model([LabelledPair(*row) for row in same + different])
    # a birth place, whatever the attribute is called, compares as the place code
    assert "attribute:place" in report.model.m
    assert report.model.weight("attribute:place", "exact") > 2


def test_pairs_a_rule_bands_do_not_raise_the_automatic_link_threshold() -> None:
    # a non-match scoring 28 that a rule keeps in review whatever the threshold (two
    # sexes): it must not push the threshold above the true pairs at 25
    scored = [(30.0, True), (28.0, False), (25.0, True), (20.0, False), (5.0, True)]
    blind, _ = choose_thresholds(scored, target_auto_precision=1.0, target_review_recall=0.5)
    assert blind == 30.0
    fitted, _ = choose_thresholds(
        scored,
        target_auto_precision=1.0,
        target_review_recall=0.5,
        score_decides=[True, False, True, True, True],
    )
    assert fitted == 25.0


def test_a_threshold_fitted_with_confidence_holds_the_target_beyond_the_labels_counted() -> None:
    # 300 true pairs, one non-match, 10 true pairs: counted, precision 310/311 reaches
    # 0.99 at the lowest score; its 95% lower bound reaches it only above the non-match
    scored = [(100.0 - n / 10, True) for n in range(300)]
    scored += [(50.0, False)] + [(40.0 - n, True) for n in range(10)]
    counted, _ = choose_thresholds(scored, target_auto_precision=0.99, target_review_recall=0.5)
    assert counted == 31.0
    confident, _ = choose_thresholds(
        scored, target_auto_precision=0.99, target_review_recall=0.5, confidence_z=1.645
    )
    assert confident > 50.0
    assert precision_lower_bound(300, 300, 1.645) < 1.0 <= precision_lower_bound(3, 3, 0.0)


def test_wrong_pairs_just_below_a_threshold_count_by_their_chance_of_crossing_it() -> None:
    wrong = np.array([10.0, 19.5, 30.0])
    # one far above counts 1, one far below 0, one half a bit below about a third
    assert smoothed_wrong_links(wrong, 20.0, 1.0) == pytest.approx(1 + 0.3085, abs=1e-3)
    # 1000 true pairs from 40 down to 20 bits, two wrong pairs among them at 26 and 25.9:
    # counted, the threshold sits right at the upper wrong pair (26.0); with a one-bit
    # spread the wrong pairs still weigh just above it, so it stays further up (26.36)
    scored = [(40.0 - n * 0.02, True) for n in range(1000)] + [(26.0, False), (25.9, False)]
    counted, _ = choose_thresholds(scored, target_auto_precision=0.999, target_review_recall=0.5)
    spread, _ = choose_thresholds(
        scored, target_auto_precision=0.999, target_review_recall=0.5, score_spread=1.0
    )
    assert counted < 26.5 and spread > counted
