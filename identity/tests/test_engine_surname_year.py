"""The surname-sex-year key family (`sy`): one person whose given name is written so
differently in two scripts that no key of it agrees, and whose date is known only in part,
is still compared, in the batch and in the live check."""

from __future__ import annotations

from identity.engine.blocking import LOOSE_FAMILIES, blocking_keys, key_family
from identity.engine.dedup import find_duplicates
from identity.engine.index import MatchIndex
from identity.engine.pairs import candidate_pairs
from identity.engine.records import BirthDate, PersonRecord, PreparedRecord, prepare_record
from identity.engine.scoring import AUTO_LINK, REVIEW, MatchModel


def hangul_with_year_and_month() -> PreparedRecord:
    return prepare_record(
        PersonRecord(
            "hangul",
            family_hangul="정",
            given_hangul="희영",
            sex="F",
            birth_date=BirthDate(1954, 9),
            attributes={"birth_place": "桦甸市"},
        )
    )


def romanised_informally(record_id: str = "latin", sex: str = "F") -> PreparedRecord:
    # the name typed in the wrong boxes, 희 spelt "Hooi": no given-name key agrees
    return prepare_record(
        PersonRecord(
            record_id,
            family_latin="Hooi Yeong",
            given_latin="Jeong",
            sex=sex,
            birth_date=BirthDate(1954, 9, 18),
            attributes={"birth_place": "桦甸市"},
        )
    )


def shared_families(left: PreparedRecord, right: PreparedRecord) -> set[str]:
    return {key_family(key) for key in set(blocking_keys(left)) & set(blocking_keys(right))}


def test_a_surname_sex_and_year_are_all_the_two_records_share() -> None:
    shared = shared_families(hangul_with_year_and_month(), romanised_informally())
    assert shared == {"sy"}
    assert "sy" in LOOSE_FAMILIES  # a large registry compares only small blocks of it


def test_the_batch_asks_a_reviewer_about_them() -> None:
    result = find_duplicates([hangul_with_year_and_month(), romanised_informally()])
    assert [(pair.left_id, pair.right_id, pair.band) for pair in result.pairs] == [
        ("hangul", "latin", REVIEW)
    ]


def test_the_live_check_offers_the_earlier_record() -> None:
    index = MatchIndex(MatchModel())
    index.add(hangul_with_year_and_month())
    results = index.check(romanised_informally(), limit=5)
    assert [result.right_id for result in results] == ["hangul"]
    assert results[0].band in (REVIEW, AUTO_LINK)


def test_records_of_two_sexes_do_not_meet_through_it() -> None:
    man = romanised_informally("man", sex="M")
    assert "sy" not in shared_families(hangul_with_year_and_month(), man)
    pairs, _ = candidate_pairs([hangul_with_year_and_month(), man])
    assert len(pairs) == 0


def test_a_record_without_a_sex_meets_both() -> None:
    unknown = prepare_record(
        PersonRecord(
            "unknown", family_latin="Jeong", given_latin="Hooi Yeong", birth_date=BirthDate(1954)
        )
    )
    assert "sy" in shared_families(hangul_with_year_and_month(), unknown)
    assert "sy" in shared_families(romanised_informally("man", sex="M"), unknown)
