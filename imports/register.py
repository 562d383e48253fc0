"""Importing a register of persons: each row a person, rows sharing a household value one
household. Each row is checked as a registrar's form would be and refused in words (row,
column, reason) when it cannot be registered; a dry run stops there.

Every person imported goes through the files check as the API registers them (no verdicts
sent): a person with candidates on file waits at "registered" with an item in the station's
review queue. A row's key in the register is kept (SourceKey), so importing the register again
adds nobody twice; a row added to a household already imported joins that household.
"""

import datetime as dt
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from imports.fields import REGISTER_FIELDS
from imports.models import ImportJob, SourceKey
from imports.values import (
    parse_birth_date,
    parse_category,
    parse_crossing,
    parse_education,
    parse_languages,
    parse_relationship,
    parse_sex,
    parse_years,
)
from people import services as people
from people.models import Household, Person
from people.states import JourneyState
from people.validation import PersonInput, validate_person

TEXT_FIELDS = (
    "family_name_hangul",
    "given_name_hangul",
    "family_name_hanzi",
    "given_name_hanzi",
    "family_name_latin",
    "given_name_latin",
    "place_of_origin",
    "document_number",
    "occupation",
)
NAMESPACE = uuid.UUID("6f1d7f1e-2b43-4c1a-9a7e-4f3c1b2d9e01")


@dataclass
class Row:
    number: int
    key: str
    household: str
    relationship: str
    person: PersonInput
    # when the person crossed; None: the import's time, as the form's empty field
    crossed_at: dt.datetime | None = None


@dataclass
class Outcome:
    refusals: list[dict[str, Any]] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=dict)

    def refuse(self, number: int, column: str, reason: str, key: str = "") -> None:
        # the row's key stays in the report when the file's values are erased (erasure.py)
        self.refusals.append({"row": number, "key": key, "column": column, "reason": str(reason)})

    def count(self, name: str, n: int = 1) -> None:
        self.counts[name] = self.counts.get(name, 0) + n


def _columns(job: ImportJob) -> dict[str, str]:
    """Field -> the heading of the column mapped to it (the field's label when unmapped)."""
    labels = {target.name: str(target.label) for target in REGISTER_FIELDS}
    return {
        name: job.header[index] if isinstance(index, int) and index < len(job.header) else label
        for name, label in labels.items()
        for index in [job.mapping.get(name)]
    }


def _cell(job: ImportJob, cells: list[str], name: str) -> str:
    index = job.mapping.get(name)
    return cells[index] if isinstance(index, int) and 0 <= index < len(cells) else ""


def read_row(job: ImportJob, number: int, cells: list[str], outcome: Outcome) -> Row | None:
    """The row as a person to register, or None with its refusals noted."""
    columns = _columns(job)
    problems: dict[str, list[str]] = {}
    values: dict[str, Any] = {name: _cell(job, cells, name) for name in TEXT_FIELDS}
    values["sex"], problem = parse_sex(_cell(job, cells, "sex"))
    if problem:
        problems.setdefault("sex", []).append(problem)
    birth, precision, problem = parse_birth_date(_cell(job, cells, "birth_date"))
    values["birth_date"], values["birth_date_precision"] = birth, precision
    if problem:
        problems.setdefault("birth_date", []).append(problem)
    for name, parse in (
        ("education_level", parse_education),
        ("category", parse_category),
        ("education_years", parse_years),
    ):
        values[name], problem = parse(_cell(job, cells, name))
        if problem:
            problems.setdefault(name, []).append(problem)
    relationship, problem = parse_relationship(_cell(job, cells, "relationship"))
    if problem:
        problems.setdefault("relationship", []).append(problem)
    crossed_at, problem = parse_crossing(_cell(job, cells, "crossed_at"))
    if problem:
        problems.setdefault("crossed_at", []).append(problem)
    values["languages"] = parse_languages(_cell(job, cells, "languages"))
    values["relationship"] = relationship
    key = _cell(job, cells, "source_key").strip()
    if not key:
        problems.setdefault("source_key", []).append(
            _("The row has no key: every row needs its number in the register.")
        )
    person = PersonInput(**values)
    try:
        person = validate_person(person)
    except ValidationError as error:
        for name, messages in error.message_dict.items():
            if name not in problems:  # a value that could not be read is named once
                problems.setdefault(name, []).extend(messages)
    for name, messages in problems.items():
        for message in messages:
            outcome.refuse(number, columns.get(name, name), message, key)
    if problems:
        return None
    household = _cell(job, cells, "household").strip()
    return Row(number, key, household, relationship, person, crossed_at)


def _households(rows: list[Row]) -> list[list[Row]]:
    groups: dict[str, list[Row]] = {}
    for row in rows:
        groups.setdefault(row.household or f"\x00{row.key}", []).append(row)
    return list(groups.values())


def _crossing(group: list[Row]) -> dt.datetime | None:
    """The household's crossing: the time its rows give (rows that leave it empty crossed
    with the others), None when none gives one."""
    return next((row.crossed_at for row in group if row.crossed_at is not None), None)


def _crossing_agrees(job: ImportJob, group: list[Row], outcome: Outcome) -> bool:
    """A household is registered with one crossing, as on the form: rows of one household
    that give different times are refused, all of them, since which one is right is unknown."""
    times = {row.crossed_at for row in group if row.crossed_at is not None}
    if len(times) < 2:
        return True
    column = _columns(job)["crossed_at"]
    rows = ", ".join(str(row.number) for row in group if row.crossed_at is not None)
    for row in group:
        outcome.refuse(
            row.number,
            column,
            _(
                "The rows of household %(household)s give different crossing times (rows "
                "%(rows)s): a household is registered with the time it crossed together."
            )
            % {"household": row.household, "rows": rows},
            row.key,
        )
    return False


def _register(job: ImportJob, group: list[Row]) -> list[Person]:
    """Register one household's new rows, or add them to the household imported earlier
    under the same household value."""
    station = job.station
    assert station is not None
    value = group[0].household
    earlier = None
    if value:
        earlier = (
            Person.objects.filter(
                pk__in=SourceKey.objects.filter(source=job.source, household=value).values(
                    "person_id"
                ),
                household__isnull=False,
            )
            .select_related("household")
            .first()
        )
    if earlier is not None and earlier.household is not None:
        household: Household = earlier.household
        return [
            people.add_person(
                user=job.created_by,
                station=station,
                data=row.person,
                household=household,
                crossed_at=_crossing(group),
            )[0]
            for row in group
        ]
    heads = [i for i, row in enumerate(group) if row.relationship == "head"]
    household, _created = people.register_household(
        user=job.created_by,
        station=station,
        members=[row.person for row in group],
        head_index=heads[0] if heads else 0,
        crossed_at=_crossing(group),
        client_uuid=uuid.uuid5(NAMESPACE, f"{job.source}\x00{value or group[0].key}"),
        files_checks=None,
    )
    saved = getattr(household, "registered_members", None)
    return list(saved) if saved else list(household.members.order_by("pk"))


def run_register(job: ImportJob, progress: Callable[[int], None]) -> Outcome:
    """Check every row (and, unless a dry run, register what passes); `progress` is told how
    many rows are through."""
    outcome = Outcome()
    rows: list[Row] = []
    seen: dict[str, int] = {}
    key_column = _columns(job)["source_key"]
    for done, (number, cells) in enumerate(job.rows, start=1):
        row = read_row(job, number, cells, outcome)
        if row is not None and row.key in seen:
            outcome.refuse(
                number,
                key_column,
                _("The key %(key)s is also on row %(row)d: each person once.")
                % {"key": row.key, "row": seen[row.key]},
                row.key,
            )
        elif row is not None:
            seen[row.key] = number
            rows.append(row)
        if job.dry_run and done % 500 == 0:
            progress(done)
    already = set(
        SourceKey.objects.filter(source=job.source, key__in=[r.key for r in rows]).values_list(
            "key", flat=True
        )
    )
    new_rows = [row for row in rows if row.key not in already]
    outcome.count("already_imported", len(rows) - len(new_rows))
    groups = [group for group in _households(new_rows) if _crossing_agrees(job, group, outcome)]
    new_rows = [row for group in groups for row in group]
    if job.dry_run:
        outcome.count("refused", len({r["row"] for r in outcome.refusals}))
        outcome.count("to_import", len(new_rows))
        progress(job.total)
        return outcome
    done = job.total - len(new_rows)
    progress(done)
    for group in groups:
        try:
            with transaction.atomic():
                persons = _register(job, group)
                SourceKey.objects.bulk_create(
                    SourceKey(
                        source=job.source, key=row.key, household=row.household, person=p, job=job
                    )
                    for row, p in zip(group, persons, strict=True)
                )
        except (ValidationError, people.IdempotencyConflict) as error:
            messages = error.messages if isinstance(error, ValidationError) else [str(error)]
            for row in group:
                for message in messages:
                    outcome.refuse(row.number, "", message, row.key)
        else:
            outcome.count("imported", len(persons))
            held = sum(1 for p in persons if p.state == JourneyState.REGISTERED)
            outcome.count("held_for_files_check", held)
        done += len(group)
        progress(done)
    outcome.count("refused", len({r["row"] for r in outcome.refusals}))
    return outcome
