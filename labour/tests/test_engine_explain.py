"""Explanations: alternatives with reasons, binding capacities, prices, reasons for everyone."""

from __future__ import annotations

import numpy as np

from labour.engine.arrays import build_candidate_pairs, index_instance
from labour.engine.engine import plan_placement
from labour.engine.history import GroundTruthRetention
from labour.engine.instances import (
    generate_household_instance,
    generate_worker_instance,
    make_instance,
)
from labour.engine.model import Job, Person, PlacementPolicy, PlacementStatus, Requirements, Site


class FixedRetention:
    def predict_stay(self, features: np.ndarray) -> np.ndarray:
        return np.full(len(features), 0.8)


def _farm(site_id: str, housing: int) -> Site:
    return Site(site_id=site_id, name=site_id, sector="farm", housing_places=housing)


def test_alternatives_name_the_failed_requirement_and_the_binding_capacity() -> None:
    persons = [
        Person("first", "H1", age=30, sex="M", preferred_sectors=("mine",), heavy_work_fit=True),
        Person("second", "H2", age=30, sex="M", preferred_sectors=("mine",), heavy_work_fit=True),
    ]
    jobs = [
        Job("mine", "S1", "miner", "mine", 1, Requirements(heavy_work=True)),
        Job("clinic", "S1", "nurse", "mine", 5, Requirements(credential="nurse certificate")),
        Job("farm", "S2", "farmer", "farm", 5),
    ]
    instance = make_instance(persons, [_farm("S1", 5), _farm("S2", 5)], jobs)
    result = plan_placement(instance, FixedRetention(), PlacementPolicy(preference_weight=0.3))
    placed = result.by_person()
    in_mine = next(p for p in result.placements if p.job_id == "mine")
    on_farm = next(p for p in result.placements if p.job_id == "farm")
    assert {in_mine.person_id, on_farm.person_id} == {"first", "second"}
    reasons = {a.job_id: a.reason for a in on_farm.alternatives}
    assert reasons["mine"] == "full: all 1 positions of mine taken"
    assert "no verified nurse certificate" in reasons["clinic"]
    assert not next(a for a in on_farm.alternatives if a.job_id == "clinic").eligible
    assert len(on_farm.alternatives) == 2
    # The one mine slot is scarce: its dual price is the preference premium it earns.
    prices = {(p.kind, p.capacity_id): p for p in result.prices}
    assert prices[("job_slots", "mine")].used == 1
    assert prices[("job_slots", "mine")].price > 0
    assert prices[("job_slots", "farm")].price == 0
    assert placed["first"].predicted_stay == 0.8


def test_alternatives_say_in_words_why_they_were_not_chosen() -> None:
    persons = [Person("p", "H1", age=30, sex="F", preferred_sectors=("farm",))]
    jobs = [Job("farm", "S1", "farmer", "farm", 3), Job("factory", "S1", "hand", "factory", 3)]
    result = plan_placement(
        make_instance(persons, [_farm("S1", 3)], jobs),
        FixedRetention(),
        PlacementPolicy(preference_weight=0.3),
    )
    placement = result.placements[0]
    assert placement.job_id == "farm"
    assert placement.alternatives[0].reason.startswith("the chosen job matches the person's")
    assert "score" not in placement.reason and "score" not in placement.alternatives[0].reason

    hard = Job("hard", "S1", "hauler", "farm", 3, difficulty=0.95)
    easy = Job("easy", "S1", "sorter", "farm", 3, difficulty=0.1)
    young = [Person("y", "H1", age=20, sex="F", fitness="heavy")]
    result = plan_placement(
        make_instance(young, [_farm("S1", 3)], [hard, easy]), GroundTruthRetention()
    )
    placement = result.placements[0]
    assert placement.job_id == "easy"
    (alternative,) = placement.alternatives
    assert alternative.reason.startswith("less likely to stay: ")
    assert f"{round(100 * alternative.stay)}% against" in alternative.reason


def test_every_person_not_in_a_job_has_a_stated_reason() -> None:
    instance = generate_household_instance(
        n_households=200, n_sites=6, sites_per_household=3, job_share=0.4, housing_share=0.6
    )
    result = plan_placement(instance, GroundTruthRetention())
    statuses = {p.status for p in result.placements}
    assert statuses == {PlacementStatus.PLACED, PlacementStatus.HOUSED, PlacementStatus.UNPLACED}
    for placement in result.placements:
        assert placement.reason
        if placement.status == PlacementStatus.UNPLACED:
            assert "no housing" in placement.reason
        if placement.status != PlacementStatus.PLACED:
            assert placement.job_id is None and placement.score == 0.0
    children = [
        p
        for p in result.placements
        if p.status != PlacementStatus.PLACED and "outside the plan's working age" in p.reason
    ]
    assert children
    placed = [p for p in result.placements if p.status == PlacementStatus.PLACED]
    assert all(0 < len(p.alternatives) <= 3 for p in placed)
    assert all(a.reason for p in placed for a in p.alternatives)


def test_every_capacity_has_a_price_and_only_full_ones_are_priced() -> None:
    instance = generate_household_instance(n_households=120, n_sites=5, sites_per_household=3)
    result = plan_placement(instance, GroundTruthRetention())
    assert len(result.prices) == len(instance.jobs) + len(instance.sites)
    for price in result.prices:
        assert price.price >= 0
        assert price.used <= price.capacity
        if price.price > 1e-6:
            # A positive dual value only where the LP relaxation used the capacity up.
            assert price.used >= price.capacity - 8


def test_alternatives_are_the_three_best_other_candidates_best_first() -> None:
    instance = generate_worker_instance(n_people=200, n_jobs=30, n_sites=4, seed=3)
    retention = GroundTruthRetention()
    result = plan_placement(instance, retention)
    indexed = index_instance(instance)
    pairs = build_candidate_pairs(indexed, PlacementPolicy(), retention)
    jobs = [job.job_id for job in instance.jobs]
    for placement in result.placements:
        row = indexed.person_index[placement.person_id]
        start, end = pairs.offsets[row], pairs.offsets[row + 1]
        others = [
            (float(pairs.score[r]), jobs[pairs.job[r]])
            for r in range(start, end)
            if jobs[pairs.job[r]] != placement.job_id
        ]
        # Best first; on equal scores the earlier candidate comes first.
        expected = [job for _, job in sorted(others, key=lambda pair: -pair[0])][:3]
        assert [a.job_id for a in placement.alternatives] == expected
        scores = [a.score for a in placement.alternatives]
        assert scores == sorted(scores, reverse=True)
