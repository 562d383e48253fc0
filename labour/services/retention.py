"""The retention model the engine scores with: the one `train_retention` saved, or a model
trained here on the demo history when none was saved yet (a second; cached per process)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import joblib
import numpy as np
from django.conf import settings

from labour.engine import RetentionModel, generate_history, train_retention_model

_cached: RetentionModel | None = None
DEMO_HISTORY_RECORDS = 20_000


def model_path() -> Path:
    return Path(settings.DATA_DIR) / "labour" / "retention.joblib"


def card_path() -> Path:
    return Path(settings.DATA_DIR) / "labour" / "retention_card.json"


def save_card(card: dict[str, Any]) -> Path:
    path = card_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(card, indent=1))
    return path


def model_card() -> dict[str, Any] | None:
    """The card of the saved model (what it was trained on, how well it does, by group)."""
    path = card_path()
    if not path.exists():
        return None
    try:
        card: dict[str, Any] = json.loads(path.read_text())
    except ValueError:
        return None
    return card


def save_model(model: RetentionModel) -> Path:
    global _cached
    path = model_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    joblib.dump(model, path)
    _cached = model
    return path


class _Guarded:
    """The engine may ask about no pairs at all (nobody eligible); sklearn refuses that."""

    def __init__(self, model: RetentionModel) -> None:
        self.model = model

    def predict_stay(self, features: np.ndarray) -> np.ndarray:
        if len(features) == 0:
            return np.zeros(0)
        return self.model.predict_stay(features)


def predictor() -> _Guarded:
    return _Guarded(retention_model())


def retention_model() -> RetentionModel:
    global _cached
    if _cached is None:
        path = model_path()
        if path.exists():
            _cached = joblib.load(path)
        else:
            history = generate_history(DEMO_HISTORY_RECORDS, seed=0)
            _cached = train_retention_model(history.features, history.stayed, "logistic")
    return _cached
