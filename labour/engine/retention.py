"""Calibrated model of the chance that a person stays in a given job for 180 days."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

import numpy as np
from sklearn.calibration import CalibratedClassifierCV
from sklearn.ensemble import HistGradientBoostingClassifier
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import brier_score_loss, log_loss, roc_auc_score
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler
from threadpoolctl import threadpool_limits

from labour.engine.features import FEATURE_NAMES
from labour.engine.history import OutcomeHistory
from labour.engine.scoring import ADDITIVE_GROUPS, additive_raw_scores, quantize

ModelKind = Literal["gradient_boosting", "logistic"]


@dataclass(frozen=True, slots=True)
class ReliabilityBin:
    lower: float
    upper: float
    count: int
    mean_predicted: float
    observed_rate: float


@dataclass(frozen=True, slots=True)
class CalibrationReport:
    model_kind: str
    n_train: int
    n_test: int
    base_rate: float
    """Share of held-out records that stayed 180 days."""
    brier: float
    expected_calibration_error: float
    """Weighted mean |observed - predicted| over the reliability bins."""
    auc: float
    log_loss: float
    bins: tuple[ReliabilityBin, ...]
    oracle_brier: float | None = None
    """Brier score of the true probabilities, when known: the floor no model can beat."""
    oracle_auc: float | None = None


class RetentionModel:
    """A fitted, calibrated classifier; `predict_stay` satisfies the engine's predictor.

    The gradient boosting model is trained on quantized features with its trees confined to
    `ADDITIVE_GROUPS`, so its log-odds are a sum of one function per group. Scoring millions
    of candidate pairs then evaluates each group only on the distinct values it takes (tens
    of thousands) and adds them up: the same numbers as scoring every pair, much faster.
    """

    def __init__(
        self, estimator: CalibratedClassifierCV, kind: ModelKind, additive: bool = False
    ) -> None:
        self.estimator = estimator
        self.kind = kind
        self.additive = additive

    def predict_stay(self, features: np.ndarray) -> np.ndarray:
        if features.shape[1] != len(FEATURE_NAMES):
            raise ValueError(f"expected {len(FEATURE_NAMES)} features, got {features.shape[1]}")
        # Models saved before quantization and groups existed score the plain way.
        if not getattr(self, "additive", False):
            stayed_column = list(self.estimator.classes_).index(True)
            return self.estimator.predict_proba(features)[:, stayed_column]
        (calibrated,) = self.estimator.calibrated_classifiers_
        booster, (calibrator,) = calibrated.estimator, calibrated.calibrators
        # One OpenMP thread: each call scores only the distinct rows of a group, and on a
        # shared two-core machine more threads spin against each other (4x slower measured).
        with threadpool_limits(limits=1):
            raw = additive_raw_scores(booster.decision_function, features)
        # The calibrator maps the booster's score to P(classes_[1]); classes are (False, True).
        return np.clip(calibrator.predict(raw), 0.0, 1.0)


def train_retention_model(
    features: np.ndarray, stayed: np.ndarray, kind: ModelKind = "gradient_boosting", seed: int = 0
) -> RetentionModel:
    """Fit a classifier and calibrate it with isotonic regression on cross-validated folds."""
    additive = kind == "gradient_boosting"
    if additive:
        base = HistGradientBoostingClassifier(
            max_iter=150,
            learning_rate=0.08,
            max_leaf_nodes=15,
            random_state=seed,
            interaction_cst=[list(group) for group in ADDITIVE_GROUPS],
        )
        features = quantize(features)
    else:
        base = make_pipeline(StandardScaler(), LogisticRegression(max_iter=1000))
    # One refit model plus one calibrator keeps prediction on millions of pairs affordable.
    estimator = CalibratedClassifierCV(base, method="isotonic", cv=3, ensemble=False)
    estimator.fit(features, np.asarray(stayed, dtype=bool))
    if list(estimator.classes_) != [False, True]:
        raise ValueError("the history needs people who stayed and people who left")
    return RetentionModel(estimator, kind, additive)


def reliability_bins(
    predicted: np.ndarray, outcome: np.ndarray, n_bins: int = 10
) -> tuple[ReliabilityBin, ...]:
    edges = np.linspace(0.0, 1.0, n_bins + 1)
    bin_of = np.clip(np.digitize(predicted, edges[1:-1]), 0, n_bins - 1)
    bins = []
    for index in range(n_bins):
        inside = bin_of == index
        count = int(inside.sum())
        bins.append(
            ReliabilityBin(
                lower=float(edges[index]),
                upper=float(edges[index + 1]),
                count=count,
                mean_predicted=float(predicted[inside].mean()) if count else 0.0,
                observed_rate=float(outcome[inside].mean()) if count else 0.0,
            )
        )
    return tuple(bins)


def calibration_report(
    predicted: np.ndarray,
    stayed: np.ndarray,
    *,
    model_kind: str = "",
    n_train: int = 0,
    true_probability: np.ndarray | None = None,
    n_bins: int = 10,
) -> CalibrationReport:
    """Brier score, reliability bins, ECE and AUC of predictions on held-out outcomes."""
    outcome = np.asarray(stayed, dtype=float)
    bins = reliability_bins(predicted, outcome, n_bins)
    total = max(len(outcome), 1)
    ece = sum(b.count / total * abs(b.observed_rate - b.mean_predicted) for b in bins)
    clipped = np.clip(predicted, 1e-6, 1 - 1e-6)
    return CalibrationReport(
        model_kind=model_kind,
        n_train=n_train,
        n_test=len(outcome),
        base_rate=float(outcome.mean()),
        brier=float(brier_score_loss(outcome, predicted)),
        expected_calibration_error=float(ece),
        auc=float(roc_auc_score(outcome, predicted)),
        log_loss=float(log_loss(outcome, clipped, labels=[0.0, 1.0])),
        bins=bins,
        oracle_brier=None
        if true_probability is None
        else float(brier_score_loss(outcome, true_probability)),
        oracle_auc=None
        if true_probability is None
        else float(roc_auc_score(outcome, true_probability)),
    )


def train_and_report(
    history: OutcomeHistory,
    kind: ModelKind = "gradient_boosting",
    test_fraction: float = 0.25,
    seed: int = 0,
) -> tuple[RetentionModel, CalibrationReport]:
    """Train on a random part of the history and report calibration on the rest.

    This is what the Django management command wraps.
    """
    rng = np.random.default_rng(seed)
    order = rng.permutation(len(history.stayed))
    n_test = max(1, int(len(order) * test_fraction))
    test, train = order[:n_test], order[n_test:]
    model = train_retention_model(history.features[train], history.stayed[train], kind, seed)
    predicted = model.predict_stay(history.features[test])
    report = calibration_report(
        predicted,
        history.stayed[test],
        model_kind=kind,
        n_train=len(train),
        true_probability=history.true_probability[test],
    )
    return model, report


@dataclass(frozen=True, slots=True)
class GroupCalibration:
    group: str
    count: int
    mean_predicted: float
    observed_rate: float


@dataclass(frozen=True, slots=True)
class ModelCard:
    """What the model was trained on and how well it does on held-out records, by group."""

    # a short code ("demo", "recorded"): the page words it in the reader's language
    source: str
    n_records: int
    chosen_kind: str
    log_loss_by_kind: dict[str, float]
    report: CalibrationReport
    by_group: tuple[GroupCalibration, ...]


def _group_masks(features: np.ndarray) -> list[tuple[str, np.ndarray]]:
    column = {name: index for index, name in enumerate(FEATURE_NAMES)}
    age = features[:, column["age"]]
    heaviness = features[:, column["job_heaviness"]]
    size = features[:, column["household_size"]]
    return [
        ("age under 30", age < 30),
        ("age 30-54", (age >= 30) & (age < 55)),
        ("age 55 and over", age >= 55),
        ("women", features[:, column["female"]] > 0),
        ("men", features[:, column["female"]] == 0),
        ("heavy work", heaviness == 2),
        ("medium work", heaviness == 1),
        ("light work", heaviness == 0),
        ("single people", size <= 1),
        ("households of 2-4", (size >= 2) & (size <= 4)),
        ("households of 5 or more", size >= 5),
        ("first-choice kind of work", features[:, column["preference_match"]] >= 0.99),
        ("kind of work not asked for", features[:, column["preference_match"]] == 0),
    ]


def select_and_report(
    features: np.ndarray,
    stayed: np.ndarray,
    source: str,
    kinds: tuple[ModelKind, ...] = ("gradient_boosting", "logistic"),
    test_fraction: float = 0.25,
    seed: int = 0,
    true_probability: np.ndarray | None = None,
) -> tuple[RetentionModel, ModelCard]:
    """Train each kind (both calibrated) on the same records, keep the one with the lowest
    held-out log-loss, and describe it in a model card (overall and by group)."""
    rng = np.random.default_rng(seed)
    order = rng.permutation(len(stayed))
    n_test = max(1, int(len(order) * test_fraction))
    test, train = order[:n_test], order[n_test:]
    fitted: dict[str, tuple[RetentionModel, np.ndarray]] = {}
    losses: dict[str, float] = {}
    outcome = np.asarray(stayed, dtype=bool)
    for kind in kinds:
        model = train_retention_model(features[train], outcome[train], kind, seed)
        predicted = model.predict_stay(features[test])
        fitted[kind] = (model, predicted)
        clipped = np.clip(predicted, 1e-6, 1 - 1e-6)
        losses[kind] = float(log_loss(outcome[test], clipped, labels=[False, True]))
    chosen = min(losses, key=losses.__getitem__)
    model, predicted = fitted[chosen]
    report = calibration_report(
        predicted,
        outcome[test],
        model_kind=chosen,
        n_train=len(train),
        true_probability=None if true_probability is None else true_probability[test],
    )
    groups = []
    for name, mask in _group_masks(features[test]):
        if mask.sum():
            groups.append(
                GroupCalibration(
                    group=name,
                    count=int(mask.sum()),
                    mean_predicted=float(predicted[mask].mean()),
                    observed_rate=float(outcome[test][mask].mean()),
                )
            )
    card = ModelCard(
        source=source,
        n_records=len(stayed),
        chosen_kind=chosen,
        log_loss_by_kind=losses,
        report=report,
        by_group=tuple(groups),
    )
    return model, card
