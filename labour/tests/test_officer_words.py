"""Issue 18 on the pages: reasons in an officer's words (no scores, prices or parameter
names), the chance of staying with what raises and lowers it, what verifying a claim would
open, the cost of a change by hand, the preference bonus and its cost, plans across
provinces, and the import of an outcome history with a model card."""

from __future__ import annotations

import re
from io import StringIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse
from django.utils import translation

from labour.models import Credential, OutcomeImport, OutcomeRecord
from labour.services import retention
from labour.services.credentials import record_claim
from labour.services.runs import run_placement
from labour.tests.factories import SiteFactory, VacancyFactory, awaiting, household_awaiting
from people.tests.personas import PROVINCE
from waystation.testing import run_queued_tasks

pytestmark = pytest.mark.django_db

FORBIDDEN = re.compile(r"score|scarcity|price \d|retention_weight|preference_weight|housing_value")


@pytest.fixture
def run(personas):
    mine = SiteFactory(name="Musan mine", kind="mine", housing_places=4, housing_type="dormitory")
    VacancyFactory(site=mine, occupation="miner", slots=1, heavy_work=True)
    VacancyFactory(
        site=mine,
        occupation="nurse",
        slots=1,
        required_credential="nurse certificate",
        skilled=True,
        heaviness="light",
    )
    farm = SiteFactory(name="Onsong farm", kind="farm", housing_places=6, housing_type="family")
    VacancyFactory(site=farm, occupation="farmer", slots=2, heaviness="medium")
    household_awaiting(personas.onsong, [34, 31, 8, 5])
    claimant = awaiting(personas.onsong, age=28)
    record_claim(
        user=personas["labour"],
        person=claimant,
        kind=Credential.Kind.SKILL,
        name="nurse certificate",
    )
    awaiting(personas.onsong, age=40)
    return run_placement(user=personas["labour"], province=PROVINCE, station=personas.onsong)


def test_run_page_speaks_an_officers_language(personas, run):
    html = personas.client_for("labour").get(reverse("labour-run", args=[run.pk])).content.decode()
    text = re.sub(r"<[^>]+>", " ", html)
    assert not FORBIDDEN.search(text), FORBIDDEN.search(text)
    assert "Chance of staying" in text
    assert "Raises the chance" in text or "Lowers the chance" in text
    assert "Verifying the claimed nurse certificate would open: nurse · Musan mine" in text
    assert "Where places ran out" in text


def test_reasons_and_factors_read_in_korean_and_chinese(personas, run):
    client = personas.client_for("labour")
    for language in ("ko", "zh-hans"):
        with translation.override(language):
            html = client.get(
                reverse("labour-run", args=[run.pk]), HTTP_ACCEPT_LANGUAGE=language
            ).content.decode()
        assert "Raises the chance" not in html and "Chance of staying" not in html
        assert "would open" not in html


def test_a_change_by_hand_says_what_it_costs_in_expected_stayers(personas, run):
    placed = run.assignments.filter(vacancy__isnull=False).select_related("vacancy").first()
    client = personas.client_for("labour")
    client.post(
        reverse("labour-assignment", args=[placed.pk]),
        {"vacancy": "", "housing_site": placed.site_id, "reason": "needed at home"},
    )
    placed.refresh_from_db()
    assert placed.edited and placed.explanation["change_cost"] > 0
    html = client.get(reverse("labour-run", args=[run.pk])).content.decode()
    assert "This change by hand costs" in html


def test_the_preference_bonus_is_off_unless_set_and_the_run_says_its_cost(personas, run):
    assert run.parameters["preference_weight"] == 0.0
    assert run.metrics["preference_cost"] is None
    with_bonus = run_placement(
        user=personas["labour"],
        province=PROVINCE,
        station=personas.onsong,
        parameters={"preference_weight": 2.0},
    )
    cost = with_bonus.metrics["preference_cost"]
    assert cost["cost"] == pytest.approx(cost["without_bonus"] - cost["with_bonus"], abs=0.02)
    assert cost["cost"] >= -0.01
    html = personas.client_for("labour").get(reverse("labour-run", args=[with_bonus.pk]))
    assert "The preference bonus costs" in html.content.decode()


def test_working_age_is_the_runs_policy(personas):
    site = SiteFactory(name="Onsong farm", kind="farm", housing_places=6)
    VacancyFactory(site=site, occupation="farmer", slots=2, heaviness="light")
    awaiting(personas.onsong, age=62)
    strict = run_placement(user=personas["labour"], province=PROVINCE, station=personas.onsong)
    assert strict.metrics["counts"]["placed"] == 0
    wider = run_placement(
        user=personas["labour"],
        province=PROVINCE,
        station=personas.onsong,
        parameters={"working_age_max": 65},
    )
    assert wider.metrics["counts"]["placed"] == 1


def test_a_plan_across_provinces_marks_travel_permits(personas):
    home = SiteFactory(name="Onsong farm", kind="farm", housing_places=1)
    VacancyFactory(site=home, occupation="farmer", slots=1, heaviness="light")
    away = SiteFactory(
        name="Hyesan farm", kind="farm", housing_places=5, province="Ryanggang", county="Hyesan"
    )
    VacancyFactory(site=away, occupation="farmer", slots=3, heaviness="light")
    for _ in range(3):
        awaiting(personas.onsong)
    run = run_placement(
        user=personas["admin"],
        province=PROVINCE,
        station=personas.onsong,
        other_provinces=["Ryanggang"],
    )
    away_rows = run.assignments.filter(site=away)
    assert away_rows.count() == 2
    assert all(a.explanation["travel_permit"] for a in away_rows)
    html = personas.client_for("admin").get(reverse("labour-run", args=[run.pk])).content.decode()
    assert "travel permit needed" in html


CSV_HEADER = (
    "age,sex,fitness,household_size,job_heaviness,sector,housing_type,stayed_180_days,"
    "sector_preference_rank,job_difficulty\n"
)


def _history_csv(rows: int) -> str:
    lines = [CSV_HEADER]
    for i in range(rows):
        stayed = int(i % 3 != 0) if i % 2 else int(i % 5 == 0)
        heavy = "heavy" if i % 2 == 0 else "light"
        lines.append(
            f"{20 + i % 40},{'F' if i % 2 else 'M'},heavy,{1 + i % 5},{heavy},mine,"
            f"mixed,{stayed},{1 + i % 3},0.{i % 9}\n"
        )
    lines.append("31,X,heavy,1,heavy,mine,mixed,1,1,0.5\n")
    return "".join(lines)


def test_an_outcome_history_is_imported_on_the_queue_and_trains_the_model(
    personas, settings, tmp_path, monkeypatch
):
    settings.DATA_DIR = tmp_path
    monkeypatch.setattr(retention, "_cached", None)
    client = personas.client_for("labour")
    upload = SimpleUploadedFile("history.csv", _history_csv(400).encode())
    response = client.post(
        reverse("labour-outcomes"), {"source": "Chagang labour office", "file": upload}
    )
    assert response.status_code == 302
    record = OutcomeImport.objects.get()
    assert record.status == OutcomeImport.Status.QUEUED and record.total_rows == 401
    assert run_queued_tasks() == 1
    record.refresh_from_db()
    assert record.status == OutcomeImport.Status.DONE
    assert record.imported == 400 == OutcomeRecord.objects.count()
    assert record.errors == [{"row": 402, "reason": "sex must be F or M"}]
    page = client.get(reverse("labour-outcomes")).content.decode()
    assert "Chagang labour office" in page and "sex must be F or M" in page

    out = StringIO()
    call_command("train_retention", "--source", "recorded", "--min-recorded", "200", stdout=out)
    assert "held-out log-loss by kind" in out.getvalue()
    card = retention.model_card()
    assert card is not None and card["n_records"] == 400
    assert card["chosen_kind"] == min(card["log_loss_by_kind"], key=card["log_loss_by_kind"].get)
    home = client.get(reverse("labour-home")).content.decode()
    assert 'data-testid="model-card"' in home and "400" in home and "AUC" in home
    assert card["trained_on"]["files"] == [
        {"name": "history.csv", "source": "Chagang labour office", "rows": 400}
    ]
    assert "0 recorded here and 400 imported" in home
    # the line is a sentence in the reader's language around the saved facts
    for language in ("ko", "zh-hans"):
        page = client.get(reverse("labour-outcomes"), HTTP_ACCEPT_LANGUAGE=language)
        trained_on = re.search(r'data-testid="trained-on">(.*?)</p>', page.content.decode(), re.S)
        assert trained_on and "400" in trained_on.group(1)
        assert (
            "Trained on" not in trained_on.group(1) and "recorded here" not in page.content.decode()
        )
        assert "history.csv" in page.content.decode()


def test_a_card_saved_before_the_facts_is_still_shown(personas, settings, tmp_path):
    settings.DATA_DIR = tmp_path
    old = {
        "source": "demo history (50000 generated outcomes)",
        "n_records": 50000,
        "chosen_kind": "logistic",
        "log_loss_by_kind": {"logistic": 0.4},
        "report": {"auc": 0.81, "brier": 0.13, "n_test": 12500},
        "by_group": [],
    }
    retention.save_card(old)
    page = personas.client_for("labour").get(reverse("labour-home")).content.decode()
    assert "Trained on demo history (50000 generated outcomes): 50,000 placements" in page
