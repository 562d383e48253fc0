"""The train_retention command reports calibration and held-out AUC and saves the model that
placement runs then use."""

import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from labour.services import retention


def test_command_reports_auc_and_calibration_and_saves(settings, tmp_path, monkeypatch) -> None:
    settings.DATA_DIR = tmp_path
    monkeypatch.setattr(retention, "_cached", None)
    out = StringIO()
    call_command("train_retention", "--records", "4000", "--kind", "logistic", "--json", stdout=out)
    report = json.loads(out.getvalue())
    assert 0.7 < report["auc"] <= report["oracle_auc"] + 0.02
    assert report["expected_calibration_error"] < 0.05
    assert report["n_test"] == 1000 and len(report["bins"]) == 10
    assert (tmp_path / "labour" / "retention.joblib").exists()
    assert retention.retention_model() is not None
    text = StringIO()
    call_command(
        "train_retention", "--records", "2000", "--kind", "logistic", "--no-save", stdout=text
    )
    assert "held-out AUC" in text.getvalue()


def test_command_refuses_a_tiny_history() -> None:
    with pytest.raises(CommandError):
        call_command("train_retention", "--records", "10")
