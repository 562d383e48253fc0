"""Hard constraints and refusals of the placement engine, checked by the independent checker."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest

from labour.engine.arrays import build_candidate_pairs, index_instance
from labour.engine.checker import check_placements
from labour.engine.eligibility import eligibility_failures
from labour.engine.engine import plan_placement
from labour.engine.history import GroundTruthRetention
from labour.engine.instances import (
    generate_household_instance,
    generate_worker_instance,
    make_instance,
)
from labour.engine.model import (
    GroupSelector,
    Job,
    MinimumShare,
    Person,
    PlacementPolicy,
    PlacementStatus,
    Requirements,
    Site,
)


class FixedRetention:
    """Every pair has the same chance of staying, so only preferences and rules decide."""

    def __init__(self, probability: float = 0.8) -> None:
        self.probability = probability

    def predict_stay(self, features: np.ndarray) -> np.ndarray:
        return np.full(len(features), self.probability)


def _site(site_id: str, housing: int) -> Site:
    return Site(site_id=site_id, name=site_id, sector="farm", housing_places=housing)


def _job(job_id: str, site_id: str, slots: int, **requirements: object) -> Job:
    return Job(
        job_id=job_id,
        site_id=site_id,
        occupation="worker",
        sector="farm",
        slots=slots,
        requirements=Requirements(**requirements),  # type: ignore[arg-type]
    )


def test_eligibility_is_never_violated_even_when_it_leaves_slots_empty() -> None:
    persons = [
        Person("unfit", "H1", age=25, sex="M", heavy_work_fit=False),
        Person("young", "H2", age=15, sex="F", heavy_work_fit=True),
        Person("no-diploma", "H3", age=40, sex="M", heavy_work_fit=True),
        Person("no-korean", "H4", age=30, sex="F", languages=frozenset({"zh"})),
    ]
    jobs = [
        _job("mine", "S1", 5, heavy_work=True),
        _job("adult", "S1", 5, min_age=16),
        _job("clinic", "S1", 5, credential="nurse certificate"),
        _job("office", "S1", 5, language="ko"),
    ]
    instance = make_instance(persons, [_site("S1", 10)], jobs)
    result = plan_placement(instance, FixedRetention())
    assert check_placements(instance, result.placements) == []
    placed = result.by_person()
    assert placed["unfit"].job_id in {"adult", "office"}
    assert placed["young"].job_id is None
    assert placed["no-diploma"].job_id in {"mine", "adult", "office"}
    assert placed["no-korean"].job_id in {"adult"}
    assert all(p.job_id != "clinic" for p in result.placements)


def test_households_stay_together_at_one_site() -> None:
    instance = generate_household_instance(n_households=150, n_sites=8, sites_per_household=4)
    result = plan_placement(instance, FixedRetention())
    assert check_placements(instance, result.placements) == []
    sites_by_household: dict[str, set[str | None]] = {}
    for placement in result.placements:
        sites_by_household.setdefault(placement.household_id, set()).add(placement.site_id)
    assert all(len(sites) == 1 for sites in sites_by_household.values())
    assert sum(p.status == PlacementStatus.PLACED for p in result.placements) > 100


def test_a_household_is_not_split_even_when_splitting_would_employ_more() -> None:
    persons = [
        Person("a", "H", age=30, sex="M", heavy_work_fit=True),
        Person("b", "H", age=28, sex="F", heavy_work_fit=True),
    ]
    # One job slot at each site: together they can only fill one of them.
    jobs = [_job("J1", "S1", 1), _job("J2", "S2", 1)]
    instance = make_instance(persons, [_site("S1", 5), _site("S2", 5)], jobs)
    result = plan_placement(instance, FixedRetention())
    assert check_placements(instance, result.placements) == []
    placed = result.by_person()
    assert placed["a"].site_id == placed["b"].site_id
    assert sum(p.job_id is not None for p in result.placements) == 1


@pytest.mark.parametrize("household_size", [1, 3])
def test_every_capacity_dimension_is_respected(household_size: int) -> None:
    persons = [
        Person(f"p{h}-{m}", f"H{h}", age=30, sex="F", heavy_work_fit=True)
        for h in range(6)
        for m in range(household_size)
    ]
    jobs = [_job("J1", "S1", 4), _job("J2", "S1", 2), _job("J3", "S2", 50)]
    # S2 has plenty of jobs but almost no housing: housing is the binding dimension there.
    sites = [_site("S1", 9), _site("S2", household_size)]
    instance = make_instance(persons, sites, jobs)
    result = plan_placement(instance, FixedRetention())
    assert check_placements(instance, result.placements) == []
    used = {price.capacity_id: price.used for price in result.prices}
    assert used["J1"] <= 4 and used["J2"] <= 2 and used["S1"] <= 9
    assert used["S2"] <= household_size


def test_people_at_work_are_not_moved_without_permission() -> None:
    persons = [
        Person("settled", "H1", age=30, sex="M", current_job_id="bad", preferred_sectors=("mine",)),
        Person("new", "H2", age=30, sex="M", preferred_sectors=("mine",)),
    ]
    jobs = [
        Job("bad", "S1", "worker", "farm", 1),
        Job("good", "S2", "miner", "mine", 1),
    ]
    sites = [_site("S1", 5), _site("S2", 5)]
    instance = make_instance(persons, sites, jobs)
    locked = plan_placement(instance, FixedRetention())
    assert check_placements(instance, locked.placements) == []
    assert locked.by_person()["settled"].job_id == "bad"
    assert not locked.by_person()["settled"].moved

    policy = PlacementPolicy(movable_household_ids=frozenset({"H1"}), stay_bonus=0.0)
    allowed = plan_placement(instance, FixedRetention(), policy)
    assert check_placements(instance, allowed.placements, policy) == []
    # Both prefer the mine; with moves allowed the flow may give it to either, but the
    # checker must reject the moved plan when the move is not permitted.
    moved = [p for p in allowed.placements if p.moved]
    if moved:
        assert check_placements(instance, allowed.placements) != []


def test_a_movable_worker_who_no_longer_meets_their_jobs_requirements_keeps_it() -> None:
    """A run allowed to move people may not take a held job away: the medical examination
    now says `unfit` for heavy work, and no other job suits him, so he stays where he is."""
    persons = [
        Person("unfit", "H1", age=40, sex="M", heavy_work_fit=False, current_job_id="pit"),
        Person("fit", "H2", age=30, sex="M", heavy_work_fit=True),
    ]
    jobs = [Job("pit", "S1", "miner", "mine", 1, requirements=Requirements(heavy_work=True))]
    instance = make_instance(persons, [_site("S1", 5), _site("S2", 5)], jobs)
    policy = PlacementPolicy(movable_household_ids=frozenset({"H1"}))  # the default bonus
    result = plan_placement(instance, FixedRetention(), policy)
    assert check_placements(instance, result.placements, policy) == []
    assert result.by_person()["unfit"].job_id == "pit"
    assert result.by_person()["fit"].job_id is None


def test_a_movable_worker_moves_only_when_it_pays_more_than_the_stay_bonus() -> None:
    persons = [
        Person("w", "H1", age=30, sex="M", current_job_id="farm", preferred_sectors=("mine",))
    ]
    jobs = [Job("farm", "S1", "worker", "farm", 1), Job("mine", "S2", "miner", "mine", 1)]
    instance = make_instance(persons, [_site("S1", 2), _site("S2", 2)], jobs)
    movable = frozenset({"H1"})
    cheap = plan_placement(
        instance,
        FixedRetention(),
        PlacementPolicy(movable_household_ids=movable, stay_bonus=0.1, preference_weight=0.3),
    )
    costly = plan_placement(
        instance,
        FixedRetention(),
        PlacementPolicy(movable_household_ids=movable, stay_bonus=0.5, preference_weight=0.3),
    )
    assert cheap.by_person()["w"].job_id == "mine" and cheap.by_person()["w"].moved
    assert costly.by_person()["w"].job_id == "farm" and not costly.by_person()["w"].moved


def test_household_with_no_fitting_job_is_housed_when_housing_is_free() -> None:
    persons = [
        Person("elder", "H1", age=70, sex="F", seeks_work=False),
        Person("child", "H1", age=8, sex="M", seeks_work=False),
        Person("unfit", "H2", age=40, sex="M", heavy_work_fit=False),
    ]
    jobs = [_job("mine", "S1", 10, heavy_work=True)]
    instance = make_instance(persons, [_site("S1", 10)], jobs)
    result = plan_placement(instance, FixedRetention())
    assert check_placements(instance, result.placements) == []
    for placement in result.placements:
        assert placement.status == PlacementStatus.HOUSED
        assert placement.site_id == "S1"
    assert "not fit for heavy work" in result.by_person()["unfit"].reason


def test_housing_only_fallback_does_not_take_housing_from_workers() -> None:
    persons = [
        Person("worker", "H1", age=30, sex="M", heavy_work_fit=True),
        Person("unfit", "H2", age=40, sex="M", heavy_work_fit=False),
    ]
    jobs = [_job("mine", "S1", 1, heavy_work=True)]
    instance = make_instance(persons, [_site("S1", 1)], jobs)
    result = plan_placement(instance, FixedRetention())
    placed = result.by_person()
    assert placed["worker"].status == PlacementStatus.PLACED
    assert placed["unfit"].status == PlacementStatus.UNPLACED
    assert "no housing" in placed["unfit"].reason


def test_flow_and_household_lp_agree_on_one_person_households() -> None:
    instance = generate_worker_instance(n_people=400, n_jobs=60, n_sites=6, seed=3)
    retention = GroundTruthRetention()
    flow = plan_placement(instance, retention, method="flow")
    lp = plan_placement(instance, retention, method="households")
    assert flow.stats.method == "min_cost_flow" and lp.stats.method == "column_generation_mip"
    assert check_placements(instance, flow.placements) == []
    assert check_placements(instance, lp.placements) == []
    # The flow is exact on the same model: the household solver cannot beat it, its bound
    # cannot be below it, and rounding loses little.
    assert lp.stats.objective <= flow.stats.objective + 1e-3
    assert lp.stats.bound >= flow.stats.objective - 1e-3
    assert lp.stats.objective >= 0.99 * flow.stats.objective


def test_refuses_inconsistent_input() -> None:
    persons = [Person("p", "H1", age=30, sex="M", current_job_id="missing")]
    instance = make_instance(persons, [_site("S1", 1)], [_job("J", "S1", 1)])
    with pytest.raises(ValueError, match="unknown id"):
        plan_placement(instance, FixedRetention())
    ok = make_instance([Person("p", "H1", age=30, sex="M")], [_site("S1", 1)], [_job("J", "S1", 1)])
    share = PlacementPolicy(minimum_shares=(MinimumShare(GroupSelector("all"), 0.5),))
    with pytest.raises(ValueError, match="flow needs"):
        plan_placement(ok, FixedRetention(), share, method="flow")
    with pytest.raises(ValueError, match="within"):
        plan_placement(
            ok,
            FixedRetention(),
            PlacementPolicy(minimum_shares=(MinimumShare(GroupSelector("all"), 1.5),)),
        )


def test_vectorised_eligibility_agrees_with_the_rules_for_every_candidate_pair() -> None:
    instance = generate_household_instance(
        n_households=150, n_sites=6, sites_per_household=4, seed=4
    )
    # Many languages (more than one 64-bit word of them) and a credential nobody holds.
    persons = tuple(
        replace(p, languages=frozenset({f"lang{i % 70}", f"lang{(i * 7) % 70}"}))
        for i, p in enumerate(instance.persons)
    )
    jobs = tuple(
        replace(
            j,
            requirements=replace(
                j.requirements,
                language=f"lang{i % 75}" if i % 3 else None,
                credential="pilot licence" if i % 11 == 0 else j.requirements.credential,
            ),
        )
        for i, j in enumerate(instance.jobs)
    )
    instance = replace(instance, persons=persons, jobs=jobs)
    indexed = index_instance(instance)
    pairs = build_candidate_pairs(indexed, PlacementPolicy(), FixedRetention())
    for person, job, failures in zip(
        pairs.person.tolist(), pairs.job.tolist(), pairs.failures.tolist(), strict=True
    ):
        assert failures == eligibility_failures(instance.persons[person], instance.jobs[job])
    assert np.any(pairs.failures == 0) and np.any(pairs.failures != 0)


def test_household_members_are_the_rows_of_each_household() -> None:
    instance = generate_household_instance(
        n_households=40, n_sites=3, sites_per_household=2, seed=2
    )
    indexed = index_instance(instance)
    assert len(indexed.household_members) == len(instance.households)
    for index, household in enumerate(instance.households):
        rows = indexed.household_members[index].tolist()
        assert [instance.persons[r].person_id for r in rows] == list(household.member_ids)
    assert indexed.household_members[-1].tolist() == indexed.household_members[39].tolist()
