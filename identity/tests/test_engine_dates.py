"""Dates as people give them, and sex as a veto on automatic links (issue 17, item 4)."""

import pytest

from identity.engine import AUTO_LINK, REVIEW, BirthDate, PersonRecord, prepare_record, score_pair
from identity.engine.blocking import blocking_keys
from identity.engine.compare import compare_birth_dates


@pytest.mark.parametrize(
    "typed", ["1953?", "约1953年", "c. 1953", "ca 1953", "about 1953", "대략 1953년"]
)
def test_an_approximate_year_is_read(typed: str) -> None:
    assert BirthDate.parse(typed) == BirthDate(1953, approximate=True)


def test_year_only_and_cjk_dates() -> None:
    assert BirthDate.parse("1953年") == BirthDate(1953)
    assert BirthDate.parse("1953年3月7日") == BirthDate(1953, 3, 7)


def test_approximate_years_two_apart_are_near() -> None:
    level = compare_birth_dates(BirthDate(1951, approximate=True), BirthDate(1953, 3, 7)).level
    assert level == "approximate_near"


@pytest.mark.parametrize(
    ("left", "right"), [("1953-07-13", "1953-07-31"), ("1953-07-13", "1953-07-18")]
)
def test_digit_typos_are_graded_not_different(left: str, right: str) -> None:
    level = compare_birth_dates(BirthDate.parse(left), BirthDate.parse(right)).level
    assert level == "digit_typo"


def _record(record_id: str, birth: str, sex: str = "M", document: str = "") -> PersonRecord:
    return PersonRecord.from_typed(record_id, "연", "재수", sex=sex, birth_date=birth,
                                   attributes={"place": "延吉"}, document_number=document)  # fmt: skip


def test_a_year_given_as_approximate_counts_for_more_than_one_typed_as_known() -> None:
    """ "About 1951" beside 1953-03-07 is how people remember; 1951 typed as known beside
    it is as often a namesake born two years earlier."""
    exact = prepare_record(_record("b", "1953-03-07"))
    remembered = score_pair(prepare_record(_record("a", "1951?")), exact)
    typed = score_pair(prepare_record(_record("a", "1951")), exact)
    levels = {row.field: row.level for row in remembered.comparisons}
    assert levels["birth_date"] == "approximate_near"
    assert {row.field: row.level for row in typed.comparisons}["birth_date"] == "year_near"
    assert remembered.score > typed.score + 2


def test_approximate_and_exact_dates_two_years_apart_share_a_block() -> None:
    approximate = prepare_record(_record("a", "1951?"))
    exact = prepare_record(_record("b", "1953-03-07"))
    shared = {
        key.split(":")[0] for key in set(blocking_keys(approximate)) & set(blocking_keys(exact))
    }
    assert shared & {"ny0", "ny1"}


def test_different_sexes_never_link_automatically() -> None:
    same = score_pair(
        prepare_record(_record("a", "1953-03-07")), prepare_record(_record("b", "1953-03-07"))
    )
    assert same.band == AUTO_LINK
    other = score_pair(
        prepare_record(_record("a", "1953-03-07")), prepare_record(_record("b", "1953-03-07", "F"))
    )
    assert other.band == REVIEW


def _carded(record_id: str, birth: str, card_date: str) -> PersonRecord:
    from identity.engine.idnumber import make_resident_id

    card = make_resident_id("222401", BirthDate.parse(card_date).as_date(), 11)  # type: ignore[arg-type]
    return _record(record_id, birth, document=card)


@pytest.mark.parametrize("typed", ["1953", "1953-03", "约1952年"])
def test_a_remembered_year_takes_the_full_date_of_a_valid_card(typed: str) -> None:
    carded = prepare_record(_carded("a", typed, "1953-03-07"))
    assert carded.birth_date == BirthDate(1953, 3, 7)
    exact = prepare_record(_record("b", "1953-03-07"))
    assert compare_birth_dates(carded.birth_date, exact.birth_date).level == "exact"


@pytest.mark.parametrize("typed", ["1960", "1953-04", "1953-03-08"])
def test_a_card_that_disagrees_with_the_typed_date_leaves_it_as_typed(typed: str) -> None:
    assert prepare_record(_carded("a", typed, "1953-03-07")).birth_date == BirthDate.parse(typed)
