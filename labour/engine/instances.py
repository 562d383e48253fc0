"""Generated placement instances for tests and benchmarks (seeded, reproducible).

Proportions follow the modelled case loosely: mines and farming communes hold most of the
vacancies, a few skilled posts need verified credentials, most arrivals are young and fit.
"""

from __future__ import annotations

from dataclasses import replace

import numpy as np

from labour.engine.model import Household, Job, Person, PlacementInstance, Requirements, Site

CREDENTIALS: tuple[str, ...] = (
    "mining engineer diploma",
    "agronomy diploma",
    "teacher certificate",
    "nurse certificate",
    "electrician certificate",
    "machinist certificate",
    "accountant diploma",
    "veterinary certificate",
)
_SITE_SECTORS = ("mine", "farm", "factory", "institute")
_SITE_SECTOR_SHARES = (0.35, 0.45, 0.15, 0.05)
_SECTOR_DIFFICULTY = {"mine": 0.8, "farm": 0.6, "factory": 0.45, "institute": 0.3}
_AREA_KM = 400.0
PROVINCES: tuple[str, ...] = ("North", "East", "South", "West")
COUNTIES_PER_PROVINCE = 8
_HOUSING_BY_SECTOR = {
    "mine": (0.6, 0.3, 0.1),
    "farm": (0.1, 0.4, 0.5),
    "factory": (0.5, 0.3, 0.2),
    "institute": (0.2, 0.4, 0.4),
}


def enrich(instance: PlacementInstance, seed: int) -> PlacementInstance:
    """Add what the issue-18 engine can express: provinces and counties, housing types, job
    heaviness and skill levels, three fitness levels, ranked places, claimed credentials.

    Drawn from a separate random stream, so the rest of a seeded instance is unchanged.
    """
    rng = np.random.default_rng(seed + 1_000_003)
    sites = []
    for index, site in enumerate(instance.sites):
        province = PROVINCES[index % len(PROVINCES)]
        county = f"{province} county {int(rng.integers(COUNTIES_PER_PROVINCE))}"
        shares = _HOUSING_BY_SECTOR.get(site.sector, (0.34, 0.33, 0.33))
        housing_type = ("dormitory", "mixed", "family")[int(rng.choice(3, p=shares))]
        sites.append(replace(site, province=province, county=county, housing_type=housing_type))
    jobs = []
    for job in instance.jobs:
        if job.requirements.heavy_work:
            heaviness, skill = "heavy", 0
        elif job.requirements.credential:
            heaviness, skill = "light", int(rng.choice([2, 3], p=[0.7, 0.3]))
        else:
            heaviness = "medium" if rng.random() < 0.6 else "light"
            skill = int(rng.random() < 0.3)
        jobs.append(replace(job, heaviness=heaviness, skill_level=skill))
    counties = sorted({site.county for site in sites})
    persons = []
    for person in instance.persons:
        light = "light" if rng.random() < 0.85 else "unfit"
        fitness = "heavy" if person.heavy_work_fit else light
        places: tuple[str, ...] = ()
        wished = int(rng.integers(0, 4))
        if wished:
            pool = counties + list(PROVINCES)
            picks = rng.choice(len(pool), size=wished, replace=False)
            places = tuple(pool[i] for i in picks)
        claimed: frozenset[str] = frozenset()
        if not person.verified_credentials and person.age >= 20 and rng.random() < 0.05:
            claimed = frozenset({CREDENTIALS[int(rng.integers(len(CREDENTIALS)))]})
        persons.append(
            replace(
                person,
                fitness=fitness,
                preferred_places=places,
                province=PROVINCES[int(rng.integers(len(PROVINCES)))],
                claimed_credentials=claimed,
            )
        )
    return replace(instance, persons=tuple(persons), sites=tuple(sites), jobs=tuple(jobs))


def _sites(rng: np.random.Generator, n_sites: int, housing: np.ndarray) -> list[Site]:
    sectors = rng.choice(len(_SITE_SECTORS), size=n_sites, p=_SITE_SECTOR_SHARES)
    locations = rng.uniform(0, _AREA_KM, size=(n_sites, 2))
    return [
        Site(
            site_id=f"S{i}",
            name=f"{_SITE_SECTORS[sectors[i]]} site {i}",
            sector=_SITE_SECTORS[sectors[i]],
            housing_places=int(housing[i]),
            location_km=(float(locations[i, 0]), float(locations[i, 1])),
        )
        for i in range(n_sites)
    ]


def _job(rng: np.random.Generator, job_id: str, site: Site, kind: str, slots: int) -> Job:
    """kind: 'heavy' (labourer), 'general' or 'skilled' (needs a verified credential)."""
    credential = CREDENTIALS[rng.integers(len(CREDENTIALS))] if kind == "skilled" else None
    difficulty = _SECTOR_DIFFICULTY[site.sector] + (0.15 if kind == "heavy" else 0.0)
    difficulty = float(np.clip(difficulty + rng.normal(0, 0.1), 0.0, 1.0))
    return Job(
        job_id=job_id,
        site_id=site.site_id,
        occupation=f"{site.sector} {kind}",
        sector=site.sector,
        slots=slots,
        requirements=Requirements(
            credential=credential,
            heavy_work=kind == "heavy",
            min_age=18 if kind == "heavy" else 16,
            language="ko" if rng.random() < 0.1 else None,
        ),
        difficulty=difficulty,
    )


def _person(
    rng: np.random.Generator, person_id: str, household_id: str, age: int, seeks_work: bool
) -> Person:
    has_credential = rng.random() < 0.08 and age >= 20
    preferred = rng.permutation(len(_SITE_SECTORS))[: rng.integers(0, 4)]
    return Person(
        person_id=person_id,
        household_id=household_id,
        age=age,
        sex="F" if rng.random() < 0.48 else "M",
        seeks_work=seeks_work,
        higher_education_years=int(rng.integers(3, 6)) if has_credential else 0,
        verified_credentials=frozenset({CREDENTIALS[rng.integers(len(CREDENTIALS))]})
        if has_credential
        else frozenset(),
        heavy_work_fit=bool(rng.random() < (0.85 if age <= 50 else 0.5)),
        languages=frozenset({"ko", "zh"}) if rng.random() < 0.9 else frozenset({"zh"}),
        preferred_sectors=tuple(_SITE_SECTORS[i] for i in preferred),
        relatives_location_km=tuple(rng.uniform(0, _AREA_KM, 2).round(1))
        if rng.random() < 0.6
        else None,
    )


def generate_worker_instance(
    n_people: int,
    n_jobs: int,
    n_sites: int,
    candidates_per_person: int = 36,
    housing_sites: int = 3,
    seed: int = 0,
) -> PlacementInstance:
    """Single people (one-person households), `n_jobs` vacancies of 1-10 slots each.

    Each person gets `candidates_per_person` jobs to consider; about 5 in 6 pass the
    eligibility filter (36 candidates give about 30 eligible jobs).
    """
    rng = np.random.default_rng(seed)
    job_site = rng.integers(0, n_sites, size=n_jobs)
    job_slots = rng.integers(1, 11, size=n_jobs)
    housing = np.bincount(job_site, weights=job_slots, minlength=n_sites) * 1.1 + 5
    sites = _sites(rng, n_sites, housing.astype(int))
    kinds = rng.choice(["heavy", "general", "skilled"], size=n_jobs, p=[0.4, 0.52, 0.08])
    jobs = [
        _job(rng, f"J{j}", sites[job_site[j]], str(kinds[j]), int(job_slots[j]))
        for j in range(n_jobs)
    ]
    ages = np.clip(rng.gamma(6.0, 5.0, size=n_people) + 14, 16, 64).astype(int)
    persons = [_person(rng, f"P{i}", f"H{i}", int(ages[i]), True) for i in range(n_people)]
    households = [
        Household(household_id=f"H{i}", member_ids=(f"P{i}",), arrival_order=i)
        for i in range(n_people)
    ]
    candidates = rng.integers(0, n_jobs, size=(n_people, candidates_per_person))
    candidate_job_ids = {
        f"P{i}": tuple(f"J{j}" for j in np.unique(candidates[i])) for i in range(n_people)
    }
    # Housing without work is offered near the first few candidate jobs only.
    candidate_site_ids = {
        f"H{i}": tuple(dict.fromkeys(f"S{job_site[j]}" for j in candidates[i, :housing_sites]))
        for i in range(n_people)
    }
    return enrich(
        PlacementInstance(
            persons=tuple(persons),
            households=tuple(households),
            sites=tuple(sites),
            jobs=tuple(jobs),
            candidate_job_ids=candidate_job_ids,
            candidate_site_ids=candidate_site_ids,
        ),
        seed,
    )


def _household_ages(rng: np.random.Generator, size: int) -> list[int]:
    adults = 1 if size == 1 else 2 if size < 5 else 3
    ages = [int(rng.integers(17, 56)) for _ in range(min(adults, size))]
    for _ in range(size - len(ages)):
        ages.append(int(rng.integers(0, 16)) if rng.random() < 0.75 else int(rng.integers(60, 80)))
    return ages


def generate_household_instance(
    n_households: int,
    n_sites: int,
    sites_per_household: int = 12,
    job_share: float = 0.75,
    housing_share: float = 0.85,
    seed: int = 0,
) -> PlacementInstance:
    """Households of 1-8 people across sites with 4 capacity dimensions each: housing places
    and three jobs (heavy labour, general work, a skilled post).

    `job_share` and `housing_share` set total job slots against work seekers and housing
    places against people, so that both are scarce.
    """
    rng = np.random.default_rng(seed)
    sizes = rng.choice(
        [1, 2, 3, 4, 5, 6, 7, 8],
        size=n_households,
        p=[0.25, 0.2, 0.18, 0.15, 0.1, 0.06, 0.04, 0.02],
    )
    persons: list[Person] = []
    households: list[Household] = []
    arrival = rng.permutation(n_households)
    for h in range(n_households):
        member_ids = []
        for age in _household_ages(rng, int(sizes[h])):
            person_id = f"P{len(persons)}"
            persons.append(_person(rng, person_id, f"H{h}", age, 16 <= age < 60))
            member_ids.append(person_id)
        households.append(Household(f"H{h}", tuple(member_ids), arrival_order=int(arrival[h])))
    workers = sum(p.seeks_work for p in persons)
    housing_weights = rng.uniform(0.5, 1.5, n_sites)
    housing = np.floor(housing_weights / housing_weights.sum() * len(persons) * housing_share)
    sites = _sites(rng, n_sites, housing.astype(int))
    job_weights = rng.uniform(0.5, 1.5, (n_sites, 3)) * np.array([0.45, 0.47, 0.08])
    slots = np.maximum(1, np.floor(job_weights / job_weights.sum() * workers * job_share))
    jobs = [
        _job(rng, f"J{s}-{kind}", sites[s], kind, int(slots[s, k]))
        for s in range(n_sites)
        for k, kind in enumerate(("heavy", "general", "skilled"))
    ]
    seekers = {person.person_id: person.seeks_work for person in persons}
    candidate_job_ids: dict[str, tuple[str, ...]] = {}
    candidate_site_ids: dict[str, tuple[str, ...]] = {}
    for household in households:
        chosen_sites = rng.choice(n_sites, size=sites_per_household, replace=False)
        candidate_site_ids[household.household_id] = tuple(f"S{s}" for s in chosen_sites)
        job_ids = tuple(
            f"J{s}-{kind}" for s in chosen_sites for kind in ("heavy", "general", "skilled")
        )
        for member_id in household.member_ids:
            if seekers[member_id]:
                candidate_job_ids[member_id] = job_ids
    return enrich(
        PlacementInstance(
            persons=tuple(persons),
            households=tuple(households),
            sites=tuple(sites),
            jobs=tuple(jobs),
            candidate_job_ids=candidate_job_ids,
            candidate_site_ids=candidate_site_ids,
        ),
        seed,
    )


def make_instance(
    persons: list[Person],
    sites: list[Site],
    jobs: list[Job],
    current_site_ids: dict[str, str] | None = None,
    candidate_job_ids: dict[str, tuple[str, ...]] | None = None,
) -> PlacementInstance:
    """Build an instance whose households are the persons grouped by `household_id`
    (in order of first appearance); convenient for tests and the what-if page."""
    members: dict[str, list[str]] = {}
    for person in persons:
        members.setdefault(person.household_id, []).append(person.person_id)
    households = tuple(
        Household(
            household_id=household_id,
            member_ids=tuple(member_ids),
            current_site_id=(current_site_ids or {}).get(household_id),
            arrival_order=order,
        )
        for order, (household_id, member_ids) in enumerate(members.items())
    )
    return PlacementInstance(
        persons=tuple(persons),
        households=households,
        sites=tuple(sites),
        jobs=tuple(jobs),
        candidate_job_ids=candidate_job_ids,
    )
