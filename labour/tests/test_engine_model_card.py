"""The retention model is chosen by held-out log-loss and described by a model card; the
history carries the interactions the issue names."""

from __future__ import annotations

import numpy as np

from labour.engine.features import FEATURE_NAMES
from labour.engine.history import generate_history, true_stay_probability
from labour.engine.retention import select_and_report


def test_model_is_chosen_by_held_out_log_loss_and_reported_by_group() -> None:
    history = generate_history(3000, seed=3)
    model, card = select_and_report(
        history.features,
        history.stayed,
        "demo",
        test_fraction=0.25,
        seed=3,
        true_probability=history.true_probability,
    )
    assert set(card.log_loss_by_kind) == {"gradient_boosting", "logistic"}
    assert card.chosen_kind == min(card.log_loss_by_kind, key=card.log_loss_by_kind.__getitem__)
    assert card.report.n_test == 750 and card.report.auc > 0.7
    groups = {g.group: g for g in card.by_group}
    assert {"age 55 and over", "heavy work", "households of 5 or more"} <= set(groups)
    for group in card.by_group:
        if group.count > 150:
            assert abs(group.mean_predicted - group.observed_rate) < 0.1


def test_interactions_move_the_true_chance_as_the_issue_describes() -> None:
    column = {name: i for i, name in enumerate(FEATURE_NAMES)}
    base = np.zeros((1, len(FEATURE_NAMES)), dtype=np.float32)
    base[0, column["age"]] = 35
    base[0, column["fitness_level"]] = 2
    base[0, column["job_heaviness"]] = 1
    base[0, column["household_size"]] = 5
    base[0, column["housing_type"]] = 2
    base[0, column["preference_match"]] = 1.0

    def chance(**changes: float) -> float:
        row = base.copy()
        for name, value in changes.items():
            row[0, column[name]] = value
        return float(true_stay_probability(row)[0])

    assert chance(housing_type=0, family_in_dormitory=4) < chance()
    assert chance(age=60, age_x_heaviness=40) < chance(age=60, age_x_heaviness=0)
    assert chance(fitness_level=1) < chance()
    assert chance(skill_gap=3) < chance() and chance(skill_gap=-2) < chance()
    assert chance(place_preference_match=1.0) > chance()
