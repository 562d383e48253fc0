"""Eligibility: a hard filter with a stated reason for every refusal.

Failures are a bit mask so that an explanation can name every requirement a person misses,
not only the first one.
"""

from __future__ import annotations

import numpy as np

from labour.engine.model import Job, Person, PlacementPolicy, Site

NOT_SEEKING_WORK = 1
MISSING_CREDENTIAL = 2
NOT_FIT_FOR_HEAVY_WORK = 4
UNDER_MINIMUM_AGE = 8
MISSING_LANGUAGE = 16
OTHER_PROVINCE = 32
"""The site is in another province and the plan keeps people in their own."""
FITNESS_BELOW_JOB = NOT_FIT_FOR_HEAVY_WORK
"""The person's fitness (unfit / light / heavy) is below what the job's heaviness needs."""

_FAILURE_TEXT: tuple[tuple[int, str], ...] = (
    (NOT_SEEKING_WORK, "not seeking work"),
    (MISSING_CREDENTIAL, "no verified {credential}"),
    (NOT_FIT_FOR_HEAVY_WORK, "{fitness_text}"),
    (OTHER_PROVINCE, "in another province"),
    (UNDER_MINIMUM_AGE, "under the minimum age of {min_age}"),
    (MISSING_LANGUAGE, "does not speak {language}"),
)


def eligibility_failures(
    person: Person, job: Job, policy: PlacementPolicy | None = None, site: Site | None = None
) -> int:
    """Bit mask of the requirements of `job` that `person` fails (0 = eligible). With a
    policy, people outside its working age are not seeking work, and a site in another
    province fails when the plan keeps people in their own."""
    requirements = job.requirements
    failures = 0
    if not person.seeks_work:
        failures |= NOT_SEEKING_WORK
    if policy is not None:
        if not policy.working_age_min <= person.age <= policy.working_age_max:
            failures |= NOT_SEEKING_WORK
        if (
            not policy.allow_other_provinces
            and site is not None
            and person.province
            and site.province
            and site.province != person.province
        ):
            failures |= OTHER_PROVINCE
    if requirements.credential and requirements.credential not in person.verified_credentials:
        failures |= MISSING_CREDENTIAL
    if person.fitness_level < job.needed_fitness:
        failures |= NOT_FIT_FOR_HEAVY_WORK
    if person.age < requirements.min_age:
        failures |= UNDER_MINIMUM_AGE
    if requirements.language and requirements.language not in person.languages:
        failures |= MISSING_LANGUAGE
    return failures


def describe_failures(failures: int, job: Job) -> str:
    """Human-readable list of failed requirements, e.g. 'no verified mining diploma'."""
    requirements = job.requirements
    parts = [
        text.format(
            credential=requirements.credential,
            min_age=requirements.min_age,
            language=requirements.language,
            fitness_text="not fit for heavy work (medical examination)"
            if job.needed_fitness == 2
            else "not fit for work (medical examination)",
        )
        for bit, text in _FAILURE_TEXT
        if failures & bit
    ]
    return "not eligible: " + "; ".join(parts)


def has_bit(bitsets: np.ndarray, rows: np.ndarray, bit_index: np.ndarray) -> np.ndarray:
    """Whether row `rows[i]` of a (n, words) uint64 bit set holds bit `bit_index[i]` (-1 =
    none asked, answered False). Only the entries that ask for a bit are looked up: most jobs
    require no credential and no language."""
    held = np.zeros(len(bit_index), dtype=bool)
    asked = np.flatnonzero(bit_index >= 0)
    bits = bit_index[asked]
    words = bitsets[rows[asked], bits // 64]
    held[asked] = ((words >> (bits % 64).astype(np.uint64)) & np.uint64(1)).astype(bool)
    return held


def _flag(condition: np.ndarray, bit: int) -> np.ndarray:
    """`bit` where the condition holds, else 0, as int8 without a wide temporary."""
    return condition.view(np.int8) * np.int8(bit)


def pair_failures(
    *,
    person_of_pair: np.ndarray,
    seeks_work: np.ndarray,
    person_credentials: np.ndarray,
    fitness_level: np.ndarray,
    age: np.ndarray,
    person_languages: np.ndarray,
    job_credential: np.ndarray,
    job_needed_fitness: np.ndarray,
    job_min_age: np.ndarray,
    job_language: np.ndarray,
) -> np.ndarray:
    """Vectorised `eligibility_failures` over aligned pair arrays (credential/language ids are
    -1 when the job does not require one). The bit sets are per person, one row each, and
    `person_of_pair` picks the row of each pair."""
    failures = _flag(~seeks_work, NOT_SEEKING_WORK)
    credential_missing = (job_credential >= 0) & ~has_bit(
        person_credentials, person_of_pair, job_credential
    )
    failures |= _flag(credential_missing, MISSING_CREDENTIAL)
    failures |= _flag(fitness_level < job_needed_fitness, NOT_FIT_FOR_HEAVY_WORK)
    failures |= _flag(age < job_min_age, UNDER_MINIMUM_AGE)
    language_missing = (job_language >= 0) & ~has_bit(
        person_languages, person_of_pair, job_language
    )
    failures |= _flag(language_missing, MISSING_LANGUAGE)
    return failures
