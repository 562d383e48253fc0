"""Chinese resident ID numbers: check character, birth date, sex, normalisation."""

from __future__ import annotations

import datetime

import pytest

from identity.engine.idnumber import (
    make_resident_id,
    normalize_document_number,
    parse_resident_id,
    resident_id_check_character,
    resident_id_errors,
)
from identity.engine.records import PersonRecord, prepare_record

VALID = "11010519491231002X"  # the example printed in GB 11643-1999


def test_valid_number_gives_birth_date_sex_and_region() -> None:
    parsed = parse_resident_id(VALID)
    assert parsed is not None
    assert parsed.birth_date == datetime.date(1949, 12, 31)
    assert parsed.sex == "F"  # sequence 002 is even
    assert parsed.region_code == "110105"
    assert resident_id_errors(VALID) == []


def test_wrong_check_character_is_refused() -> None:
    wrong = VALID[:-1] + "1"
    assert parse_resident_id(wrong) is None
    assert resident_id_errors(wrong) == ["check character is 1, expected X"]


def test_impossible_birth_date_is_refused() -> None:
    body = "11010519490231002"  # 31 February
    number = body + resident_id_check_character(body)
    assert parse_resident_id(number) is None
    assert "the birth date in the number does not exist" in resident_id_errors(number)


@pytest.mark.parametrize("text", ["1101051949123100", "11010519491231002Y", "ABCDEFGHIJKLMNOPQR"])
def test_malformed_numbers_are_refused(text: str) -> None:
    assert parse_resident_id(text) is None
    assert resident_id_errors(text)


def test_separators_and_lower_case_x_are_normalised() -> None:
    assert normalize_document_number("110105 19491231 002x") == VALID
    assert parse_resident_id("110105-19491231-002x") is not None


def test_fifteen_digit_number_is_upgraded() -> None:
    parsed = parse_resident_id("110105491231002")
    assert parsed is not None
    assert parsed.number == VALID
    assert parsed.birth_date == datetime.date(1949, 12, 31)


def test_made_numbers_are_valid_and_carry_sex() -> None:
    male = make_resident_id("222401", datetime.date(1935, 3, 7), 123)
    female = make_resident_id("222401", datetime.date(1935, 3, 7), 124)
    assert parse_resident_id(male).sex == "M"  # type: ignore[union-attr]
    assert parse_resident_id(female).sex == "F"  # type: ignore[union-attr]
    with pytest.raises(ValueError):
        make_resident_id("2224", datetime.date(1935, 3, 7), 1)


def test_record_takes_birth_date_and_sex_from_its_resident_id() -> None:
    prepared = prepare_record(PersonRecord.from_typed("r1", "안", "재수", document_number=VALID))
    assert str(prepared.birth_date) == "1949-12-31"
    assert prepared.sex == "F"
    typed = prepare_record(
        PersonRecord.from_typed(
            "r2", "안", "재수", birth_date="1950", sex="M", document_number=VALID
        )
    )
    assert str(typed.birth_date) == "1950"  # the typed date wins
    # a typed sex against the card's: one is a slip, so the record's sex is unknown
    assert typed.sex is None
    agreeing = prepare_record(
        PersonRecord.from_typed("r3", "안", "재수", sex="F", document_number=VALID)
    )
    assert agreeing.sex == "F"


def test_a_wrong_check_character_is_told_for_many_numbers_at_once() -> None:
    from identity.engine.idnumber import failing_check_character

    valid = make_resident_id("110101", datetime.date(1958, 4, 12), 17)
    wrong_check = valid[:17] + ("0" if valid[17] != "0" else "1")
    numbers = [valid, wrong_check, valid[:16] + "9" + valid[17], "", "ABC", "１" * 18, "1" * 15]
    failing = failing_check_character(numbers).tolist()
    assert failing[:2] == [False, True]
    assert failing[3:] == [False] * 4  # too short, not digits: parse_resident_id decides
    for number, fails in zip(numbers, failing, strict=True):
        assert not (fails and parse_resident_id(number))
