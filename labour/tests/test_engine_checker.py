"""The independent checker catches each kind of broken placement."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest

from labour.engine.checker import check_placements
from labour.engine.engine import plan_placement
from labour.engine.instances import generate_household_instance, make_instance
from labour.engine.model import (
    Job,
    Person,
    PersonPlacement,
    PlacementInstance,
    PlacementPolicy,
    PlacementStatus,
    Requirements,
    Site,
)


def _placed(
    person_id: str, household_id: str, site: str | None, job: str | None
) -> PersonPlacement:
    status = (
        PlacementStatus.PLACED
        if job
        else PlacementStatus.HOUSED
        if site
        else PlacementStatus.UNPLACED
    )
    return PersonPlacement(
        person_id, household_id, status, site, job, 0.0, None, False, "" if job else "test"
    )


@pytest.fixture
def instance() -> PlacementInstance:
    persons = [
        Person("a", "H1", age=30, sex="M", heavy_work_fit=False),
        Person("b", "H1", age=30, sex="F", heavy_work_fit=True),
        Person("c", "H2", age=30, sex="F", current_job_id="farm", heavy_work_fit=True),
    ]
    sites = [Site("S1", "s1", "mine", 2), Site("S2", "s2", "farm", 3)]
    jobs = [
        Job("mine", "S1", "miner", "mine", 1, Requirements(heavy_work=True)),
        Job("farm", "S2", "farmer", "farm", 1),
    ]
    return make_instance(persons, sites, jobs)


def _rules(
    instance: PlacementInstance,
    placements: list[PersonPlacement],
    policy: PlacementPolicy | None = None,
) -> set[str]:
    return {violation.rule for violation in check_placements(instance, placements, policy)}


def test_a_feasible_plan_passes(instance: PlacementInstance) -> None:
    plan = [
        _placed("a", "H1", "S1", None),
        _placed("b", "H1", "S1", "mine"),
        _placed("c", "H2", "S2", "farm"),
    ]
    assert _rules(instance, plan) == set()


def test_catches_ineligible_job(instance: PlacementInstance) -> None:
    plan = [
        _placed("a", "H1", "S1", "mine"),
        _placed("b", "H1", "S1", None),
        _placed("c", "H2", "S2", "farm"),
    ]
    assert _rules(instance, plan) == {"eligible"}


def test_catches_split_household_and_job_at_another_site(instance: PlacementInstance) -> None:
    plan = [
        _placed("a", "H1", "S2", None),
        _placed("b", "H1", "S2", "mine"),
        _placed("c", "H2", "S2", "farm"),
    ]
    assert _rules(instance, plan) == {"job at own site"}
    plan = [
        _placed("a", "H1", "S2", None),
        _placed("b", "H1", "S1", "mine"),
        _placed("c", "H2", "S2", "farm"),
    ]
    assert _rules(instance, plan) == {"household together"}


def test_catches_every_capacity_dimension(instance: PlacementInstance) -> None:
    crowded = replace(instance, sites=(Site("S1", "s1", "mine", 1), instance.sites[1]))
    plan = [
        _placed("a", "H1", "S1", None),
        _placed("b", "H1", "S1", "mine"),
        _placed("c", "H2", "S2", "farm"),
    ]
    assert _rules(crowded, plan) == {"housing places"}
    two_farmers = [
        _placed("a", "H1", "S2", "farm"),
        _placed("b", "H1", "S2", None),
        _placed("c", "H2", "S2", "farm"),
    ]
    assert _rules(instance, two_farmers) == {"job slots"}


def test_catches_moves_without_permission(instance: PlacementInstance) -> None:
    plan = [
        _placed("a", "H1", None, None),
        _placed("b", "H1", None, None),
        _placed("c", "H2", "S1", "mine"),
    ]
    assert _rules(instance, plan) == {"not moved without permission", "kept in current job"}
    allowed = PlacementPolicy(movable_household_ids=frozenset({"H2"}))
    assert _rules(instance, plan, allowed) == set()


def test_catches_missing_people_and_reasons(instance: PlacementInstance) -> None:
    plan = [_placed("a", "H1", None, None), _placed("c", "H2", "S2", "farm")]
    silent = replace(plan[0], reason="")
    assert _rules(instance, [silent, plan[1]]) == {"listed once", "reason given"}


def test_engine_output_passes_on_a_generated_instance_with_settled_households() -> None:
    base = generate_household_instance(n_households=80, n_sites=4, sites_per_household=3)
    first = plan_placement(base, _Fixed())
    site_of = {p.household_id: p.site_id for p in first.placements if p.site_id}
    job_of = {p.person_id: p.job_id for p in first.placements}
    settled = replace(
        base,
        persons=tuple(replace(p, current_job_id=job_of[p.person_id]) for p in base.persons),
        households=tuple(
            replace(h, current_site_id=site_of.get(h.household_id)) for h in base.households
        ),
    )
    second = plan_placement(settled, _Fixed())
    assert check_placements(settled, second.placements) == []
    assert not any(p.moved for p in second.placements)


class _Fixed:
    def predict_stay(self, features: np.ndarray) -> np.ndarray:
        return np.full(len(features), 0.7)
