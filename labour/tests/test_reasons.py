"""Every explanation the engine writes is shown in the reader's language with names."""

from __future__ import annotations

from django.utils import translation

from labour.engine import plan_placement
from labour.engine.history import GroundTruthRetention
from labour.engine.instances import generate_household_instance, generate_worker_instance
from labour.engine.model import PlacementPolicy
from labour.reasons import localize_reason, unknown_clauses


def _reasons() -> list[str]:
    found = []
    instances = (
        generate_household_instance(300, 20, seed=3),
        generate_worker_instance(400, 60, 6, seed=4),
    )
    for instance in instances:
        tight = PlacementPolicy(housing_value=0.05)
        result = plan_placement(instance, GroundTruthRetention(), tight)
        for placement in result.placements:
            found.append(placement.reason)
            found += [alt.reason for alt in placement.alternatives]
    return found


def test_every_engine_phrasing_is_known() -> None:
    reasons = _reasons()
    assert len(reasons) > 1_000
    unknown = {clause for reason in reasons for clause in unknown_clauses(reason)}
    assert not unknown, sorted(unknown)[:10]


def test_reasons_read_in_korean_and_chinese_with_names() -> None:
    reason = "full: all 3 job slots of 17 taken (scarcity price 0.250)"
    names = {"17": "miner · Musan Mining Complex"}
    with translation.override("ko"):
        korean = localize_reason(reason, names, {})
    with translation.override("zh-hans"):
        chinese = localize_reason(reason, names, {})
    assert "miner · Musan Mining Complex" in korean and "full" not in korean
    assert "miner · Musan Mining Complex" in chinese and "full" not in chinese
    eligibility = (
        "not eligible: no verified mining diploma; not fit for heavy work (medical examination)"
    )
    with translation.override("ko"):
        text = localize_reason(eligibility, {}, {})
    assert "mining diploma" in text and "not eligible" not in text and "heavy" not in text
    assert localize_reason("something new", {}, {}) == "something new"
