"""Records as columns: what batch deduplication reads of a whole registry.

A registry of a million persons repeats its names: about 8,000 distinct family names and
160,000 distinct given names for a million records. The table holds each distinct name
part once (as NameForms, of which only that part's fields are read) and a code per
record, so the comparable columns are derived once per distinct name, not per record.
Dates, sex, documents and attributes are plain arrays. Whole PreparedRecord objects are
built only for the few records that are compared one by one (`record_at`).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, fields
from operator import attrgetter, itemgetter

import numpy as np
import pandas as pd

from identity.engine.names import NameForms
from identity.engine.records import BirthDate, PreparedRecord

# The NameForms fields derived from the family name alone; every other field is derived
# from the given name alone (derive_name_forms derives the two parts separately).
FAMILY_FIELDS = frozenset(
    {
        "family_hanzi",
        "family_hangul",
        "family_pinyin",
        "family_rr",
        "family_phonetic",
        "surname_keys",
        "family_latin",
        "order_unsure",
    }
)
GIVEN_FIELDS = frozenset(field.name for field in fields(NameForms)) - FAMILY_FIELDS
SEX_CODES = {"M": 1, "F": 2}


@dataclass(frozen=True)
class RecordTable:
    """One row per record. family_names / given_names: the distinct name parts, each a
    NameForms of which only the FAMILY_FIELDS / GIVEN_FIELDS are read; family_codes /
    given_codes: each record's position in them. year / month / day: -1 when unknown;
    sex: 0 unknown, 1 male, 2 female; document: the normalised number ('' if none),
    document_valid: it is a valid resident ID; attributes: normalised text per name ('' if
    none). birth, sex and document are those of the prepared record (a resident ID fills
    gaps). record_at(position) builds the record's PreparedRecord."""

    record_ids: np.ndarray
    family_names: Sequence[NameForms]
    family_codes: np.ndarray
    given_names: Sequence[NameForms]
    given_codes: np.ndarray
    year: np.ndarray
    month: np.ndarray
    day: np.ndarray
    # the year was given as approximate ("about 1953")
    approximate: np.ndarray
    sex: np.ndarray
    document: np.ndarray
    document_valid: np.ndarray
    attributes: Mapping[str, np.ndarray]
    sources: np.ndarray
    record_at: Callable[[int], PreparedRecord]

    def __len__(self) -> int:
        return len(self.record_ids)

    def given_forms_at(self, position: int) -> NameForms:
        """The given-name forms of a record (its family fields belong to another record)."""
        return self.given_names[self.given_codes[position]]


def name_parts(names: Sequence[NameForms]) -> tuple[np.ndarray, list, np.ndarray, list]:
    """(family codes, distinct family forms, given codes, distinct given forms) of names."""
    family = _field_values(names, sorted(FAMILY_FIELDS))
    given = _field_values(names, sorted(GIVEN_FIELDS))
    family_codes, family_first = _first_of_each(family)
    given_codes, given_first = _first_of_each(given)
    return (
        family_codes,
        [names[n] for n in family_first.tolist()],
        given_codes,
        [names[n] for n in given_first.tolist()],
    )


def _field_values(names: Sequence[NameForms], chosen: list[str]) -> list[tuple]:
    return list(map(attrgetter(*chosen), names))


def _first_of_each(values: Sequence[object]) -> tuple[np.ndarray, np.ndarray]:
    """Codes of values (in order of first appearance) and the position of each first."""
    codes, uniques = pd.factorize(pd.Series(values, dtype=object), sort=False)
    first = np.full(len(uniques), len(codes), dtype=np.int64)
    np.minimum.at(first, codes, np.arange(len(codes)))
    return codes.astype(np.int64), first


def table_of_records(prepared: Sequence[PreparedRecord]) -> RecordTable:
    """The table of records prepared one by one (records given to find_duplicates)."""
    family_codes, families, given_codes, givens = name_parts([r.names for r in prepared])
    births = [r.birth_date for r in prepared]
    attribute_names = sorted({name for r in prepared for name in r.attributes})
    return RecordTable(
        record_ids=np.array([r.record.record_id for r in prepared], dtype=object),
        family_names=families,
        family_codes=family_codes,
        given_names=givens,
        given_codes=given_codes,
        year=np.array([b.year if b else -1 for b in births], dtype=np.int64),
        month=np.array([b.month or -1 if b else -1 for b in births], dtype=np.int64),
        day=np.array([b.day or -1 if b else -1 for b in births], dtype=np.int64),
        approximate=np.array([bool(b and b.approximate) for b in births], dtype=bool),
        sex=np.array([SEX_CODES.get(r.sex or "", 0) for r in prepared], dtype=np.int8),
        document=np.array([r.document_number for r in prepared], dtype=object),
        document_valid=np.array([r.resident_id is not None for r in prepared], dtype=bool),
        attributes={
            name: np.array([r.attributes.get(name, "") for r in prepared], dtype=object)
            for name in attribute_names
        },
        sources=np.array([r.record.source for r in prepared], dtype=object),
        record_at=prepared.__getitem__,
    )


def birth_ordinals(year: np.ndarray, month: np.ndarray, day: np.ndarray) -> np.ndarray:
    """Proleptic Gregorian ordinal of each complete, possible date; -1 otherwise. Each
    distinct date is read once (a registry has a few tens of thousands)."""
    encoded = year * 10_000 + month * 100 + day
    complete = (month >= 0) & (day >= 0)
    ordinals = np.full(len(year), -1, dtype=np.int64)
    if not complete.any():
        return ordinals
    codes, uniques = pd.factorize(encoded[complete])
    distinct = np.array(
        [_ordinal(int(value)) for value in np.asarray(uniques).tolist()], dtype=np.int64
    )
    ordinals[complete] = distinct[codes]
    return ordinals


def _ordinal(encoded: int) -> int:
    calendar_date = BirthDate(encoded // 10_000, encoded // 100 % 100, encoded % 100).as_date()
    return calendar_date.toordinal() if calendar_date else -1


def combined_forms(family: NameForms, given: NameForms) -> NameForms:
    """One name's forms from the forms its family part and its given part were read from."""
    return NameForms(*_IN_FIELD_ORDER(_FAMILY_VALUES(family) + _GIVEN_VALUES(given)))


# combined_forms runs for every record re-scored one by one: its fields are gathered by
# operator getters rather than a loop of getattr
_FIELD_NAMES = [field.name for field in fields(NameForms)]
_FAMILY_ORDER = [name for name in _FIELD_NAMES if name in FAMILY_FIELDS]
_GIVEN_ORDER = [name for name in _FIELD_NAMES if name not in FAMILY_FIELDS]
_FAMILY_VALUES = attrgetter(*_FAMILY_ORDER)
_GIVEN_VALUES = attrgetter(*_GIVEN_ORDER)
_IN_FIELD_ORDER = itemgetter(*[(_FAMILY_ORDER + _GIVEN_ORDER).index(name) for name in _FIELD_NAMES])
