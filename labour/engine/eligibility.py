"""Eligibility: a hard filter with a stated reason for every refusal.

Failures are a bit mask so that an explanation can name every requirement a person misses,
not only the first one.
"""

from __future__ import annotations

import numpy as np

from labour.engine.model import Job, Person

NOT_SEEKING_WORK = 1
MISSING_CREDENTIAL = 2
NOT_FIT_FOR_HEAVY_WORK = 4
UNDER_MINIMUM_AGE = 8
MISSING_LANGUAGE = 16

_FAILURE_TEXT: tuple[tuple[int, str], ...] = (
    (NOT_SEEKING_WORK, "not seeking work"),
    (MISSING_CREDENTIAL, "no verified {credential}"),
    (NOT_FIT_FOR_HEAVY_WORK, "not fit for heavy work (medical examination)"),
    (UNDER_MINIMUM_AGE, "under the minimum age of {min_age}"),
    (MISSING_LANGUAGE, "does not speak {language}"),
)


def eligibility_failures(person: Person, job: Job) -> int:
    """Bit mask of the requirements of `job` that `person` fails (0 = eligible)."""
    requirements = job.requirements
    failures = 0
    if not person.seeks_work:
        failures |= NOT_SEEKING_WORK
    if requirements.credential and requirements.credential not in person.verified_credentials:
        failures |= MISSING_CREDENTIAL
    if requirements.heavy_work and not person.heavy_work_fit:
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
        )
        for bit, text in _FAILURE_TEXT
        if failures & bit
    ]
    return "not eligible: " + "; ".join(parts)


def has_bit(bitsets: np.ndarray, bit_index: np.ndarray) -> np.ndarray:
    """Whether row i of a (n, words) uint64 bit set holds bit `bit_index[i]` (-1 = none)."""
    safe_index = np.maximum(bit_index, 0)
    words = bitsets[np.arange(len(bit_index)), safe_index // 64]
    held = ((words >> (safe_index % 64).astype(np.uint64)) & np.uint64(1)).astype(bool)
    return held & (bit_index >= 0)


def pair_failures(
    *,
    seeks_work: np.ndarray,
    person_credentials: np.ndarray,
    heavy_work_fit: np.ndarray,
    age: np.ndarray,
    person_languages: np.ndarray,
    job_credential: np.ndarray,
    job_heavy: np.ndarray,
    job_min_age: np.ndarray,
    job_language: np.ndarray,
) -> np.ndarray:
    """Vectorised `eligibility_failures` over aligned pair arrays (credential/language ids are
    -1 when the job does not require one)."""
    failures = np.where(seeks_work, 0, NOT_SEEKING_WORK).astype(np.int8)
    credential_missing = (job_credential >= 0) & ~has_bit(person_credentials, job_credential)
    failures |= np.where(credential_missing, MISSING_CREDENTIAL, 0).astype(np.int8)
    failures |= np.where(job_heavy & ~heavy_work_fit, NOT_FIT_FOR_HEAVY_WORK, 0).astype(np.int8)
    failures |= np.where(age < job_min_age, UNDER_MINIMUM_AGE, 0).astype(np.int8)
    language_missing = (job_language >= 0) & ~has_bit(person_languages, job_language)
    failures |= np.where(language_missing, MISSING_LANGUAGE, 0).astype(np.int8)
    return failures
