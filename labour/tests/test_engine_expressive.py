"""What the engine can express since issue 18: three fitness levels against job heaviness,
ranked places, housing type against household size, skill levels, working age per plan, and
plans across provinces."""

from __future__ import annotations

import numpy as np

from labour.engine.arrays import build_candidate_pairs, index_instance
from labour.engine.checker import check_placements
from labour.engine.engine import plan_placement
from labour.engine.features import FEATURE_NAMES
from labour.engine.history import GroundTruthRetention
from labour.engine.instances import make_instance
from labour.engine.model import Job, Person, PlacementPolicy, PlacementStatus, Site


def _site(site_id: str, **fields: object) -> Site:
    return Site(
        site_id=site_id,
        name=site_id,
        sector="farm",
        housing_places=20,
        **fields,  # type: ignore[arg-type]
    )


def _job(job_id: str, site_id: str, heaviness: str = "medium", **fields: object) -> Job:
    return Job(
        job_id=job_id,
        site_id=site_id,
        occupation="worker",
        sector="farm",
        slots=5,
        heaviness=heaviness,
        **fields,  # type: ignore[arg-type]
    )


def _person(person_id: str, household: str | None = None, **fields: object) -> Person:
    defaults: dict[str, object] = {"age": 30, "sex": "M", "fitness": "heavy"}
    return Person(person_id, household or f"H-{person_id}", **{**defaults, **fields})  # type: ignore[arg-type]


def test_fitness_levels_meet_job_heaviness_as_a_hard_rule() -> None:
    sites = [_site("S")]
    jobs = [_job("heavy", "S", "heavy"), _job("medium", "S", "medium"), _job("light", "S", "light")]
    persons = [
        _person("strong", fitness="heavy"),
        _person("light-fit", fitness="light"),
        _person("unfit", fitness="unfit"),
    ]
    instance = make_instance(persons, sites, jobs)
    pairs = build_candidate_pairs(
        index_instance(instance), PlacementPolicy(), GroundTruthRetention()
    )
    eligible = {
        (instance.persons[p].person_id, instance.jobs[j].job_id)
        for p, j, ok in zip(pairs.person, pairs.job, pairs.eligible, strict=True)
        if ok
    }
    assert ("strong", "heavy") in eligible
    assert ("light-fit", "heavy") not in eligible
    assert {("light-fit", "medium"), ("light-fit", "light")} <= eligible
    assert not any(person == "unfit" for person, _job_id in eligible)

    result = plan_placement(instance, GroundTruthRetention())
    by_person = result.by_person()
    assert by_person["unfit"].job_id is None
    assert "not fit for work" in by_person["unfit"].reason
    assert by_person["light-fit"].job_id in {"medium", "light"}
    assert not check_placements(instance, result.placements)


def test_light_fit_person_in_medium_work_is_less_likely_to_stay_than_in_light_work() -> None:
    instance = make_instance(
        [_person("p", fitness="light")],
        [_site("S")],
        [_job("medium", "S", "medium"), _job("light", "S", "light")],
    )
    pairs = build_candidate_pairs(
        index_instance(instance), PlacementPolicy(), GroundTruthRetention()
    )
    stay = dict(zip([instance.jobs[j].job_id for j in pairs.job], pairs.stay, strict=True))
    assert stay["light"] > stay["medium"]
    assert plan_placement(instance, GroundTruthRetention()).by_person()["p"].job_id == "light"


def test_ranked_places_send_a_person_to_the_county_they_ranked_first() -> None:
    sites = [
        _site("A", county="Onsong", province="North"),
        _site("B", county="Hoeryong", province="North"),
        _site("C", county="Musan", province="North"),
    ]
    jobs = [_job("a", "A"), _job("b", "B"), _job("c", "C")]
    person = _person("p", preferred_places=("Hoeryong", "Onsong"), province="North")
    instance = make_instance([person], sites, jobs)
    pairs = build_candidate_pairs(
        index_instance(instance), PlacementPolicy(), GroundTruthRetention()
    )
    column = FEATURE_NAMES.index("place_preference_match")
    stay = dict(zip([instance.jobs[j].job_id for j in pairs.job], pairs.stay, strict=True))
    assert stay["b"] > stay["a"] > stay["c"]
    assert column >= 0
    assert plan_placement(instance, GroundTruthRetention()).by_person()["p"].job_id == "b"


class _Capture:
    features: np.ndarray

    def predict_stay(self, features: np.ndarray) -> np.ndarray:
        self.features = features
        return np.full(len(features), 0.5)


def test_a_wished_for_place_is_the_sites_county_first_then_its_province() -> None:
    sites = [
        _site("A", county="Onsong", province="North"),
        _site("B", county="Hoeryong", province="North"),
        _site("C", county="Hyesan", province="Ryanggang"),
    ]
    jobs = [_job("a", "A"), _job("b", "B"), _job("c", "C")]
    wishes = {
        # the county counts before its province, whatever their ranks; names fold case
        "county": ("north", "HOERYONG"),
        # a province alone covers its counties; a name named twice keeps its first rank
        "province": ("Nowhere", "Ryanggang", "North", "Ryanggang"),
        "none": ("Nowhere",),
        "empty": (),
    }
    persons = [_person(name, preferred_places=places) for name, places in wishes.items()]
    instance = make_instance(persons, sites, jobs)
    captured = _Capture()
    pairs = build_candidate_pairs(index_instance(instance), PlacementPolicy(), captured)
    column = captured.features[:, FEATURE_NAMES.index("place_preference_match")]
    found = {
        (instance.persons[p].person_id, instance.jobs[j].job_id): round(float(value), 3)
        for p, j, value in zip(pairs.person, pairs.job, column, strict=True)
    }
    expected = {
        "county": {"a": 1.0, "b": 0.5, "c": 0.0},
        "province": {"a": 1 / 3, "b": 1 / 3, "c": 0.5},
        "none": {"a": 0.0, "b": 0.0, "c": 0.0},
        "empty": {"a": 0.0, "b": 0.0, "c": 0.0},
    }
    for person, by_job in expected.items():
        for job, value in by_job.items():
            assert found[(person, job)] == round(value, 3), (person, job)


def test_a_family_of_five_goes_to_family_housing_not_a_dormitory() -> None:
    sites = [_site("dorm", housing_type="dormitory"), _site("family", housing_type="family")]
    jobs = [_job("d", "dorm"), _job("f", "family")]
    family = [_person(f"m{i}", "H5", age=30 if i < 2 else 8) for i in range(5)]
    single = [_person("alone")]
    instance = make_instance(family + single, sites, jobs)
    result = plan_placement(instance, GroundTruthRetention())
    by_person = result.by_person()
    assert by_person["m0"].site_id == "family"
    pairs = build_candidate_pairs(
        index_instance(instance), PlacementPolicy(), GroundTruthRetention()
    )
    column = FEATURE_NAMES.index("family_in_dormitory")
    assert column >= 0
    stay = {
        (instance.persons[p].person_id, instance.jobs[j].job_id): s
        for p, j, s in zip(pairs.person, pairs.job, pairs.stay, strict=True)
    }
    assert stay[("m0", "f")] > stay[("m0", "d")]


def test_skill_gap_is_a_feature_over_and_under_qualification_lower_the_stay() -> None:
    sites = [_site("S")]
    jobs = [
        _job("labourer", "S", skill_level=0),
        _job("technician", "S", skill_level=2),
        _job("engineer", "S", skill_level=3),
    ]
    graduate = _person(
        "grad", higher_education_years=4, verified_credentials=frozenset({"engineer diploma"})
    )
    assert graduate.skill == 3
    instance = make_instance([graduate], sites, jobs)
    pairs = build_candidate_pairs(
        index_instance(instance), PlacementPolicy(), GroundTruthRetention()
    )
    stay = dict(zip([instance.jobs[j].job_id for j in pairs.job], pairs.stay, strict=True))
    assert stay["engineer"] > stay["labourer"]
    plain = _person("plain")
    instance = make_instance([plain], sites, jobs)
    pairs = build_candidate_pairs(
        index_instance(instance), PlacementPolicy(), GroundTruthRetention()
    )
    stay = dict(zip([instance.jobs[j].job_id for j in pairs.job], pairs.stay, strict=True))
    assert stay["labourer"] > stay["engineer"]


def test_working_age_is_set_by_the_plan() -> None:
    instance = make_instance([_person("elder", age=62)], [_site("S")], [_job("j", "S")])
    default = plan_placement(instance, GroundTruthRetention()).by_person()["elder"]
    assert default.job_id is None and "working age" in default.reason
    wider = PlacementPolicy(working_age_max=64)
    placed = plan_placement(instance, GroundTruthRetention(), wider).by_person()["elder"]
    assert placed.job_id == "j"
    assert not check_placements(instance, [placed], wider)


def test_a_plan_across_provinces_marks_who_needs_a_travel_permit() -> None:
    sites = [_site("home", province="North"), _site("away", province="East")]
    jobs = [_job("h", "home"), Job("a", "away", "worker", "farm", slots=5, heaviness="medium")]
    persons = [_person(f"p{i}", province="North") for i in range(7)]
    instance = make_instance(persons, sites, jobs)
    result = plan_placement(instance, GroundTruthRetention())
    placed = [p for p in result.placements if p.status == PlacementStatus.PLACED]
    assert len(placed) == 7
    assert {p.needs_travel_permit for p in placed if p.site_id == "away"} == {True}
    assert {p.needs_travel_permit for p in placed if p.site_id == "home"} == {False}
    # Sending people away lowers their chance of staying, so home fills first.
    assert sum(p.site_id == "home" for p in placed) == 5

    own_only = PlacementPolicy(allow_other_provinces=False)
    kept = plan_placement(instance, GroundTruthRetention(), own_only)
    assert sum(p.job_id is not None for p in kept.placements) == 5
    assert not check_placements(instance, kept.placements, own_only)
    assert np.all([p.site_id != "away" or p.job_id is None for p in kept.placements])
