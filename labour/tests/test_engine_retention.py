"""The ground-truth history generator and the calibrated retention model."""

from __future__ import annotations

import numpy as np
import pytest
from threadpoolctl import threadpool_limits

from labour.engine.features import FEATURE_NAMES, build_pair_features
from labour.engine.history import generate_history, true_stay_probability
from labour.engine.retention import calibration_report, train_and_report
from labour.engine.scoring import ADDITIVE_GROUPS, quantize


def _one_pair(**overrides: float) -> np.ndarray:
    values: dict[str, float] = {
        "age": 35,
        "female": 0,
        "higher_education_years": 0,
        "heavy_work_fit": 1,
        "household_with_children": 0,
        "job_heavy": 0,
        "job_difficulty": 0.5,
        "preference_match_value": 0.5,
        "distance_km": 100,
        "job_skilled": 0,
        "credential_match": 0,
        "sector": 1,
    }
    values.update(overrides)
    return build_pair_features(**{k: np.array([v]) for k, v in values.items()})


def test_ground_truth_follows_the_cable() -> None:
    def leave(**overrides: float) -> float:
        return 1.0 - float(true_stay_probability(_one_pair(**overrides))[0])

    # Young people leave hard jobs far more than older people do.
    assert leave(age=22, job_difficulty=0.9) > 3 * leave(age=40, job_difficulty=0.9)
    # People unfit for heavy work leave heavy jobs; work not wanted loses people.
    assert leave(job_heavy=1, heavy_work_fit=0) > 3 * leave(job_heavy=1, heavy_work_fit=1)
    assert leave(preference_match_value=0) > 3 * leave(preference_match_value=1)
    # Claimed skills without a credential do not last in a skilled post.
    assert leave(job_skilled=1, credential_match=0) > 3 * leave(job_skilled=1, credential_match=1)
    assert leave(household_with_children=1) < leave(household_with_children=0)
    assert leave(distance_km=500) > leave(distance_km=0)


def test_history_is_reproducible_and_has_the_documented_leave_rate() -> None:
    first, again = generate_history(5000, seed=4), generate_history(5000, seed=4)
    assert np.array_equal(first.stayed, again.stayed)
    assert first.features.shape == (5000, len(FEATURE_NAMES))
    assert 0.78 < first.stayed.mean() < 0.9
    young = first.features[:, FEATURE_NAMES.index("age")] <= 30
    # Most leavers are young, as in the cable.
    assert young[~first.stayed].mean() > 0.5


@pytest.mark.parametrize("kind", ["gradient_boosting", "logistic"])
def test_model_is_calibrated_and_discriminates_on_held_out_data(kind: str) -> None:
    history = generate_history(6_000, seed=1)
    # One OpenMP thread: on a shared two-core machine more threads only fight each other.
    with threadpool_limits(1):
        model, report = train_and_report(history, kind=kind, seed=1)  # type: ignore[arg-type]
    assert report.n_test == 1500 and report.n_train == 4500
    assert report.expected_calibration_error < 0.03
    assert report.oracle_brier is not None and report.oracle_auc is not None
    assert report.brier < report.oracle_brier + 0.02
    assert report.auc > report.oracle_auc - 0.06
    assert report.auc > 0.68
    assert sum(b.count for b in report.bins) == report.n_test
    predictions = model.predict_stay(history.features[:100])
    assert np.all((predictions >= 0) & (predictions <= 1))


def test_calibration_report_detects_a_miscalibrated_predictor() -> None:
    rng = np.random.default_rng(0)
    truth = rng.uniform(0.2, 0.9, 4000)
    outcome = rng.random(4000) < truth
    honest = calibration_report(truth, outcome)
    overconfident = calibration_report(np.clip(truth + 0.25, 0, 1), outcome)
    assert honest.expected_calibration_error < 0.03
    assert overconfident.expected_calibration_error > 0.15
    assert overconfident.brier > honest.brier
    # Shifting every prediction does not change the ranking, so the AUC stays put.
    assert overconfident.auc == pytest.approx(honest.auc, abs=0.01)


def test_model_refuses_a_feature_matrix_of_the_wrong_width() -> None:
    model, _ = train_and_report(generate_history(2000, seed=2), kind="logistic")
    with pytest.raises(ValueError, match="features"):
        model.predict_stay(np.zeros((3, 4)))


def test_grouped_scoring_gives_the_same_numbers_as_scoring_every_pair() -> None:
    history = generate_history(4_000, seed=3)
    with threadpool_limits(1):
        model, _ = train_and_report(history, kind="gradient_boosting", seed=3)
        fast = model.predict_stay(history.features)
        (calibrated,) = model.estimator.calibrated_classifiers_
        raw = calibrated.estimator.decision_function(quantize(history.features))
        every_pair = calibrated.calibrators[0].predict(raw)
    np.testing.assert_allclose(fast, every_pair, atol=1e-9)


def test_every_feature_is_in_exactly_one_additive_group() -> None:
    grouped = sorted(index for group in ADDITIVE_GROUPS for index in group)
    assert grouped == list(range(len(FEATURE_NAMES)))
