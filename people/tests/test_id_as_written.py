"""An ID that does not check out is evidence, not a refusal (issue 17, item 6)."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from identity.engine import PersonRecord, make_resident_id, prepare_record
from identity.engine.compare import compare_documents
from people.models import DatePrecision
from people.validation import PersonInput, validate_person

VALID = make_resident_id("222401", dt.date(1950, 3, 7), 11)
MISREAD = VALID[:10] + str((int(VALID[10]) + 1) % 10) + VALID[11:]  # one digit misread


def _person(number: str, as_written: bool = False) -> PersonInput:
    return PersonInput(
        family_name_hangul="김",
        given_name_hangul="영철",
        sex="M",
        birth_date=dt.date(1950, 3, 7),
        birth_date_precision=DatePrecision.DAY,
        document_number=number,
        document_as_written=as_written,
    )


def test_a_number_that_does_not_check_out_is_refused_with_the_way_to_keep_it() -> None:
    with pytest.raises(ValidationError) as refusal:
        validate_person(_person(MISREAD), today=dt.date(2026, 1, 1))
    errors = refusal.value.message_dict
    assert "document_number" in errors
    assert "As written on the card" in " ".join(errors["document_as_written"])


def test_kept_as_written_it_is_stored_flagged() -> None:
    cleaned = validate_person(_person(MISREAD, as_written=True), today=dt.date(2026, 1, 1))
    assert cleaned.document_number == MISREAD
    assert cleaned.document_as_written is True


def test_a_valid_number_is_never_flagged() -> None:
    cleaned = validate_person(_person(VALID, as_written=True), today=dt.date(2026, 1, 1))
    assert cleaned.document_as_written is False


def test_the_files_check_compares_it_as_a_near_match() -> None:
    card = prepare_record(PersonRecord.from_typed("a", "김영철", document_number=VALID))
    misread = prepare_record(PersonRecord.from_typed("b", "김영철", document_number=MISREAD))
    assert compare_documents(card, misread).level == "typo"
