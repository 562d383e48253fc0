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
    call_command(
        "train_retention",
        "--records",
        "4000",
        "--kind",
        "logistic",
        "--json",
        "--source",
        "demo",
        stdout=out,
    )
    report = json.loads(out.getvalue())
    assert 0.7 < report["auc"] <= report["oracle_auc"] + 0.02
    assert report["expected_calibration_error"] < 0.05
    assert report["n_test"] == 1000 and len(report["bins"]) == 10
    assert (tmp_path / "labour" / "retention.joblib").exists()
    assert retention.retention_model() is not None
    text = StringIO()
    call_command(
        "train_retention",
        "--records",
        "2000",
        "--kind",
        "logistic",
        "--no-save",
        "--source",
        "demo",
        stdout=text,
    )
    assert "held-out AUC" in text.getvalue()


def test_command_refuses_a_tiny_history() -> None:
    with pytest.raises(CommandError):
        call_command("train_retention", "--records", "10")


@pytest.mark.django_db
def test_recorded_outcomes_train_the_model_when_there_are_enough(
    personas, settings, tmp_path
) -> None:
    import datetime as dt

    from labour.models import Placement
    from labour.services.outcomes import recorded_outcomes, training_facts
    from labour.tests.factories import SiteFactory, VacancyFactory, awaiting, place
    from waystation import clock

    settings.DATA_DIR = tmp_path
    mine = VacancyFactory(
        site=SiteFactory(kind="mine"),
        occupation="miner",
        heavy_work=True,
        difficulty=0.9,
        slots=100,
    )
    farm = VacancyFactory(site=SiteFactory(kind="farm"), occupation="farmhand", slots=100)
    long_ago = clock.today() - dt.timedelta(days=400)
    for index in range(24):
        person = awaiting(personas.onsong, age=20 + index, fitness=None)
        vacancy = mine if index % 2 else farm
        placement = place(person, vacancy=vacancy)
        left = index % 2 == 1  # the miners left within weeks
        Placement.objects.filter(pk=placement.pk).update(
            start_date=long_ago,
            status="ended" if left else "active",
            end_date=long_ago + dt.timedelta(days=40) if left else None,
        )
    features, stayed = recorded_outcomes()
    assert features.shape[0] == 24 and stayed.sum() == 12
    out = StringIO()
    call_command(
        "train_retention",
        "--source",
        "recorded",
        "--min-recorded",
        "20",
        "--kind",
        "logistic",
        "--no-save",
        "--json",
        stdout=out,
    )
    report = json.loads(out.getvalue())
    assert report["source"] == "recorded" and report["oracle_auc"] is None
    # the card's facts: the first leaver's last day to the 180th day of those who stayed
    facts = training_facts(24, 0)
    assert facts["rows"] == 24 and facts["files"] == []
    assert facts["first_date"] == (long_ago + dt.timedelta(days=40)).isoformat()
    assert facts["last_date"] == (long_ago + dt.timedelta(days=180)).isoformat()
    with pytest.raises(CommandError, match="recorded outcomes"):
        call_command("train_retention", "--source", "recorded", "--min-recorded", "100")
