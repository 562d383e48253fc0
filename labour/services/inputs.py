"""The engine's input built from the database, and its JSON form saved with each run so that a
what-if re-runs on exactly the inputs the officer reviewed."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import asdict, replace
from typing import Any

from django.db.models import Count, Q, QuerySet

from labour.engine.eligibility import eligibility_failures
from labour.engine.model import Household, Job, Person, PlacementInstance, Requirements, Site
from labour.models import Credential, Placement, Preference, Vacancy
from labour.models import Site as SiteRow
from people.models import EducationLevel
from people.models import Person as PersonRow
from people.states import JourneyState
from stations.models import Station
from waystation import clock

MAX_CANDIDATES = 40
DENSE_LIMIT = 4_000_000
HIGHER_EDUCATION = (EducationLevel.UNIVERSITY, EducationLevel.TECHNICAL)
MOVABLE_STATES = (JourneyState.PLACED, JourneyState.AT_WORK)


def age_on(birth: dt.date | None, today: dt.date) -> int:
    if birth is None:
        return 30  # unknown: treated as a working adult, the cable's typical arrival
    return today.year - birth.year - ((today.month, today.day) < (birth.month, birth.day))


_FITNESS = {"heavy": "heavy", "light": "light", "not_fit": "unfit"}


def fitness_levels(person_ids: list[int]) -> dict[int, str]:
    """Fitness for work (unfit / light / heavy) from the latest medical clearance (health
    app). People without a clearance are not in this map."""
    from health.models import Clearance

    latest: dict[int, str] = {}
    rows = (
        Clearance.objects.filter(person_id__in=person_ids)
        .order_by("person_id", "decided_at", "id")
        .values_list("person_id", "fitness")
    )
    for person_id, fitness in rows:
        latest[person_id] = _FITNESS.get(fitness, "unfit")
    return latest


def county_locations() -> dict[str, tuple[float, float]]:
    spots: dict[str, list[tuple[float, float]]] = defaultdict(list)
    for county, x, y in SiteRow.objects.values_list("county", "x_km", "y_km"):
        spots[county.casefold()].append((x, y))
    return {
        county: (sum(p[0] for p in points) / len(points), sum(p[1] for p in points) / len(points))
        for county, points in spots.items()
    }


def engine_person(
    row: PersonRow,
    today: dt.date,
    verified: frozenset[str],
    fitness: str,
    preferences: list[Preference],
    locations: dict[str, tuple[float, float]],
    claimed: frozenset[str] = frozenset(),
    province: str = "",
) -> Person:
    # Age when the person became available for placement: the same as today's age for
    # current arrivals, and right for a historical data set (the demo is set in 1961).
    age = age_on(row.birth_date, min(today, row.state_changed_at.date()))
    sectors = tuple(p.sector for p in preferences if p.kind == Preference.Kind.SECTOR)
    # Ranked places (a county or a province) are the engine's place preferences; relatives'
    # county is its distance feature.
    places = tuple(p.county for p in preferences if p.kind == Preference.Kind.PLACE)
    place = next((p.county for p in preferences if p.kind == Preference.Kind.NEAR_RELATIVES), "")
    return Person(
        person_id=str(row.pk),
        household_id=household_key(row),
        age=age,
        sex=row.sex,
        # Working age is the plan's policy (PlacementPolicy.working_age_min/max).
        seeks_work=True,
        higher_education_years=row.education_years
        if row.education_level in HIGHER_EDUCATION
        else 0,
        verified_credentials=verified,
        heavy_work_fit=fitness == "heavy",
        fitness=fitness,
        preferred_places=places,
        province=province,
        claimed_credentials=claimed - verified,
        languages=frozenset(row.languages or ["ko"]),
        preferred_sectors=sectors,
        relatives_location_km=locations.get(place.casefold()) if place else None,
    )


def household_key(row: PersonRow) -> str:
    return f"h{row.household_id}" if row.household_id else f"p{row.pk}"


def engine_job(vacancy: Vacancy, free_slots: int) -> Job:
    return Job(
        job_id=str(vacancy.pk),
        site_id=str(vacancy.site_id),
        occupation=vacancy.occupation,
        sector=vacancy.site.kind,
        slots=max(0, free_slots),
        requirements=Requirements(
            credential=vacancy.required_credential or None,
            heavy_work=vacancy.heavy_work,
            min_age=vacancy.min_age,
            language=vacancy.language or None,
        ),
        difficulty=vacancy.difficulty,
        heaviness="heavy" if vacancy.heavy_work else vacancy.heaviness,
        skill_level=max(vacancy.skill_level, 2 if vacancy.skilled else 0),
    )


def people_facts(rows: list[PersonRow]) -> list[Person]:
    """Engine persons with verified credentials, medical fitness and stated preferences."""
    today = clock.today()
    ids = [row.pk for row in rows]
    verified: dict[int, set[str]] = defaultdict(set)
    for person_id, name in Credential.objects.filter(
        person_id__in=ids, status=Credential.Status.VERIFIED
    ).values_list("person_id", "name"):
        verified[person_id].add(name)
    claimed: dict[int, set[str]] = defaultdict(set)
    for person_id, name in Credential.objects.filter(
        person_id__in=ids, status=Credential.Status.CLAIMED
    ).values_list("person_id", "name"):
        claimed[person_id].add(name)
    fitness = fitness_levels(ids)
    household_ids = {row.household_id for row in rows if row.household_id}
    by_household: dict[int, list[Preference]] = defaultdict(list)
    by_person: dict[int, list[Preference]] = defaultdict(list)
    for pref in Preference.objects.filter(
        Q(household_id__in=household_ids) | Q(person_id__in=ids), superseded_at__isnull=True
    ).order_by("rank"):
        if pref.household_id:
            by_household[pref.household_id].append(pref)
        else:
            by_person[pref.person_id].append(pref)
    locations = county_locations()
    province_of = dict(
        Station.objects.filter(pk__in={row.station_id for row in rows}).values_list(
            "pk", "province"
        )
    )
    return [
        engine_person(
            row,
            today,
            frozenset(verified.get(row.pk, ())),
            # Without an examination on record: fit for light work, never for heavy work.
            fitness.get(row.pk, "light"),
            by_person.get(row.pk) or by_household.get(row.household_id, []),
            locations,
            frozenset(claimed.get(row.pk, ())),
            province_of.get(row.station_id, ""),
        )
        for row in rows
    ]


def open_vacancies(
    province: str | list[str], given_back: list[Placement] | None = None
) -> tuple[list[Site], list[Job]]:
    """Sites and vacancies of the province (or of every province of a plan) with what is still free (positions and housing
    minus active placements). The `given_back` placements (of people the run may move) count
    as free, so that staying where they are is always a place the engine can choose, even in
    a vacancy that is full or closed today."""
    provinces = [province] if isinstance(province, str) else list(province)
    site_rows = list(SiteRow.objects.filter(province__in=provinces, is_active=True))
    housed = dict(
        Placement.objects.filter(status=Placement.Status.ACTIVE, site__in=site_rows)
        .values_list("site_id")
        .annotate(n=Count("id"))
    )
    held_sites: dict[int, int] = defaultdict(int)
    held_jobs: dict[int, int] = defaultdict(int)
    for placement in given_back or []:
        held_sites[placement.site_id] += 1
        if placement.vacancy_id:
            held_jobs[placement.vacancy_id] += 1
    sites = [
        Site(
            site_id=str(s.pk),
            name=s.name,
            sector=s.kind,
            housing_places=max(0, s.housing_places - housed.get(s.pk, 0)) + held_sites[s.pk],
            location_km=(s.x_km, s.y_km),
            housing_type=s.housing_type,
            province=s.province,
            county=s.county,
        )
        for s in site_rows
    ]
    vacancies = list(
        Vacancy.objects.filter(Q(is_open=True) | Q(pk__in=list(held_jobs)), site__in=site_rows)
        .select_related("site")
        .annotate(filled=Count("placements", filter=Q(placements__status="active")))
    )
    jobs = []
    for v in vacancies:
        free = max(0, v.slots - v.filled) if v.is_open else 0
        if free or held_jobs[v.pk]:
            jobs.append(engine_job(v, free + held_jobs[v.pk]))
    return sites, jobs


def movable_placements(province: str, station_id: int | None) -> list[Placement]:
    """Active placements, at an active site of the province, of people in scope who are
    placed or at work: the people an officer may let a run move. A household living at
    several sites was split on purpose and is left where it is."""
    placements = list(
        Placement.objects.filter(
            status=Placement.Status.ACTIVE,
            site__province=province,
            site__is_active=True,
            person__station__province=province,
            person__state__in=MOVABLE_STATES,
        )
        .filter(Q(person__station_id=station_id) if station_id is not None else Q())
        .select_related("person", "vacancy")
        .order_by("person__state_changed_at", "person_id")
    )
    sites_of: dict[str, set[int]] = defaultdict(set)
    for placement in placements:
        sites_of[household_key(placement.person)].add(placement.site_id)
        # A job recorded away from where the person lives is a split the engine cannot keep.
        if placement.vacancy_id and placement.vacancy.site_id != placement.site_id:
            sites_of[household_key(placement.person)].add(-1)
    return [p for p in placements if len(sites_of[household_key(p.person)]) == 1]


def awaiting_people(
    province: str, station_id: int | None, since: dt.date | None, until: dt.date | None
) -> QuerySet[PersonRow]:
    people = PersonRow.objects.filter(state="awaiting_placement", station__province=province)
    if station_id is not None:
        people = people.filter(station_id=station_id)
    if since is not None and until is not None:
        people = people.filter(state_changed_at__date__gte=since, state_changed_at__date__lte=until)
    return people.order_by("state_changed_at", "id")


def build_instance(
    rows: list[PersonRow],
    sites: list[Site],
    jobs: list[Job],
    settled: list[Placement] | None = None,
) -> PlacementInstance:
    """The engine's instance. `settled` are the current placements of people the run may
    move: they join the instance with their job and their household's site."""
    settled = settled or []
    persons = people_facts(rows + [p.person for p in settled])
    current_job = {str(p.person_id): str(p.vacancy_id) for p in settled if p.vacancy_id}
    persons = [replace(p, current_job_id=current_job.get(p.person_id)) for p in persons]
    current_site = {household_key(p.person): str(p.site_id) for p in settled}
    members: dict[str, list[str]] = defaultdict(list)
    order: dict[str, int] = {}
    for index, person in enumerate(persons):
        members[person.household_id].append(person.person_id)
        order.setdefault(person.household_id, index)
    households = tuple(
        Household(
            household_id=key,
            member_ids=tuple(ids),
            current_site_id=current_site.get(key),
            arrival_order=order[key],
        )
        for key, ids in members.items()
    )
    candidates = None
    if len(persons) * len(jobs) > DENSE_LIMIT:
        candidates = candidate_jobs(persons, jobs)
    return PlacementInstance(
        persons=tuple(persons),
        households=households,
        sites=tuple(sites),
        jobs=tuple(jobs),
        candidate_job_ids=candidates,
    )


def candidate_jobs(persons: list[Person], jobs: list[Job]) -> dict[str, tuple[str, ...]]:
    """For large runs: each person's eligible jobs, preferred sectors first, at most
    MAX_CANDIDATES (the engine refuses a dense problem of that size)."""
    chosen = {}
    for person in persons:
        eligible = [job for job in jobs if eligibility_failures(person, job) == 0]
        ranked = sorted(
            eligible,
            key=lambda job: (
                person.preferred_sectors.index(job.sector)
                if job.sector in person.preferred_sectors
                else len(person.preferred_sectors),
                job.difficulty,
            ),
        )
        chosen[person.person_id] = tuple(job.job_id for job in ranked[:MAX_CANDIDATES])
    return chosen


def instance_to_json(instance: PlacementInstance) -> dict[str, Any]:
    return _plain(asdict(instance))


def _plain(value: Any) -> Any:
    if isinstance(value, dict):
        return {key: _plain(item) for key, item in value.items()}
    if isinstance(value, frozenset | set):
        return sorted(value)
    if isinstance(value, list | tuple):
        return [_plain(item) for item in value]
    return value


def instance_from_json(data: dict[str, Any]) -> PlacementInstance:
    def person(d: dict[str, Any]) -> Person:
        location = d.get("relatives_location_km")
        return Person(
            **{
                **d,
                "verified_credentials": frozenset(d["verified_credentials"]),
                "languages": frozenset(d["languages"]),
                "preferred_sectors": tuple(d["preferred_sectors"]),
                "preferred_places": tuple(d.get("preferred_places", ())),
                "claimed_credentials": frozenset(d.get("claimed_credentials", ())),
                "relatives_location_km": tuple(location) if location else None,
            }
        )

    def job(d: dict[str, Any]) -> Job:
        return Job(**{**d, "requirements": Requirements(**d["requirements"])})

    candidates = data.get("candidate_job_ids")
    sites = data.get("candidate_site_ids")
    return PlacementInstance(
        persons=tuple(person(d) for d in data["persons"]),
        households=tuple(
            Household(**{**d, "member_ids": tuple(d["member_ids"])}) for d in data["households"]
        ),
        sites=tuple(Site(**{**d, "location_km": tuple(d["location_km"])}) for d in data["sites"]),
        jobs=tuple(job(d) for d in data["jobs"]),
        candidate_job_ids={k: tuple(v) for k, v in candidates.items()} if candidates else None,
        candidate_site_ids={k: tuple(v) for k, v in sites.items()} if sites else None,
    )
