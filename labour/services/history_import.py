"""Import of an outcome history from elsewhere (CSV) and the records the model trains on.

Columns (header row, any order; blank = unknown where allowed):
    age, sex (F/M), higher_education_years, fitness (unfit/light/heavy), household_size,
    household_with_children (0/1), job_heaviness (light/medium/heavy), job_difficulty (0-1),
    sector (mine/farm/factory/institute/central_department), job_skill_level (0-3),
    person_skill_level (0-3), credential_verified (0/1), housing_type
    (dormitory/mixed/family), sector_preference_rank (0 = not wished, 1 = first choice, ...),
    place_preference_rank (same), relatives_distance_km (blank = none known),
    other_province (0/1), stayed_180_days (0/1), outcome_date (YYYY-MM-DD)
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from typing import Any

import numpy as np
from django.utils.translation import gettext as _

from labour.engine.features import (
    DEFAULT_RELATIVES_DISTANCE_KM,
    FEATURE_NAMES,
    build_pair_features,
    preference_match,
    sector_index,
)
from labour.engine.model import FITNESS_LEVELS, HEAVINESS_LEVELS, HOUSING_TYPES
from labour.models import OutcomeImport, OutcomeRecord
from waystation import clock

REQUIRED = (
    "age",
    "sex",
    "fitness",
    "household_size",
    "job_heaviness",
    "sector",
    "housing_type",
    "stayed_180_days",
)
OPTIONAL_DEFAULTS: dict[str, str] = {
    "higher_education_years": "0",
    "household_with_children": "0",
    "job_difficulty": "0.5",
    "job_skill_level": "0",
    "person_skill_level": "0",
    "credential_verified": "0",
    "sector_preference_rank": "0",
    "place_preference_rank": "0",
    "relatives_distance_km": "",
    "other_province": "0",
    "outcome_date": "",
}
CHUNK = 500


class RowError(ValueError):
    pass


def _flag(value: str, name: str) -> bool:
    if value.strip() in ("1", "true", "yes", "True"):
        return True
    if value.strip() in ("0", "false", "no", "False", ""):
        return False
    raise RowError(_("%(column)s must be 0 or 1") % {"column": name})


def _number(value: str, name: str, low: float, high: float) -> float:
    try:
        number = float(value)
    except ValueError:
        raise RowError(_("%(column)s is not a number") % {"column": name}) from None
    if not low <= number <= high:
        raise RowError(
            _("%(column)s must be between %(low)s and %(high)s")
            % {"column": name, "low": low, "high": high}
        )
    return number


def _choice(value: str, name: str, allowed: tuple[str, ...]) -> int:
    if value.strip() not in allowed:
        raise RowError(
            _("%(column)s must be one of %(allowed)s")
            % {"column": name, "allowed": ", ".join(allowed)}
        )
    return allowed.index(value.strip())


def parse_row(row: dict[str, str]) -> tuple[dict[str, float], bool, dt.date | None]:
    """One CSV row as named features, the outcome and its date; RowError when unusable."""
    for name in REQUIRED:
        if not (row.get(name) or "").strip():
            raise RowError(_("%(column)s is missing") % {"column": name})
    value = {**OPTIONAL_DEFAULTS, **{k: v for k, v in row.items() if k and v is not None}}
    sex = value["sex"].strip().upper()
    if sex not in ("F", "M"):
        raise RowError(_("sex must be F or M"))
    age = _number(value["age"], "age", 14, 100)
    fitness = _choice(value["fitness"], "fitness", FITNESS_LEVELS)
    heaviness = _choice(value["job_heaviness"], "job_heaviness", HEAVINESS_LEVELS)
    skilled = _number(value["job_skill_level"], "job_skill_level", 0, 3)
    person_skill = _number(value["person_skill_level"], "person_skill_level", 0, 3)
    sector_rank = int(_number(value["sector_preference_rank"], "sector_preference_rank", 0, 20))
    place_rank = int(_number(value["place_preference_rank"], "place_preference_rank", 0, 20))
    distance_text = value["relatives_distance_km"].strip()
    distance = (
        _number(distance_text, "relatives_distance_km", 0, 10_000)
        if distance_text
        else DEFAULT_RELATIVES_DISTANCE_KM
    )
    date_text = value["outcome_date"].strip()
    try:
        when = dt.date.fromisoformat(date_text) if date_text else None
    except ValueError:
        raise RowError(_("outcome_date must be YYYY-MM-DD")) from None
    matrix = build_pair_features(
        age=np.array([age]),
        female=np.array([sex == "F"]),
        higher_education_years=np.array(
            [_number(value["higher_education_years"], "higher_education_years", 0, 12)]
        ),
        heavy_work_fit=np.array([fitness == 2]),
        household_with_children=np.array(
            [_flag(value["household_with_children"], "household_with_children")]
        ),
        job_heavy=np.array([heaviness == 2]),
        job_difficulty=np.array([_number(value["job_difficulty"], "job_difficulty", 0, 1)]),
        preference_match_value=preference_match(np.array([sector_rank - 1])),
        distance_km=np.array([distance]),
        job_skilled=np.array([skilled >= 2]),
        credential_match=np.array(
            [skilled >= 2 and _flag(value["credential_verified"], "credential_verified")]
        ),
        sector=np.array([sector_index(value["sector"].strip())]),
        fitness_level=np.array([fitness]),
        job_heaviness=np.array([heaviness]),
        household_size=np.array([_number(value["household_size"], "household_size", 1, 30)]),
        housing_type=np.array([_choice(value["housing_type"], "housing_type", HOUSING_TYPES)]),
        skill_gap=np.array([person_skill - skilled]),
        place_preference_value=preference_match(np.array([place_rank - 1])),
        other_province=np.array([_flag(value["other_province"], "other_province")]),
    )
    features = {name: float(matrix[0, i]) for i, name in enumerate(FEATURE_NAMES)}
    return features, _flag(value["stayed_180_days"], "stayed_180_days"), when


def start_import(*, user: Any, source: str, file_name: str, content: str) -> OutcomeImport:
    """Record an import and queue it; the task reads the rows and reports progress."""
    from labour.tasks import import_outcome_history

    source = " ".join(source.split())
    if not source:
        raise ValueError(_("Say where the outcomes come from."))
    rows = max(0, len(content.splitlines()) - 1)
    record = OutcomeImport.objects.create(
        source=source,
        file_name=file_name[:260],
        content=content,
        total_rows=rows,
        created_by=user,
        created_at=clock.now(),
    )
    import_outcome_history.enqueue(record.pk)
    return record


def run_import(record: OutcomeImport) -> OutcomeImport:
    """Read every row, keep the good ones, list the refused ones with their reason."""
    record.status = OutcomeImport.Status.RUNNING
    record.save(update_fields=["status"])
    reader = csv.DictReader(io.StringIO(record.content))
    missing = [name for name in REQUIRED if name not in (reader.fieldnames or [])]
    if missing:
        record.status = OutcomeImport.Status.FAILED
        record.errors = [{"row": 1, "reason": _("missing columns: %s") % ", ".join(missing)}]
        record.finished_at = clock.now()
        record.save()
        return record
    batch: list[OutcomeRecord] = []
    errors: list[dict[str, Any]] = []
    done = 0
    for number, row in enumerate(reader, start=2):
        done += 1
        try:
            features, stayed, when = parse_row(row)
        except RowError as error:
            if len(errors) < 200:
                errors.append({"row": number, "reason": str(error)})
        else:
            batch.append(
                OutcomeRecord(
                    outcome_import=record, features=features, stayed=stayed, outcome_date=when
                )
            )
        if done % CHUNK == 0:
            OutcomeRecord.objects.bulk_create(batch)
            record.imported += len(batch)
            batch = []
            record.done_rows = min(done, record.total_rows)
            record.save(update_fields=["done_rows", "imported"])
    OutcomeRecord.objects.bulk_create(batch)
    record.imported += len(batch)
    record.done_rows = record.total_rows = done
    record.errors = errors
    record.status = OutcomeImport.Status.DONE
    record.finished_at = clock.now()
    record.save()
    return record


def imported_outcomes() -> tuple[np.ndarray, np.ndarray]:
    """Features and outcomes of every imported record, in the engine's column order."""
    rows = list(
        OutcomeRecord.objects.filter(outcome_import__status=OutcomeImport.Status.DONE)
        .order_by("id")
        .values_list("features", "stayed")
    )
    if not rows:
        return np.zeros((0, len(FEATURE_NAMES)), dtype=np.float32), np.zeros(0, dtype=bool)
    features = np.array(
        [[float(named.get(name, 0.0)) for name in FEATURE_NAMES] for named, _s in rows],
        dtype=np.float32,
    )
    return features, np.array([stayed for _f, stayed in rows], dtype=bool)
