"""A whole Latin name is split as registrars type it; both orders compared when unsure."""

from dataclasses import replace

import pytest

from identity.engine import PersonRecord, find_duplicates, prepare_record, score_pair
from identity.engine.blocking import blocking_keys
from identity.engine.names import order_latin_name
from identity.engine.scoring import MatchModel


@pytest.mark.parametrize(
    ("typed", "family", "given"),
    [
        ("BAK JINSAN", "BAK", "JINSAN"),  # known surname first
        ("Bak, Jinsan", "Bak", "Jinsan"),  # comma
        ("Jinsan BAK", "BAK", "Jinsan"),  # the word in capitals
        ("Jinsan Bak", "Bak", "Jinsan"),  # the known surname at the end
        ("Xuanlong Piao", "Piao", "Xuanlong"),
        # a one-letter surname looks the same in capitals and title case
        ("I JEONGMYEONG", "I", "JEONGMYEONG"),
        ("O YONGSU", "O", "YONGSU"),
        ("Yongsu O", "O", "Yongsu"),
    ],
)
def test_a_whole_latin_name_is_split(typed: str, family: str, given: str) -> None:
    assert order_latin_name(typed, "") == (family, given, False)


def test_fields_typed_into_each_other_are_put_back() -> None:
    assert order_latin_name("Jinsan", "Bak") == ("Bak", "Jinsan", False)


def test_the_other_scripts_surname_decides_an_ambiguous_order() -> None:
    assert order_latin_name("Jin Song", "", frozenset({"송"}))[:2] == ("Song", "Jin")
    assert order_latin_name("Chang Ho Lee", "")[2] is True  # both ends are surnames


def _record(record_id: str, family: str, given: str = "") -> PersonRecord:
    return PersonRecord.from_typed(record_id, family, given, sex="M", birth_date="1950-03-07")


def test_both_orders_score_alike() -> None:
    plain = prepare_record(_record("a", "Bak", "Jinsan"))
    for typed in ("BAK JINSAN", "Jinsan Bak", "Bak, Jinsan"):
        other = prepare_record(_record("b", typed))
        assert score_pair(plain, other).score == pytest.approx(score_pair(plain, plain).score)


def test_an_unsure_order_is_compared_both_ways_and_blocked_both_ways() -> None:
    unsure = prepare_record(_record("a", "Chang Ho Lee"))
    assert unsure.swapped_names is not None
    right = prepare_record(_record("b", "Lee", "Chang Ho"))
    result = score_pair(unsure, right)
    assert result.band != "non_match"
    assert any("other order" in note for note in result.notes)
    assert set(blocking_keys(unsure)) & set(blocking_keys(right))


def test_a_whole_name_of_three_words_is_also_read_with_the_surname_last() -> None:
    # "Yong Su Shin": given name typed as two words before the surname (신영수)
    typed = prepare_record(PersonRecord.from_typed("a", "Yong Su Shin", birth_date="1994-01"))
    hangul = prepare_record(PersonRecord.from_typed("b", "신영수", birth_date="1994-01-06"))
    assert typed.swapped_names is not None
    assert typed.swapped_names.family_latin == "shin"
    result = score_pair(typed, hangul)
    levels = {row.field: row.level for row in result.comparisons}
    assert levels["family_name"] == "exact"
    assert levels["given_name"] in ("exact", "phonetic")
    # a different person of that surname is not brought closer by the second reading
    other = prepare_record(PersonRecord.from_typed("c", "신미라", birth_date="1994-01-06"))
    other_levels = {row.field: row.level for row in score_pair(typed, other).comparisons}
    assert other_levels["given_name"] not in ("exact", "phonetic")


def test_two_unsure_orders_are_not_both_read_the_other_way() -> None:
    # "Yeo Seong" twice: read both ways round it aligns the same fields as written, and
    # would only trade 여's weight for the rarer-looking 성's
    first = prepare_record(PersonRecord.from_typed("a", "Yeo Seong", birth_date="1947-07-29"))
    second = prepare_record(PersonRecord.from_typed("b", "Yeo Seong", birth_date="1947-07-29"))
    assert first.swapped_names is not None and second.swapped_names is not None
    result = score_pair(first, second)
    assert not any("other order" in note for note in result.notes)
    as_written = score_pair(replace(first, swapped_names=None), replace(second, swapped_names=None))
    assert result.score == pytest.approx(as_written.score)
    batch = find_duplicates([first, second], model=MatchModel(review_threshold=0.0))
    assert [round(pair.score, 6) for pair in batch.pairs] == [round(result.score, 6)]
