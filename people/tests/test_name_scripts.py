"""A name given in the field of another script is kept in its own: a register's 성 and 이름
columns hold "An" and "Zaixiu" on some rows, and a form's Hangul box gets 安 pasted in."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from people.models import DatePrecision
from people.validation import PersonInput, script_of, validate_person

TODAY = dt.date(2026, 1, 1)


def person(**names: str) -> PersonInput:
    return PersonInput(
        sex="M", birth_date=dt.date(1931, 5, 4), birth_date_precision=DatePrecision.DAY, **names
    )


def test_each_script_is_told() -> None:
    assert [script_of(text) for text in ("안", "安", "An", "Chŏng", "安재수", "", "-")] == [
        "hangul",
        "hanzi",
        "latin",
        "latin",
        "",
        "",
        "",
    ]


def test_latin_and_hanzi_in_the_hangul_fields_go_to_their_own() -> None:
    cleaned = validate_person(person(family_name_hangul="An", given_name_hangul="在秀"), TODAY)
    assert (cleaned.family_name_latin, cleaned.given_name_hanzi) == ("An", "在秀")
    assert (cleaned.family_name_hangul, cleaned.given_name_hangul) == ("", "")


def test_hangul_typed_in_the_latin_field_goes_to_the_hangul_one() -> None:
    cleaned = validate_person(person(family_name_latin="안", given_name_latin="재수"), TODAY)
    assert (cleaned.family_name_hangul, cleaned.given_name_hangul) == ("안", "재수")
    assert (cleaned.family_name_latin, cleaned.given_name_latin) == ("", "")


def test_a_name_that_would_overwrite_another_is_refused() -> None:
    with pytest.raises(ValidationError) as refusal:
        validate_person(person(family_name_hangul="An", family_name_latin="Ahn"), TODAY)
    assert "“Ahn” is already given" in " ".join(refusal.value.message_dict["family_name_hangul"])


def test_a_name_mixing_scripts_stays_where_it_was_typed() -> None:
    cleaned = validate_person(person(family_name_hangul="안", given_name_hangul="在수"), TODAY)
    assert cleaned.given_name_hangul == "在수"
