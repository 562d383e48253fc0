"""The registry's persons as batch deduplication reads them: a RecordTable (the stored
blocking keys are read by packed_keys.py).

Persons are read column by column (COPY on PostgreSQL): building a PersonRecord and a
PreparedRecord for each of a million persons cost more than the deduplication. A
registry repeats its names, birth dates, documents and places, so each distinct value
is read once: name forms come from the stored forms of one person per distinct family
name and one per distinct given name. Whole records are built only for the pairs the
engine re-scores one by one.
"""

from __future__ import annotations

import datetime as dt
import io
import json
from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd
from django.db import connection

from identity.engine import NameForms, PreparedRecord
from identity.engine.idnumber import ResidentId, failing_check_character, normalize_document_number
from identity.engine.records import PLACE as ENGINE_PLACE
from identity.engine.records import (
    BirthDate,
    card_completes,
    place_value,
    prepare_attributes,
    read_document,
)
from identity.engine.table import (
    FAMILY_FIELDS,
    GIVEN_FIELDS,
    SEX_CODES,
    RecordTable,
    combined_forms,
)
from identity.keys import PERSON_FIELDS, birth_of, prepare_record, record_of
from identity.models import PersonKeys
from people.models import Person

FAMILY_COLUMNS = ("family_name_hanzi", "family_name_hangul", "family_name_latin")
GIVEN_COLUMNS = ("given_name_hanzi", "given_name_hangul", "given_name_latin")
BIRTH_COLUMNS = ("birth_date", "birth_date_precision")
PLACE = "place_of_origin"
# SQLite allows a limited number of parameters in one statement
FORMS_CHUNK = 500


def load_table(merged: set[int]) -> tuple[RecordTable, np.ndarray]:
    """Every person not merged into another, as a table ordered by id, and their ids."""
    frame = _read_persons()
    if merged:
        frame = frame[~frame["id"].isin(list(merged))].reset_index(drop=True)
    person_ids = frame["id"].to_numpy(dtype=np.int64)
    values = {name: frame[name].to_numpy(dtype=object) for name in PERSON_FIELDS[1:]}

    # a Latin name's parts are told apart by both fields (a whole name typed in one, or
    # the two typed into each other) and the other scripts' surname: each part is read
    # from the columns that decide it
    family_codes, family_first = _distinct_rows(values, (*FAMILY_COLUMNS, "given_name_latin"))
    given_codes, given_first = _distinct_rows(values, _NAME_COLUMNS)
    stored = _stored_parts(person_ids[np.union1d(family_first, given_first)].tolist())
    parsed: dict[str, NameForms] = {}
    derived: dict[int, NameForms] = {}

    def forms_at(position: int, part: int) -> NameForms:
        texts = stored.get(int(person_ids[position]))
        if texts:
            text = texts[part]
            if text not in parsed:
                parsed[text] = NameForms.from_dict(json.loads(text))
            return parsed[text]
        if position not in derived:
            # a person saved without keys since the backfill: derived as prepare_record does
            row = {name: values[name][position] for name in PERSON_FIELDS[1:]}
            derived[position] = prepare_record(record_of(row)).names
        return derived[position]

    families = [forms_at(position, 0) for position in family_first.tolist()]
    givens = [forms_at(position, 1) for position in given_first.tolist()]

    birth_codes, birth_first = _distinct_rows(values, BIRTH_COLUMNS)
    births = [
        birth_of(_date(values["birth_date"][n]), values["birth_date_precision"][n])
        for n in birth_first.tolist()
    ]
    typed_birth = _birth_columns(births, birth_codes)
    document_codes, document_first = _distinct_rows(values, ("document_number",))
    documents = _read_documents([values["document_number"][n] for n in document_first.tolist()])
    id_birth = _birth_columns(
        [BirthDate.parse(rid.birth_date) if rid else None for _, rid in documents], document_codes
    )
    # as birth_date_with_card: the card's date where none was typed, or where it makes a
    # typed year exact (the few partly typed dates beside a valid ID are read one by one)
    use_card = typed_birth[0] < 0
    partial = np.flatnonzero((typed_birth[0] >= 0) & (typed_birth[2] < 0) & (id_birth[0] >= 0))
    use_card[partial] = [
        card_completes(births[birth_codes[row]], _card_birth(documents[document_codes[row]][1]))
        for row in partial.tolist()
    ]
    year, month, day, approximate = (
        np.where(use_card, b, a) for a, b in zip(typed_birth, id_birth, strict=True)
    )
    typed_sex = np.select([values["sex"] == "M", values["sex"] == "F"], [1, 2], 0)
    id_sex = np.array([SEX_CODES[rid.sex] if rid else 0 for _, rid in documents], dtype=np.int8)[
        document_codes
    ]
    place_codes, place_first = _distinct_rows(values, (PLACE,))
    places = np.array([_attribute(values[PLACE][n]) for n in place_first.tolist()], dtype=object)
    # as prepare_attributes: a record without a typed place takes its ID's issuing county
    id_counties = np.array(
        [prepare_attributes({}, number).get(ENGINE_PLACE, "") for number, _ in documents],
        dtype=object,
    )[document_codes]
    typed_places = places[place_codes]
    record_places = np.where(typed_places == "", id_counties, typed_places)

    def record_at(position: int) -> PreparedRecord:
        fields: dict[str, Any] = {name: values[name][position] for name in PERSON_FIELDS[1:]}
        fields["id"] = int(person_ids[position])
        fields["birth_date"] = births[birth_codes[position]]
        fields["birth_date_precision"] = "parsed"  # read already: birth_of keeps it
        names = combined_forms(families[family_codes[position]], givens[given_codes[position]])
        return prepare_record(record_of(fields), names, documents[document_codes[position]])

    table = RecordTable(
        record_ids=person_ids.astype(str).astype(object),
        family_names=families,
        family_codes=family_codes,
        given_names=givens,
        given_codes=given_codes,
        year=year,
        month=month,
        day=day,
        approximate=approximate,
        # as typed_or_card_sex: a typed sex its own valid ID contradicts is unknown
        sex=np.where(
            typed_sex == 0, id_sex, np.where((id_sex != 0) & (id_sex != typed_sex), 0, typed_sex)
        ).astype(np.int8),
        document=np.array([number for number, _ in documents], dtype=object)[document_codes],
        document_valid=np.array([rid is not None for _, rid in documents], dtype=bool)[
            document_codes
        ],
        attributes={ENGINE_PLACE: record_places},
        sources=np.full(len(person_ids), "", dtype=object),
        record_at=record_at,
    )
    return table, person_ids


_NAME_COLUMNS = (*FAMILY_COLUMNS, *GIVEN_COLUMNS)
_NAME_ARGUMENTS = tuple(column.replace("_name", "") for column in _NAME_COLUMNS)


def _read_persons() -> pd.DataFrame:
    """PERSON_FIELDS of every person, ordered by id: text columns ('' for NULL), the
    birth date as ISO text."""
    table = Person._meta.db_table
    selected = [
        "to_char(birth_date, 'YYYY-MM-DD')"
        if name == "birth_date" and connection.vendor == "postgresql"
        else name
        for name in PERSON_FIELDS
    ]
    query = f"SELECT {', '.join(selected)} FROM {table} ORDER BY id"  # noqa: S608 - model names
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            buffer = io.BytesIO()
            with cursor.cursor.copy(f"COPY ({query}) TO STDOUT (FORMAT csv)") as copy:
                for block in copy:
                    buffer.write(block)
            if buffer.tell() == 0:
                return pd.DataFrame({name: pd.Series(dtype=object) for name in PERSON_FIELDS})
            buffer.seek(0)
            frame = pd.read_csv(
                buffer, header=None, names=list(PERSON_FIELDS), dtype=str, na_filter=False
            )
        else:
            cursor.execute(query)
            frame = pd.DataFrame.from_records(cursor.fetchall(), columns=list(PERSON_FIELDS))
            frame = frame.astype(object).where(frame.notna(), "")
    frame["id"] = frame["id"].astype(np.int64)
    return frame


def _distinct_rows(
    values: dict[str, np.ndarray], columns: Sequence[str]
) -> tuple[np.ndarray, np.ndarray]:
    """Per row, a code of its values in columns; per code, the first row carrying it."""
    count = len(next(iter(values.values())))
    key = np.zeros(count, dtype=np.int64)
    for column in columns:
        codes, uniques = pd.factorize(values[column])
        key, _ = pd.factorize(key * (len(uniques) + 1) + codes)
    if count == 0:
        return key.astype(np.int64), np.zeros(0, dtype=np.int64)
    _, first = np.unique(key, return_index=True)
    return key.astype(np.int64), first.astype(np.int64)


_FAMILY_KEYS = sorted(FAMILY_FIELDS)
_GIVEN_KEYS = sorted(GIVEN_FIELDS)


def _stored_parts(person_ids: list[int]) -> dict[int, tuple[str, str]]:
    """The stored name forms of these persons as the JSON texts of their family part and
    of their given part (persons without stored forms left out). A registry repeats each
    part far more than whole names: the bench's million persons hold 8,383 distinct family
    parts and 123,265 given parts, and the 584,291 whole forms read before took 18 s to
    parse; each distinct text is parsed once."""
    table = PersonKeys._meta.db_table
    rows: list[tuple[int, str, str]] = []
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            query = (
                f"SELECT person_id, (forms - %s::text[])::text, (forms - %s::text[])::text "  # noqa: S608
                f"FROM {table} WHERE person_id = ANY(%s::bigint[]) AND forms != '{{}}'::jsonb"
            )
            cursor.execute(query, [_GIVEN_KEYS, _FAMILY_KEYS, person_ids])
            rows.extend(cursor.fetchall())
        else:
            without_given = ", ".join(f"'$.{key}'" for key in _GIVEN_KEYS)
            without_family = ", ".join(f"'$.{key}'" for key in _FAMILY_KEYS)
            for start in range(0, len(person_ids), FORMS_CHUNK):
                part = person_ids[start : start + FORMS_CHUNK]
                marks = ", ".join(["%s"] * len(part))
                query = (
                    f"SELECT person_id, json_remove(forms, {without_given}), "  # noqa: S608
                    f"json_remove(forms, {without_family}) FROM {table} "
                    f"WHERE person_id IN ({marks}) AND forms != '{{}}'"
                )
                cursor.execute(query, part)
                rows.extend(cursor.fetchall())
    return {person: (family, given) for person, family, given in rows}


def _read_documents(typed: list[str]) -> list[tuple[str, ResidentId | None]]:
    """read_document of each distinct typed number; most mistyped resident IDs fail the
    check character, which is tested for all of them at once."""
    normalized = [normalize_document_number(text.strip()) for text in typed]
    failing = failing_check_character(normalized).tolist()
    return [
        (number, None) if fails else read_document(text.strip())
        for text, number, fails in zip(typed, normalized, failing, strict=True)
    ]


def _date(value: Any) -> dt.date | None:
    if isinstance(value, dt.date):
        return value
    return dt.date.fromisoformat(value[:10]) if value else None


def _card_birth(resident_id: ResidentId | None) -> BirthDate:
    birth = BirthDate.parse(resident_id.birth_date) if resident_id else None
    assert birth is not None, "only rows with a valid resident ID are asked"
    return birth


def _birth_columns(
    births: Sequence[BirthDate | None], codes: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Year, month and day (-1 when unknown) of each row and whether its year was given
    as approximate, from its distinct birth date."""
    year = np.array([b.year if b else -1 for b in births], dtype=np.int64)
    month = np.array([b.month or -1 if b else -1 for b in births], dtype=np.int64)
    day = np.array([b.day or -1 if b else -1 for b in births], dtype=np.int64)
    approximate = np.array([bool(b and b.approximate) for b in births], dtype=bool)
    return year[codes], month[codes], day[codes], approximate[codes]


def _attribute(value: str) -> str:
    place = value.strip()
    return place_value(place) if place else ""
