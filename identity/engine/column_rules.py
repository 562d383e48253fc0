"""band_by_rule's rules that hold a pair back from an automatic link, column-wise: the
batch applies them to the pairs its scores would link (few), so that a pair's band is the
live check's (scoring.band_by_rule) without scoring it again."""

from __future__ import annotations

import numpy as np

from identity.engine.bands import GIVEN_ALIKE
from identity.engine.column_dates import DATE_LEVELS, date_levels, document_levels_of
from identity.engine.columns import (
    FAMILY_LEVELS,
    GIVEN_DIFFERENT,
    GIVEN_LEVELS,
    RecordColumns,
    family_levels,
    given_levels,
)
from identity.engine.compare import crosswalk_surnames
from identity.engine.scoring import GIVEN_NOT_AGREEING, YEAR_LEVELS

_EXACT_FAMILY = FAMILY_LEVELS.index("exact")
_EXACT_DATE = DATE_LEVELS.index("exact")
_YEAR_LEVELS = [DATE_LEVELS.index(level) for level in YEAR_LEVELS]
_NOT_AGREEING = [GIVEN_LEVELS.index(level) for level in GIVEN_NOT_AGREEING]
_ALIKE = [GIVEN_LEVELS.index(level) for level in GIVEN_ALIKE]


def twin_like(columns: RecordColumns, left: np.ndarray, right: np.ndarray) -> np.ndarray:
    """Two given names that are not one name, one of them at least in Hanzi or Hangul, and
    no agreeing document number (twins agree on all else):
    given_names_differ_without_document."""
    differ = np.isin(given_levels(columns, left, right), _NOT_AGREEING)
    differ &= in_characters(columns, left) | in_characters(columns, right)
    documents = document_levels_of(columns, left[differ], right[differ])
    differ[np.flatnonzero(differ)[(documents == 1) | (documents == 2)]] = False
    return differ


def given_names_differ(columns: RecordColumns, left: np.ndarray, right: np.ndarray) -> np.ndarray:
    """Given names that are two names: different, or not the same name (GIVEN_NOT_AGREEING)
    with one of them at least in Hanzi or Hangul."""
    levels = given_levels(columns, left, right)
    characters = in_characters(columns, left) | in_characters(columns, right)
    return (levels == GIVEN_DIFFERENT) | (np.isin(levels, _NOT_AGREEING) & characters)


def in_characters(columns: RecordColumns, rows: np.ndarray) -> np.ndarray:
    """Records whose given name is written in Hanzi or Hangul."""
    return (columns.given_hanzi[rows] >= 0) | (columns.given_hangul[rows] >= 0)


def year_and_look_alike_surname(
    columns: RecordColumns, left: np.ndarray, right: np.ndarray, evidence: np.ndarray
) -> np.ndarray:
    """A surname spelling more than one surname shares, agreeing with only the birth year
    and nothing identifying (evidence: a document or an attribute agrees):
    year_and_look_alike_surname_alone."""
    held = (columns.surname_may_differ[left] | columns.surname_may_differ[right]) & ~evidence
    rows = np.flatnonzero(held)
    dates = date_levels(columns, left[rows], right[rows])
    families = family_levels(columns, left[rows], right[rows])
    held[rows] = np.isin(dates, _YEAR_LEVELS) & (families == _EXACT_FAMILY)
    return held


def attributes_disagree(columns: RecordColumns, left: np.ndarray, right: np.ndarray) -> np.ndarray:
    """An attribute both records give, with two values (similar or different: not the
    same place), as bands.ATTRIBUTE_NOT_AGREEING."""
    disagree = np.zeros(len(left), dtype=bool)
    for codes, _ in columns.attributes.values():
        ca, cb = codes[left], codes[right]
        disagree |= (ca >= 0) & (cb >= 0) & (ca != cb)
    return disagree


def look_alike_surname_against_an_attribute(
    columns: RecordColumns, left: np.ndarray, right: np.ndarray
) -> np.ndarray:
    """A surname spelling more than one surname shares, an attribute that names another
    place, a birth date short of exact and no agreeing document:
    bands.look_alike_surname_against_an_attribute."""
    held = columns.surname_may_differ[left] | columns.surname_may_differ[right]
    held &= attributes_disagree(columns, left, right)
    rows = np.flatnonzero(held)
    dates = date_levels(columns, left[rows], right[rows])
    families = family_levels(columns, left[rows], right[rows])
    documents = document_levels_of(columns, left[rows], right[rows])
    held[rows] = (dates != _EXACT_DATE) & (families == _EXACT_FAMILY) & (documents != 1)
    return held


def romanised_twins(columns: RecordColumns, left: np.ndarray, right: np.ndarray) -> np.ndarray:
    """Romanised given names alike but not one name, a crosswalk surname, the same birth
    date and no agreeing document: bands.romanised_twins."""
    held = np.isin(given_levels(columns, left, right), _ALIKE)
    held &= ~(in_characters(columns, left) | in_characters(columns, right))
    rows = np.flatnonzero(held)
    a, b = left[rows], right[rows]
    names, codes = columns.table.family_names, columns.table.family_codes
    crosswalk = np.array(
        [
            crosswalk_surnames(names[codes[x]], names[codes[y]])
            for x, y in zip(a.tolist(), b.tolist(), strict=True)
        ],
        dtype=bool,
    )
    documents = document_levels_of(columns, a, b)
    held[rows] = (
        crosswalk
        & (date_levels(columns, a, b) == _EXACT_DATE)
        & (family_levels(columns, a, b) == _EXACT_FAMILY)
        & (documents != 1)
        & (documents != 2)
    )
    return held


def held_back_by_rule(
    columns: RecordColumns, left: np.ndarray, right: np.ndarray, evidence: np.ndarray
) -> np.ndarray:
    """Pairs one of these rules sends to review whatever their score."""
    return (
        twin_like(columns, left, right)
        | romanised_twins(columns, left, right)
        | year_and_look_alike_surname(columns, left, right, evidence)
        | look_alike_surname_against_an_attribute(columns, left, right)
    )
