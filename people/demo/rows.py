"""Turning demo households into table rows, chunk by chunk, in worker processes.

Each chunk has its own random stream and its own first ids, so the result is the same
whatever the number of processes or the order they finish in.
"""

import random
from dataclasses import dataclass

from people.demo.columns import PERSON_COLUMNS
from people.demo.generate import DemoHousehold
from people.demo.outcomes import build_history
from people.extensions import demo_row_builders
from people.names import name_form_values
from people.submissions import NOT_A_SUBMISSION
from waystation.rows import adapt_rows, seeded_uuid

TABLES = ("household", "person", "name", "transition", "crossing")


@dataclass(frozen=True)
class RowContext:
    """What building rows needs to know of the database, as plain values (no ORM)."""

    station_ids: dict[str, int]
    actors: dict[tuple[str, str], tuple[int, str]]  # (kind, station code) -> (user id, role)
    cutoff: object
    seed: int
    vendor: str


@dataclass(frozen=True)
class Chunk:
    index: int
    households: list[DemoHousehold]
    first_household_id: int
    first_person_id: int


def chunked(
    households: list[DemoHousehold], size: int, first_household_id: int, first_person_id: int
) -> list[Chunk]:
    chunks, household_id, person_id = [], first_household_id, first_person_id
    for index, start in enumerate(range(0, len(households), size)):
        part = households[start : start + size]
        chunks.append(Chunk(index, part, household_id, person_id))
        household_id += len(part)
        person_id += sum(len(household.members) for household in part)
    return chunks


@dataclass
class ChunkRows:
    """A chunk's rows, adapted for the driver: people's own tables, and the tables other
    apps derive from the same persons ({table: (columns, rows)})."""

    people: dict[str, list]
    derived: dict[str, tuple[tuple[str, ...], list]]

    @property
    def persons(self) -> int:
        return len(self.people["person"])


def build_chunk(chunk: Chunk, context: RowContext) -> ChunkRows:
    rng = random.Random(context.seed * 1_000_003 + chunk.index)
    rows: dict[str, list] = {table: [] for table in TABLES}
    person_id = chunk.first_person_id
    for offset, household in enumerate(chunk.households):
        person_id = _household_rows(
            household, chunk.first_household_id + offset, person_id, rows, rng, context
        )
    persons = [dict(zip(PERSON_COLUMNS, row, strict=True)) for row in rows["person"]]
    derived: dict[str, tuple[tuple[str, ...], list]] = {}
    for builder in demo_row_builders():
        for table, (columns, table_rows) in builder(persons).items():
            derived[table] = (columns, adapt_rows(table_rows, context.vendor))
    return ChunkRows(
        people={
            table: adapt_rows(table_rows, context.vendor) for table, table_rows in rows.items()
        },
        derived=derived,
    )


def _household_rows(
    household: DemoHousehold,
    household_id: int,
    person_id: int,
    rows: dict[str, list],
    rng: random.Random,
    context: RowContext,
) -> int:
    code = household.station_code
    station_id = context.station_ids[code]
    actors = context.actors
    registrar_id = actors["registrar", code][0]
    rows["household"].append((
        household_id, seeded_uuid(rng), NOT_A_SUBMISSION, station_id, person_id, registrar_id,
        household.arrival,
    ))  # fmt: skip
    for member in household.members:
        history = build_history(household, member, context.cutoff, rng)
        name = member.name
        rows["person"].append((
            person_id, seeded_uuid(rng), NOT_A_SUBMISSION, name.family_hangul, name.given_hangul,
            name.family_hanzi, name.given_hanzi, name.family_latin, name.given_latin, member.sex,
            member.birth_date, member.birth_precision, member.origin, member.education_level,
            member.education_years, member.occupation,
            ["ko", "zh"] if member.age >= 7 else ["ko"], member.category, household_id,
            station_id, history.state, history.last_at, registrar_id, history.steps[0][2], 1,
            member.document_number,
        ))  # fmt: skip
        forms = name_form_values(
            name.family_hangul, name.given_hangul, name.family_hanzi, name.given_hanzi,
            name.family_latin, name.given_latin,
        )  # fmt: skip
        rows["name"].extend((person_id, form, value) for form, value in forms.items())
        rows["transition"].extend(
            (person_id, source, target, *actors[kind, code], at, reason, False)
            for source, target, at, kind, reason in history.steps
        )
        rows["crossing"].extend(
            (
                seeded_uuid(rng), NOT_A_SUBMISSION, person_id, station_id, direction, at, note,
                registrar_id, at,
            )
            for direction, at, note in history.crossings
        )  # fmt: skip
        person_id += 1
    return person_id
