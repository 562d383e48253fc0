"""Anonymisation helpers and their use inside a streamed export."""

from __future__ import annotations

import csv
import io
from datetime import date, datetime

import pytest

from reports.exports import (
    ColumnSpec,
    Pseudonymiser,
    UnknownColumnError,
    anonymise_columns,
    coarsen_birth_date,
    mask_document_number,
    select_columns,
    standard_anonymisation,
    stream_csv,
)

KEY = b"0123456789abcdef0123456789abcdef"
PEOPLE_COLUMNS = [
    ColumnSpec("name", "Name"),
    ColumnSpec("head_of_household", "Head of household"),
    ColumnSpec("date_of_birth", "Date of birth"),
    ColumnSpec("travel_pass", "Travel pass"),
    ColumnSpec("station", "Station"),
]
PEOPLE = [
    {"name": "Kim Chol-su", "head_of_household": "Kim Chol-su", "date_of_birth": date(1934, 5, 2),
     "travel_pass": "TP-00012345", "station": "Onsong"},
    {"name": "Ri Yong-hui", "head_of_household": "kim  chol-su", "date_of_birth": date(1938, 1, 9),
     "travel_pass": "TP-00067890", "station": "Musan"},
]  # fmt: skip


@pytest.mark.parametrize(
    ("value", "band", "expected"),
    [
        (date(1934, 5, 2), 1, "1934"),
        (date(1934, 5, 2), 5, "1930-1934"),
        (date(1935, 1, 1), 5, "1935-1939"),
        (datetime(1941, 12, 31, 23, 0), 10, "1940-1949"),
        ("1929-07-04", 5, "1925-1929"),
        (None, 5, None),
    ],
)
def test_birth_dates_are_coarsened_to_aligned_bands(
    value: date | str | None, band: int, expected: str | None
) -> None:
    assert coarsen_birth_date(value, band_years=band) == expected


def test_birth_date_band_must_be_positive() -> None:
    with pytest.raises(ValueError):
        coarsen_birth_date(date(1934, 5, 2), band_years=0)


@pytest.mark.parametrize(
    ("number", "expected"),
    [("TP-00012345", "**-******45"), ("E1234567", "******67"), ("A1", "**"), ("", ""),
     (None, None)],
)  # fmt: skip
def test_document_numbers_keep_only_their_last_characters(
    number: str | None, expected: str | None
) -> None:
    assert mask_document_number(number) == expected


def test_pseudonyms_are_stable_per_key_and_ignore_case_and_spacing() -> None:
    pseudonym = Pseudonymiser(KEY)
    first = pseudonym("Kim Chol-su")
    assert first is not None and first.startswith("P-") and len(first) == 14
    assert pseudonym("  kim   CHOL-SU ") == first
    assert pseudonym("Ri Yong-hui") != first
    assert Pseudonymiser(KEY)("Kim Chol-su") == first
    assert pseudonym(None) is None


def test_each_export_gets_its_own_random_key_by_default() -> None:
    assert Pseudonymiser()("Kim Chol-su") != Pseudonymiser()("Kim Chol-su")


def test_short_keys_are_refused() -> None:
    with pytest.raises(ValueError):
        Pseudonymiser(b"short")


def test_anonymised_export_keeps_people_apart_but_links_the_same_person() -> None:
    columns = standard_anonymisation(
        PEOPLE_COLUMNS,
        name_keys=["name", "head_of_household"],
        birth_date_keys=["date_of_birth"],
        document_keys=["travel_pass"],
        pseudonymiser=Pseudonymiser(KEY),
    )
    text = b"".join(stream_csv(PEOPLE, columns)).decode()
    assert "Kim" not in text and "Ri Yong" not in text and "12345" not in text
    table = list(csv.reader(io.StringIO(text)))
    kim, ri = table[1], table[2]
    assert kim[0] == kim[1] == ri[1]  # the same person has one pseudonym in both columns
    assert ri[0] != kim[0]
    assert kim[2:] == ["1930-1934", "**-******45", "Onsong"]


def test_field_limiting_and_anonymisation_combine() -> None:
    limited = select_columns(PEOPLE_COLUMNS, ["station", "date_of_birth"])
    columns = anonymise_columns(limited, {"date_of_birth": coarsen_birth_date})
    table = list(csv.reader(io.StringIO(b"".join(stream_csv(PEOPLE, columns)).decode())))
    assert table == [["Station", "Date of birth"], ["Onsong", "1934"], ["Musan", "1938"]]


def test_a_plan_naming_a_column_the_export_lacks_is_refused() -> None:
    limited = select_columns(PEOPLE_COLUMNS, ["station"])
    with pytest.raises(UnknownColumnError):
        anonymise_columns(limited, {"name": Pseudonymiser(KEY)})
