"""Dates as people give them, and sex as a veto on automatic links (issue 17, item 4)."""

import pytest

from identity.engine import (
    AUTO_LINK,
    NON_MATCH,
    REVIEW,
    BirthDate,
    PersonRecord,
    prepare_record,
    score_pair,
)
from identity.engine.blocking import blocking_keys
from identity.engine.dates import compare_birth_dates


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


@pytest.mark.parametrize(
    ("left", "right", "level"),
    [
        ("1978-10-12", "1987-10-21", "two_slips"),  # each typing transposed two digits
        ("1937-11-26", "1938-10-26", "two_slips"),  # a year and a month one key off
        ("1987-01-12", "1978-10-12", "two_slips"),
        # in one year, a third of all pairs of dates are two slips apart
        ("1932-10-20", "1932-11-21", "different"),
        ("1987-12-20", "1987-12-01", "different"),
        ("1953-03-07", "1961-11-20", "different"),
        ("1962-01-28", "1962-03-01", "different"),
        ("1982-06", "1928-06-15", "year_transposed"),
        ("1962", "1926-12-07", "year_transposed"),
        ("1984?", "1948-07-02", "year_transposed"),
        ("1982-05", "1928-06-15", "different"),  # the months disagree
        ("1962", "1936-12-07", "different"),
    ],
)
def test_dates_a_slip_on_each_side_apart_are_graded(left: str, right: str, level: str) -> None:
    assert compare_birth_dates(BirthDate.parse(left), BirthDate.parse(right)).level == level
    assert compare_birth_dates(BirthDate.parse(right), BirthDate.parse(left)).level == level


def test_one_person_typed_with_a_slip_each_time_reaches_a_reviewer() -> None:
    """Each registration carries its own slip, so the two dates are two slips apart; a
    date that contradicts the other leaves the pair below the review band."""

    def kim(record_id: str, birth: str) -> PersonRecord:
        return PersonRecord.from_typed(record_id, "김", "석영", sex="M", birth_date=birth)

    first = prepare_record(kim("a", "1978-10-12"))
    assert score_pair(first, prepare_record(kim("b", "1987-10-21"))).band == REVIEW
    assert score_pair(first, prepare_record(kim("c", "1961-03-25"))).band == NON_MATCH


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


def test_the_batch_counts_slips_as_the_pair_comparison_does() -> None:
    """The batch tells two slips from packed digits with bit operations; on random digit
    strings and their mutations (transpositions and mistyped digits, one to three) it
    agrees with dates.two_slips on every one."""
    import random

    import numpy as np

    from identity.engine.column_dates import packed_date_digits, two_slips_of
    from identity.engine.dates import two_slips

    rng = random.Random(3)

    def mutated(text: str) -> str:
        digits = list(text)
        for _ in range(rng.randint(1, 3)):
            if rng.random() < 0.5:
                k = rng.randrange(7)
                digits[k], digits[k + 1] = digits[k + 1], digits[k]
            else:
                digits[rng.randrange(8)] = str(rng.randrange(10))
        return "".join(digits)

    lefts = ["".join(str(rng.randrange(10)) for _ in range(8)) for _ in range(20_000)]
    rights = [mutated(text) for text in lefts]

    def packed(texts: list[str]) -> np.ndarray:
        numbers = np.array([int(text) for text in texts], dtype=np.int64)
        return packed_date_digits(numbers // 10_000, numbers // 100 % 100, numbers % 100)

    expected = [two_slips(a, b) for a, b in zip(lefts, rights, strict=True)]
    assert 0.2 < sum(expected) / len(expected) < 0.9  # both answers are well represented
    assert two_slips_of(packed(lefts), packed(rights)).tolist() == expected
