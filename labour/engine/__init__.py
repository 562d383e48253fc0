"""Placement engine and retention model (issue 6). Plain Python: no Django imports.

Public API (everything the Django side needs):

    plan_placement(instance, retention, policy=None, method="auto") -> PlacementResult
    check_placements(instance, placements, policy=None) -> list[Violation]
    generate_history(n_records, seed=0) -> OutcomeHistory          (demo outcomes)
    train_and_report(history, kind="gradient_boosting") -> (RetentionModel, CalibrationReport)
    train_retention_model(features, stayed, kind) -> RetentionModel  (real outcomes)
    calibration_report(predicted, stayed) -> CalibrationReport

Inputs are the dataclasses of `labour.engine.model` (Person, Household, Site, Job,
Requirements, PlacementInstance, PlacementPolicy, GroupSelector, Priority, MinimumShare);
outputs are PersonPlacement, Alternative, CapacityPrice, GroupRate, ShareOutcome and
SolveStats inside PlacementResult. Pair features for recorded outcomes come from
`labour.engine.features.build_pair_features` (see FEATURE_NAMES).
"""

from labour.engine.checker import Violation, check_placements
from labour.engine.engine import plan_placement
from labour.engine.history import GroundTruthRetention, OutcomeHistory, generate_history
from labour.engine.model import (
    Alternative,
    CapacityPrice,
    GroupRate,
    GroupSelector,
    Household,
    Job,
    MinimumShare,
    Person,
    PersonPlacement,
    PlacementInstance,
    PlacementPolicy,
    PlacementResult,
    PlacementStatus,
    Priority,
    Requirements,
    ShareOutcome,
    Site,
    SolveStats,
)
from labour.engine.retention import (
    CalibrationReport,
    RetentionModel,
    calibration_report,
    train_and_report,
    train_retention_model,
)

__all__ = [
    "Alternative",
    "CalibrationReport",
    "CapacityPrice",
    "GroundTruthRetention",
    "GroupRate",
    "GroupSelector",
    "Household",
    "Job",
    "MinimumShare",
    "OutcomeHistory",
    "Person",
    "PersonPlacement",
    "PlacementInstance",
    "PlacementPolicy",
    "PlacementResult",
    "PlacementStatus",
    "Priority",
    "Requirements",
    "RetentionModel",
    "ShareOutcome",
    "Site",
    "SolveStats",
    "Violation",
    "calibration_report",
    "check_placements",
    "generate_history",
    "plan_placement",
    "train_and_report",
    "train_retention_model",
]
