"""Fairness: rates by group in every run; priorities and minimum shares are honoured."""

from __future__ import annotations

import numpy as np

from labour.engine.checker import check_placements
from labour.engine.engine import plan_placement
from labour.engine.instances import make_instance
from labour.engine.model import (
    GroupSelector,
    Job,
    MinimumShare,
    Person,
    PlacementInstance,
    PlacementPolicy,
    PlacementStatus,
    Priority,
    Site,
)

LARGE_FAMILIES = GroupSelector("households of 5+", min_household_size=5)


class FixedRetention:
    def predict_stay(self, features: np.ndarray) -> np.ndarray:
        return np.full(len(features), 0.8)


def _crowded_site() -> PlacementInstance:
    """Ten housing places: ten single workers fill them better than two families of five
    with one worker and five children each, so an objective counting workers leaves the
    families out; both families together would need twelve places."""
    persons = [Person(f"s{i}", f"single{i}", age=25, sex="M") for i in range(10)]
    for family in range(2):
        persons.append(Person(f"f{family}-parent", f"family{family}", age=35, sex="F"))
        persons += [
            Person(f"f{family}-child{c}", f"family{family}", age=6, sex="M", seeks_work=False)
            for c in range(5)
        ]
    site = Site("S1", "commune", "farm", housing_places=10)
    return make_instance(persons, [site], [Job("J1", "S1", "farmer", "farm", 10)])


def _rate(result: object, dimension: str, group: str) -> tuple[float, float]:
    rate = next(r for r in result.fairness if r.dimension == dimension and r.group == group)  # type: ignore[attr-defined]
    return rate.placement_rate, rate.housing_rate


def test_rates_by_household_size_age_and_sex_show_who_is_left_out() -> None:
    result = plan_placement(_crowded_site(), FixedRetention())
    assert _rate(result, "household_size", "1") == (1.0, 1.0)
    assert _rate(result, "household_size", "5+") == (0.0, 0.0)
    dimensions = {(r.dimension, r.group) for r in result.fairness}
    assert {("age_group", "0-15"), ("age_group", "16-30"), ("sex", "F"), ("sex", "M")} <= (
        dimensions
    )
    children = next(r for r in result.fairness if r.group == "0-15")
    assert children.work_seekers == 0 and children.persons == 10 and children.housed == 0


def test_minimum_share_is_honoured() -> None:
    instance = _crowded_site()
    policy = PlacementPolicy(minimum_shares=(MinimumShare(LARGE_FAMILIES, 0.5),))
    result = plan_placement(instance, FixedRetention(), policy)
    assert check_placements(instance, result.placements, policy) == []
    placement_rate, housing_rate = _rate(result, "household_size", "5+")
    assert placement_rate >= 0.5 and housing_rate >= 0.5
    assert result.shares[0].honoured
    # The rest of the site still goes to singles: one family takes six places.
    assert sum(p.status == PlacementStatus.PLACED for p in result.placements) == 5


def test_an_impossible_minimum_share_is_reported_not_faked() -> None:
    instance = _crowded_site()
    policy = PlacementPolicy(minimum_shares=(MinimumShare(LARGE_FAMILIES, 1.0),))
    result = plan_placement(instance, FixedRetention(), policy)
    assert check_placements(instance, result.placements, policy) == []
    outcome = result.shares[0]
    assert not outcome.honoured
    assert outcome.achieved_share == 0.5
    assert "could be placed" in outcome.reason


def test_priority_moves_a_group_ahead() -> None:
    instance = _crowded_site()
    small = plan_placement(
        instance, FixedRetention(), PlacementPolicy(priorities=(Priority(LARGE_FAMILIES, 0.5),))
    )
    large = plan_placement(
        instance, FixedRetention(), PlacementPolicy(priorities=(Priority(LARGE_FAMILIES, 5.0),))
    )
    assert _rate(small, "household_size", "5+")[0] == 0.0
    # Only one family fits in ten places; a large enough priority puts it first.
    assert _rate(large, "household_size", "5+") == (0.5, 0.5)
    assert any(r.dimension == "policy_group" for r in large.fairness)


def test_housing_value_counts_children_so_families_are_housed_when_housing_is_free() -> None:
    instance = _crowded_site()
    roomy = PlacementInstance(
        persons=instance.persons,
        households=instance.households,
        sites=(Site("S1", "commune", "farm", housing_places=22),),
        jobs=instance.jobs,
    )
    result = plan_placement(roomy, FixedRetention())
    assert all(p.status != PlacementStatus.UNPLACED for p in result.placements)
