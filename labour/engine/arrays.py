"""Index an instance into numpy arrays and build the scored candidate person-job pairs."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from itertools import chain
from typing import Protocol, overload

import numpy as np

from labour.engine.eligibility import MISSING_CREDENTIAL, OTHER_PROVINCE, pair_failures
from labour.engine.features import (
    DEFAULT_RELATIVES_DISTANCE_KM,
    build_pair_features,
    preference_match,
    sector_index,
)
from labour.engine.model import (
    HOUSING_TYPES,
    SECTORS,
    GroupSelector,
    PlacementInstance,
    PlacementPolicy,
)

MAX_DENSE_PAIRS = 5_000_000
CHILD_AGE_LIMIT = 16


class RetentionPredictor(Protocol):
    """Anything that maps a pair feature matrix to probabilities of staying 180 days."""

    def predict_stay(self, features: np.ndarray) -> np.ndarray: ...


def _bitsets(memberships: list[frozenset[str]], vocabulary: dict[str, int]) -> np.ndarray:
    words = max(1, (len(vocabulary) + 63) // 64)
    # Most people share a handful of sets (one language, no credential): each distinct set
    # is turned into bits once.
    distinct: dict[frozenset[str], int] = {}
    row_of_set = np.fromiter(
        (distinct.setdefault(members, len(distinct)) for members in memberships),
        dtype=np.int64,
        count=len(memberships),
    )
    set_bits = np.zeros((max(len(distinct), 1), words), dtype=np.uint64)
    for members, row in distinct.items():
        for name in members:
            bit = vocabulary[name]
            set_bits[row, bit // 64] |= np.uint64(1) << np.uint64(bit % 64)
    return set_bits[row_of_set]


class HouseholdMembers(Sequence[np.ndarray]):
    """Person rows of each household, as views into one flat array (a list of 100,000 small
    arrays costs more to build than the rest of the index)."""

    def __init__(self, flat_members: np.ndarray, sizes: np.ndarray) -> None:
        self.flat_members = flat_members
        self.bounds = np.concatenate([[0], np.cumsum(sizes)]).tolist()

    def __len__(self) -> int:
        return len(self.bounds) - 1

    @overload
    def __getitem__(self, household: int) -> np.ndarray: ...

    @overload
    def __getitem__(self, household: slice) -> list[np.ndarray]: ...

    def __getitem__(self, household: int | slice) -> np.ndarray | list[np.ndarray]:
        if isinstance(household, slice):
            return [self[i] for i in range(*household.indices(len(self)))]
        if household < 0:
            household += len(self)
        if not 0 <= household < len(self):
            raise IndexError("household index out of range")
        return self.flat_members[self.bounds[household] : self.bounds[household + 1]]


@dataclass
class IndexedInstance:
    instance: PlacementInstance
    person_index: dict[str, int]
    household_index: dict[str, int]
    site_index: dict[str, int]
    job_index: dict[str, int]
    person_household: np.ndarray
    household_size: np.ndarray
    household_members: HouseholdMembers
    household_has_children: np.ndarray
    household_current_site: np.ndarray
    age: np.ndarray
    female: np.ndarray
    seeks_work: np.ndarray
    """Wants work and is of the plan's working age."""
    of_working_age: np.ndarray
    current_job: np.ndarray
    job_site: np.ndarray
    job_slots: np.ndarray
    site_housing: np.ndarray

    @property
    def n_persons(self) -> int:
        return len(self.age)

    def group_mask(self, group: GroupSelector) -> np.ndarray:
        """Boolean mask over persons that belong to `group`."""
        mask = np.ones(self.n_persons, dtype=bool)
        size = self.household_size[self.person_household]
        if group.min_household_size is not None:
            mask &= size >= group.min_household_size
        if group.max_household_size is not None:
            mask &= size <= group.max_household_size
        if group.min_age is not None:
            mask &= self.age >= group.min_age
        if group.max_age is not None:
            mask &= self.age <= group.max_age
        if group.sex is not None:
            sexes = np.array([person.sex for person in self.instance.persons])
            mask &= sexes == group.sex
        if group.household_with_children is not None:
            has_children = self.household_has_children[self.person_household]
            mask &= has_children == group.household_with_children
        return mask


def index_instance(
    instance: PlacementInstance, policy: PlacementPolicy | None = None
) -> IndexedInstance:
    """Integer indices and arrays for an instance; raises ValueError on broken references.
    The policy's working age decides who is a work seeker (default 16-59)."""
    policy = policy or PlacementPolicy()
    person_index = {person.person_id: i for i, person in enumerate(instance.persons)}
    household_index = {household.household_id: i for i, household in enumerate(instance.households)}
    site_index = {site.site_id: i for i, site in enumerate(instance.sites)}
    job_index = {job.job_id: i for i, job in enumerate(instance.jobs)}
    try:
        person_household = np.array(
            [household_index[p.household_id] for p in instance.persons], dtype=np.int64
        )
        job_site = np.array([site_index[job.site_id] for job in instance.jobs], dtype=np.int64)
        current_job = np.array(
            [job_index[p.current_job_id] if p.current_job_id else -1 for p in instance.persons],
            dtype=np.int64,
        )
    except KeyError as missing:
        raise ValueError(f"unknown id referenced: {missing}") from None
    age = np.array([person.age for person in instance.persons], dtype=np.int64)
    of_working_age = (age >= policy.working_age_min) & (age <= policy.working_age_max)
    sizes = np.array([len(h.member_ids) for h in instance.households], dtype=np.int64)
    try:
        flat_members = np.fromiter(
            (person_index[m] for h in instance.households for m in h.member_ids),
            dtype=np.int64,
            count=int(sizes.sum()),
        )
    except KeyError as missing:
        raise ValueError(f"unknown id referenced: {missing}") from None
    member_household = np.repeat(np.arange(len(sizes)), sizes)
    wrong = np.flatnonzero(person_household[flat_members] != member_household)
    if len(wrong):
        household_id = instance.households[member_household[wrong[0]]].household_id
        raise ValueError(f"household {household_id} lists a member of another")
    household_members = HouseholdMembers(flat_members, sizes)
    has_children = np.zeros(len(sizes), dtype=bool)
    has_children[member_household[age[flat_members] < CHILD_AGE_LIMIT]] = True
    return IndexedInstance(
        instance=instance,
        person_index=person_index,
        household_index=household_index,
        site_index=site_index,
        job_index=job_index,
        person_household=person_household,
        household_size=sizes,
        household_members=household_members,
        household_has_children=has_children,
        household_current_site=np.array(
            [
                site_index[h.current_site_id] if h.current_site_id else -1
                for h in instance.households
            ],
            dtype=np.int64,
        ),
        age=age,
        female=np.array([person.sex == "F" for person in instance.persons], dtype=bool),
        seeks_work=np.array([person.seeks_work for person in instance.persons], dtype=bool)
        & of_working_age,
        of_working_age=of_working_age,
        current_job=current_job,
        job_site=job_site,
        job_slots=np.array([job.slots for job in instance.jobs], dtype=np.int64),
        site_housing=np.array([site.housing_places for site in instance.sites], dtype=np.int64),
    )


@dataclass
class CandidatePairs:
    """Candidate person-job pairs, sorted by person (CSR `offsets` over persons)."""

    person: np.ndarray
    job: np.ndarray
    failures: np.ndarray
    """Eligibility failure bit mask; 0 = eligible."""
    stay: np.ndarray
    """Predicted probability of staying 180 days (also for ineligible pairs, to explain)."""
    score: np.ndarray
    """Policy score: weighted retention + preference + priority bonuses."""
    offsets: np.ndarray

    @property
    def eligible(self) -> np.ndarray:
        return self.failures == 0


def _candidate_arrays(indexed: IndexedInstance) -> tuple[np.ndarray, np.ndarray]:
    instance = indexed.instance
    n_persons, n_jobs = indexed.n_persons, len(instance.jobs)
    if instance.candidate_job_ids is None:
        if n_persons * n_jobs > MAX_DENSE_PAIRS:
            raise ValueError(
                f"{n_persons} people x {n_jobs} jobs is too many pairs: pass candidate_job_ids"
            )
        persons = np.repeat(np.arange(n_persons, dtype=np.int64), n_jobs)
        jobs = np.tile(np.arange(n_jobs, dtype=np.int64), n_persons)
    else:
        candidates = instance.candidate_job_ids
        lists = [candidates.get(person.person_id, ()) for person in instance.persons]
        counts = np.fromiter(map(len, lists), dtype=np.int64, count=n_persons)
        try:
            jobs = np.fromiter(
                map(indexed.job_index.__getitem__, chain.from_iterable(lists)),
                dtype=np.int64,
                count=int(counts.sum()),
            )
        except KeyError as missing:
            raise ValueError(f"unknown candidate job: {missing}") from None
        persons = np.repeat(np.arange(n_persons, dtype=np.int64), counts)
    # Pairs of people who do not seek work would only be refused; their reason is stated once.
    seeking = indexed.seeks_work[persons]
    persons, jobs = persons[seeking], jobs[seeking]
    # A worker's current job is always a candidate, so that staying put is an option.
    at_work = np.flatnonzero(indexed.current_job >= 0)
    persons = np.concatenate([persons, at_work])
    jobs = np.concatenate([jobs, indexed.current_job[at_work]])
    # Sort-based de-duplication: numpy's hash-based unique is several times slower here.
    keys = np.sort(persons * max(n_jobs, 1) + jobs)
    keys = keys[np.concatenate([[True], keys[1:] != keys[:-1]])] if len(keys) else keys
    return keys // max(n_jobs, 1), keys % max(n_jobs, 1)


def _preference_ranks(instance: PlacementInstance) -> np.ndarray:
    """(persons, sectors) 0-based rank of each sector in the stated preferences, -1 = not
    stated. People share few distinct preference lists, so each list is ranked once."""
    distinct: dict[tuple[str, ...], int] = {}
    row_of_list = np.fromiter(
        (distinct.setdefault(p.preferred_sectors[:5], len(distinct)) for p in instance.persons),
        dtype=np.int64,
        count=len(instance.persons),
    )
    ranks = np.full((max(len(distinct), 1), len(SECTORS)), -1, dtype=np.int64)
    for preferred, row in distinct.items():
        for rank, sector in enumerate(preferred):
            ranks[row, sector_index(sector)] = rank
    return ranks[row_of_list]


def _province_codes(indexed: IndexedInstance) -> tuple[np.ndarray, np.ndarray]:
    """Province code per site and per person (-1 = unknown)."""
    codes: dict[str, int] = {}
    instance = indexed.instance
    site = np.array(
        [codes.setdefault(s.province, len(codes)) if s.province else -1 for s in instance.sites],
        dtype=np.int64,
    ).reshape(len(instance.sites))
    person = np.array(
        [codes.get(p.province, -1) if p.province else -1 for p in instance.persons],
        dtype=np.int64,
    ).reshape(len(instance.persons))
    return site, person


def _housing_types(indexed: IndexedInstance) -> np.ndarray:
    return np.array(
        [HOUSING_TYPES.index(s.housing_type) for s in indexed.instance.sites], dtype=np.int64
    ).reshape(len(indexed.instance.sites))


def _pair_place_ranks(
    indexed: IndexedInstance, persons: np.ndarray, pair_site: np.ndarray
) -> np.ndarray:
    """Per pair, the 0-based rank of the site's county (or else its province) in the person's
    ranked wished-for places, -1 = not wished for; names compare case-insensitively.

    Place names become codes and each of the (at most five) ranks is compared across all
    pairs at once: a (lists x sites) table, ranked in Python, took most of a 100,000-people
    run when people's lists were mostly distinct."""
    instance = indexed.instance
    codes: dict[str, int] = {}

    def site_codes(names: list[str]) -> np.ndarray:
        found = [codes.setdefault(name.casefold(), len(codes)) if name else -1 for name in names]
        return np.array(found, dtype=np.int64).reshape(len(names))

    county = site_codes([site.county for site in instance.sites])
    province = site_codes([site.province for site in instance.sites])
    distinct: dict[tuple[str, ...], int] = {}
    list_of_person = np.fromiter(
        (distinct.setdefault(p.preferred_places[:5], len(distinct)) for p in instance.persons),
        dtype=np.int64,
        count=len(instance.persons),
    )
    # -2: a wished-for place no site is in (or no wish at that rank) never matches a code
    wished = np.full((max(len(distinct), 1), 5), -2, dtype=np.int64)
    for places, row in distinct.items():
        for rank, place in enumerate(places):
            wished[row, rank] = codes.get(place.casefold(), -2)
    pair_list = list_of_person[persons]
    pair_county, pair_province = county[pair_site], province[pair_site]
    county_rank = np.full(len(persons), -1, dtype=np.int64)
    province_rank = np.full(len(persons), -1, dtype=np.int64)
    # From the last rank to the first, so that a place named twice keeps its first rank.
    for rank in range(wished.shape[1] - 1, -1, -1):
        at_rank = wished[:, rank]
        if not (at_rank >= 0).any():
            continue
        named = at_rank[pair_list]
        county_rank[named == pair_county] = rank
        province_rank[named == pair_province] = rank
    return np.where(county_rank >= 0, county_rank, province_rank)


def build_candidate_pairs(
    indexed: IndexedInstance, policy: PlacementPolicy, retention: RetentionPredictor
) -> CandidatePairs:
    """Every candidate pair with its eligibility failures, predicted retention and score."""
    instance = indexed.instance
    persons, jobs = _candidate_arrays(indexed)
    # Job requirements join the vocabularies so that a credential nobody holds still fails.
    credential_vocabulary: dict[str, int] = {}
    language_vocabulary: dict[str, int] = {}
    for person in instance.persons:
        for name in person.verified_credentials:
            credential_vocabulary.setdefault(name, len(credential_vocabulary))
        for name in person.languages:
            language_vocabulary.setdefault(name, len(language_vocabulary))
    for job in instance.jobs:
        if job.requirements.credential:
            credential_vocabulary.setdefault(
                job.requirements.credential, len(credential_vocabulary)
            )
        if job.requirements.language:
            language_vocabulary.setdefault(job.requirements.language, len(language_vocabulary))
    job_credential = np.array(
        [credential_vocabulary.get(j.requirements.credential or "", -1) for j in instance.jobs],
        dtype=np.int64,
    )
    job_language = np.array(
        [language_vocabulary.get(j.requirements.language or "", -1) for j in instance.jobs],
        dtype=np.int64,
    )
    person_credentials = _bitsets(
        [p.verified_credentials for p in instance.persons], credential_vocabulary
    )
    person_languages = _bitsets([p.languages for p in instance.persons], language_vocabulary)
    job_heaviness = np.array([j.heaviness_level for j in instance.jobs], dtype=np.int64)
    job_needed = np.array([j.needed_fitness for j in instance.jobs], dtype=np.int64)
    fitness = np.array([p.fitness_level for p in instance.persons], dtype=np.int64)
    pair_fitness, pair_age = fitness[persons], indexed.age[persons]
    pair_heaviness, pair_job_credential = job_heaviness[jobs], job_credential[jobs]
    failures = pair_failures(
        person_of_pair=persons,
        seeks_work=indexed.seeks_work[persons],
        person_credentials=person_credentials,
        fitness_level=pair_fitness,
        age=pair_age,
        person_languages=person_languages,
        job_credential=pair_job_credential,
        job_needed_fitness=job_needed[jobs],
        job_min_age=np.array([j.requirements.min_age for j in instance.jobs])[jobs],
        job_language=job_language[jobs],
    )
    site_province, person_province = _province_codes(indexed)
    pair_site = indexed.job_site[jobs]
    other_province = (
        (person_province[persons] >= 0)
        & (site_province[pair_site] >= 0)
        & (person_province[persons] != site_province[pair_site])
    )
    if not policy.allow_other_provinces:
        failures |= other_province.view(np.int8) * np.int8(OTHER_PROVINCE)
    # Keeping one's job is not a new placement: a run may move a worker to something
    # better, never take a held job away because a requirement is unmet now (an officer
    # ends a placement by hand, with a reason).
    failures[jobs == indexed.current_job[persons]] = 0

    job_sector = np.array([sector_index(j.sector) for j in instance.jobs], dtype=np.int64)
    pair_sector = job_sector[jobs]
    pair_preference = preference_match(
        _preference_ranks(instance).reshape(-1)[persons * len(SECTORS) + pair_sector]
    )
    pair_place = preference_match(_pair_place_ranks(indexed, persons, pair_site))
    site_location = np.array([s.location_km for s in instance.sites], dtype=np.float64)
    relatives = np.array(
        [p.relatives_location_km or (np.nan, np.nan) for p in instance.persons], dtype=np.float64
    )
    distance = np.hypot(
        relatives[persons, 0] - site_location[pair_site, 0],
        relatives[persons, 1] - site_location[pair_site, 1],
    )
    distance = np.nan_to_num(distance, nan=DEFAULT_RELATIVES_DISTANCE_KM, copy=False)
    job_skilled = pair_job_credential >= 0
    credential_match = job_skilled & ((failures & MISSING_CREDENTIAL) == 0)
    features = build_pair_features(
        age=pair_age,
        female=indexed.female[persons],
        higher_education_years=np.array([p.higher_education_years for p in instance.persons])[
            persons
        ],
        heavy_work_fit=pair_fitness == 2,
        household_with_children=indexed.household_has_children[indexed.person_household][persons],
        job_heavy=pair_heaviness == 2,
        job_difficulty=np.array([j.difficulty for j in instance.jobs])[jobs],
        preference_match_value=pair_preference,
        distance_km=distance,
        job_skilled=job_skilled,
        credential_match=credential_match,
        sector=pair_sector,
        fitness_level=pair_fitness,
        job_heaviness=pair_heaviness,
        household_size=indexed.household_size[indexed.person_household[persons]],
        housing_type=_housing_types(indexed)[pair_site],
        skill_gap=np.array([p.skill for p in instance.persons])[persons]
        - np.array([j.skill for j in instance.jobs], dtype=np.int64)[jobs],
        place_preference_value=pair_place,
        other_province=other_province,
    )
    stay = np.clip(np.asarray(retention.predict_stay(features), dtype=np.float64), 0.0, 1.0)
    score = policy.retention_weight * stay + policy.preference_weight * np.maximum(
        pair_preference, pair_place
    )
    for priority in policy.priorities:
        score = score + priority.bonus * indexed.group_mask(priority.group)[persons]
    offsets = np.searchsorted(persons, np.arange(indexed.n_persons + 1))
    return CandidatePairs(
        person=persons,
        job=jobs,
        failures=failures,
        stay=stay,
        score=score,
        offsets=offsets,
    )
