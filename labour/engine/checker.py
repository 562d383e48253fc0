"""Independent feasibility checker for placement results.

Deliberately shares no code with the solvers: it reads only the public dataclasses and
re-derives eligibility from the requirements with plain Python, so that a bug in the
engine's vectorised eligibility or capacity bookkeeping cannot hide itself.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass

from labour.engine.model import (
    Job,
    Person,
    PersonPlacement,
    PlacementInstance,
    PlacementPolicy,
    PlacementStatus,
)


@dataclass(frozen=True, slots=True)
class Violation:
    rule: str
    subject: str
    detail: str


_FITNESS = {"unfit": 0, "light": 1, "heavy": 2}


def _requirement_failures(
    person: Person, job: Job, policy: PlacementPolicy, site_province: str = ""
) -> list[str]:
    requirements = job.requirements
    failed = []
    if not person.seeks_work:
        failed.append("seeks work")
    if not policy.working_age_min <= person.age <= policy.working_age_max:
        failed.append("working age")
    if (
        not policy.allow_other_provinces
        and person.province
        and site_province
        and site_province != person.province
    ):
        failed.append("same province")
    credential = requirements.credential
    if credential and credential not in person.verified_credentials:
        failed.append(f"verified {credential}")
    fitness = _FITNESS[person.fitness] if person.fitness else (2 if person.heavy_work_fit else 1)
    heavy = requirements.heavy_work or job.heaviness == "heavy"
    if fitness < (2 if heavy else 1):
        failed.append("heavy-work fitness" if heavy else "fitness for work")
    if person.age < requirements.min_age:
        failed.append(f"minimum age {requirements.min_age}")
    language = requirements.language
    if language and language not in person.languages:
        failed.append(f"language {language}")
    return failed


def check_placements(
    instance: PlacementInstance,
    placements: list[PersonPlacement],
    policy: PlacementPolicy | None = None,
) -> list[Violation]:
    """Every broken rule; an empty list means the placement is feasible.

    Rules: each person placed at most once and exactly once listed; a job placement is
    eligible (or the person's unchanged current job); the job's site is the person's site;
    all members of a household share one site or are all out; job slots and housing places
    are not exceeded; households already placed and not movable keep their site and jobs;
    every person not in a job has a reason.
    """
    policy = policy or PlacementPolicy()
    violations: list[Violation] = []
    persons = {p.person_id: p for p in instance.persons}
    jobs = {j.job_id: j for j in instance.jobs}
    sites = {s.site_id: s for s in instance.sites}
    listed = Counter(p.person_id for p in placements)
    for person_id in persons:
        if listed[person_id] != 1:
            violations.append(Violation("listed once", person_id, f"{listed[person_id]} times"))
    slot_use: Counter[str] = Counter()
    housing_use: Counter[str] = Counter()
    household_sites: dict[str, set[str | None]] = defaultdict(set)
    by_person = {p.person_id: p for p in placements}
    for placement in placements:
        person = persons.get(placement.person_id)
        if person is None:
            violations.append(Violation("known person", placement.person_id, "not in instance"))
            continue
        household_sites[person.household_id].add(placement.site_id)
        if placement.site_id is not None:
            if placement.site_id not in sites:
                violations.append(Violation("known site", person.person_id, placement.site_id))
            housing_use[placement.site_id] += 1
        if placement.job_id is not None:
            job = jobs.get(placement.job_id)
            if job is None:
                violations.append(Violation("known job", person.person_id, placement.job_id))
                continue
            slot_use[job.job_id] += 1
            kept_current = job.job_id == person.current_job_id
            site = sites.get(job.site_id)
            failed = _requirement_failures(person, job, policy, site.province if site else "")
            if failed and not kept_current:
                violations.append(Violation("eligible", person.person_id, ", ".join(failed)))
            if placement.site_id != job.site_id:
                violations.append(Violation("job at own site", person.person_id, job.job_id))
            if placement.status != PlacementStatus.PLACED:
                violations.append(Violation("status", person.person_id, "job but not placed"))
        elif not placement.reason:
            violations.append(Violation("reason given", person.person_id, "no reason"))
    for household in instance.households:
        if len(household_sites[household.household_id]) > 1:
            violations.append(
                Violation(
                    "household together",
                    household.household_id,
                    f"sites {sorted(map(str, household_sites[household.household_id]))}",
                )
            )
    for job_id, used in slot_use.items():
        if job_id in jobs and used > jobs[job_id].slots:
            violations.append(Violation("job slots", job_id, f"{used} > {jobs[job_id].slots}"))
    for site_id, used in housing_use.items():
        if site_id in sites and used > sites[site_id].housing_places:
            capacity = sites[site_id].housing_places
            violations.append(Violation("housing places", site_id, f"{used} > {capacity}"))
    violations += _check_locked(instance, by_person, policy)
    return violations


def _check_locked(
    instance: PlacementInstance,
    by_person: dict[str, PersonPlacement],
    policy: PlacementPolicy,
) -> list[Violation]:
    violations = []
    jobs = {j.job_id: j for j in instance.jobs}
    persons = {p.person_id: p for p in instance.persons}
    for household in instance.households:
        if household.household_id in policy.movable_household_ids:
            continue
        current_site = household.current_site_id
        for member_id in household.member_ids:
            member = persons[member_id]
            if member.current_job_id:
                current_site = jobs[member.current_job_id].site_id
        if current_site is None:
            continue
        for member_id in household.member_ids:
            placement = by_person.get(member_id)
            member = persons[member_id]
            if placement is None:
                continue
            if placement.site_id != current_site:
                violations.append(
                    Violation("not moved without permission", member_id, str(placement.site_id))
                )
            if member.current_job_id and placement.job_id != member.current_job_id:
                violations.append(
                    Violation("kept in current job", member_id, str(placement.job_id))
                )
    return violations
