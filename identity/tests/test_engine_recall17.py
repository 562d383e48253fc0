"""Issue 17's recall work: true pairs the blocking never compared (a year typed with two
digits transposed, a document number misread in one digit), given names in characters
that are alike but two names, and a threshold bound that counts wrong links by pair of
persons."""

from __future__ import annotations

import numpy as np
import pytest

from identity.engine import find_duplicates
from identity.engine.blocking import blocking_keys, document_part_keys, transposed_year_key
from identity.engine.compare import compare_given_names
from identity.engine.estimate import choose_thresholds, person_pairs_of
from identity.engine.name_orders import best_reading, reading_pairs, with_other_readings
from identity.engine.names import order_latin_name
from identity.engine.records import PersonRecord, PreparedRecord, prepare_record
from identity.engine.scoring import REVIEW, MatchModel, score_pair
from identity.engine.table import table_of_records

LOW = MatchModel(auto_link_threshold=8.0, review_threshold=2.0, common_surname_share=1.0)


def person(record_id: str, family: str, given: str = "", **fields: object) -> PreparedRecord:
    return prepare_record(PersonRecord.from_typed(record_id, family, given, **fields))  # type: ignore[arg-type]


def shared_families(left: PreparedRecord, right: PreparedRecord) -> set[str]:
    shared = set(blocking_keys(left)) & set(blocking_keys(right))
    return {key.split(":", 1)[0] for key in shared}


def test_a_year_typed_with_its_last_two_digits_transposed_is_still_compared() -> None:
    assert transposed_year_key(1952) == transposed_year_key(1925) == 1925
    assert transposed_year_key(1953) != transposed_year_key(1925)
    typed = person("a", "한", "수홍", birth_date="1952-01-09", sex="M")
    slip = person("b", "Su Hong Han", birth_date="1925-01", sex="M")
    # the name alone ("n") pairs only records without a date: nt is the one key
    assert shared_families(typed, slip) - {"n"} == {"nt"}
    pairs = find_duplicates([typed, slip], model=LOW).pairs
    assert [(pair.left_id, pair.right_id) for pair in pairs] == [("a", "b")]


def test_a_document_number_misread_in_one_digit_is_still_compared() -> None:
    number = "22240119520109123X"
    keys = document_part_keys(number)
    assert len(keys) == 4
    for position in range(len(number)):
        misread = number[:position] + ("7" if number[position] != "7" else "8")
        misread += number[position + 1 :]
        assert set(document_part_keys(misread)) & set(keys), position
    # a county and a birth month alone are no key: thousands share them at a million
    assert all(not key.endswith("|222401195201|") for key in keys)
    assert document_part_keys("12345") == []
    card = person("a", "Lin", "Dongji", birth_date="1972-11-12", document_number=number)
    other = person("b", "림", "동길", birth_date="1931-02-03", document_number=number[:-2] + "93")
    assert "dm3" in shared_families(card, other)


def test_given_names_in_characters_that_only_sound_alike_are_not_a_phonetic_agreement() -> None:
    # 혜영 and 혜용 share the phonetic key hyeyonk: siblings, not one name misspelt
    sister, brother = person("a", "高", "惠英"), person("b", "고", "혜용")
    assert compare_given_names(sister, brother).level not in ("exact", "phonetic", "reading")
    # written once in Hanzi and once in Hangul, one name still agrees exactly
    assert compare_given_names(sister, person("c", "고", "혜영")).level == "exact"
    # and a romanisation is still compared by its phonetic key
    assert compare_given_names(brother, person("d", "Ko", "Hye-yong")).level == "phonetic"


def test_twins_whose_names_in_characters_are_alike_go_to_review_in_batch_and_live() -> None:
    fields = {"birth_date": "1932-07-24", "sex": "M", "attributes": {"place": "@222405"}}
    older, younger = person("a", "윤", "명길", **fields), person("b", "윤", "명정", **fields)
    assert compare_given_names(older, younger).level in ("close", "similar")
    live = score_pair(older, younger, LOW)
    assert live.score >= LOW.auto_link_threshold
    assert live.band == REVIEW
    assert [pair.band for pair in find_duplicates([older, younger], model=LOW).pairs] == [REVIEW]


def test_wrong_links_between_the_same_two_persons_count_as_one_mistake() -> None:
    records = {name: person(name, "김", "철수") for name in "abcdefg"}
    # a, b, c are one person (labelled so), d, e, f another; g a third
    labelled = [
        (records["a"], records["b"], True),
        (records["b"], records["c"], True),
        (records["d"], records["e"], True),
        (records["e"], records["f"], True),
        (records["a"], records["d"], False),
        (records["c"], records["f"], False),
        (records["a"], records["g"], False),
    ]
    persons = person_pairs_of(labelled)
    assert persons[0] == persons[1]  # a-b and b-c: within one person
    assert persons[4] == persons[5] != persons[6]  # a-d and c-f: the same two persons
    # 400 true links and nine wrong ones just below them: independent, the 95% bound
    # passes 0.99 below the wrong links; nine pairs of one pair of twins are one mistake
    # and a sample of a ninth the size, so the threshold stays above them
    scored = [(100.0 - n / 100, True) for n in range(400)] + [(50.0, False)] * 9
    scored += [(40.0 - n / 100, True) for n in range(2000)]
    independent, _ = choose_thresholds(
        scored, target_auto_precision=0.99, target_review_recall=0.5, confidence_z=1.645
    )
    clustered, _ = choose_thresholds(
        scored,
        target_auto_precision=0.99,
        target_review_recall=0.5,
        confidence_z=1.645,
        person_pairs=list(range(400)) + [(-1, -2)] * 9 + list(range(1000, 3000)),
    )
    assert independent < 50.0 < clustered


def test_two_fields_that_are_both_surnames_have_an_unsure_order() -> None:
    assert order_latin_name("Jun", "Gim") == ("Jun", "Gim", True)
    assert order_latin_name("Hong", "Yeo") == ("Hong", "Yeo", True)
    # a given name that is no surname, or the other script's surname, settles it
    assert order_latin_name("Kim", "Chulsu") == ("Kim", "Chulsu", False)
    assert order_latin_name("Kim", "Hyon", frozenset({"김"})) == ("Kim", "Hyon", False)


def test_the_batch_scores_an_unsure_order_both_ways_column_wise_as_the_live_check() -> None:
    swapped = person("a", "Ming", "Li", birth_date="1926-03-22", sex="F")
    hangul = person("b", "이", "명", birth_date="1926-03-22", sex="F")
    typed = person("c", "Li", "Minghua", birth_date="1926-03-22", sex="F")
    plain = person("d", "Kim", "Chulsu", birth_date="1926-03-22", sex="F")
    records = [swapped, hangul, typed, plain]
    extended, other_row = with_other_readings(table_of_records(records))
    assert other_row.tolist() == [4, -1, -1, -1]  # "Ming" / "Li" is unsure: one more row
    assert extended.record_at(4).names.family_latin == "li"
    # every combination of readings, the pair's own first
    rows, source = reading_pairs(np.array([[0, 1], [1, 2]]), other_row)
    assert rows.tolist() == [[0, 1], [4, 1], [1, 2]] and source.tolist() == [0, 0, 1]
    assert best_reading(source, np.array([3.0, 5.0, 1.0])).tolist() == [1, 2]
    assert best_reading(source, np.array([5.0, 5.0, 1.0])).tolist() == [0, 2]  # ties: first
    # no pair goes to score_pair for its order alone, and the bands are the live check's
    one_person = records[:3]  # all three blocked together (the fourth is not)
    result = find_duplicates(one_person, model=LOW, rescore_margin=0.0, join_through_links=False)
    assert result.stats["rescored_pairs"] == 0
    live = {
        (a.record_id, b.record_id): score_pair(a, b, LOW).band
        for n, a in enumerate(one_person)
        for b in one_person[n + 1 :]
    }
    assert {(p.left_id, p.right_id): p.band for p in result.pairs} == {
        pair: band for pair, band in live.items() if band != "non_match"
    }
    assert live[("a", "b")] != "non_match"


def test_twins_one_written_in_hangul_the_other_romanised_go_to_review() -> None:
    # the Latin name romanises characters too: not agreeing with the Hangul, it is
    # another name (twins share surname, birth date and birth place)
    fields = {"birth_date": "1948-08-16", "sex": "F", "attributes": {"place": "@230183"}}
    latin, hangul = person("a", "KI MUNYEONG", **fields), person("b", "기", "명학", **fields)
    assert score_pair(latin, hangul, LOW).band == REVIEW
    assert [pair.band for pair in find_duplicates([latin, hangul], model=LOW).pairs] == [REVIEW]


def test_two_written_given_names_that_only_read_alike_agree_on_the_reading_not_the_name() -> None:
    # 石 and 锡 are both 석 in Korean: two names, though the Hangul is one
    stone = person("a", "金", "石石", birth_date="1948-06-24", sex="M")
    tin = person("b", "金", "石锡", birth_date="1948-06-24", sex="M")
    assert compare_given_names(stone, tin).level == "reading"
    # one name in traditional and simplified characters is one name
    assert (
        compare_given_names(person("c", "劉", "鎮正"), person("d", "刘", "镇正")).level == "exact"
    )
    # the batch gives the pair the live check's score
    (pair,) = find_duplicates([stone, tin], model=LOW).pairs
    assert pair.score == score_pair(stone, tin, LOW).score


def test_a_mccune_reischauer_breve_tells_hye_yong_from_hye_yong() -> None:
    # siblings 高惠英 (혜영) and 高惠容 (혜용): "Hye-yŏng" marks ㅓ, so it is 혜영's name
    breve = person("a", "Ko", "Hye-yŏng", birth_date="1942", sex="M")
    hyeyong = person("b", "高", "惠容", birth_date="1942", sex="M")
    hyeyeong = person("c", "高", "惠英", birth_date="1942", sex="M")
    assert compare_given_names(breve, hyeyong).level == "close"
    assert compare_given_names(breve, hyeyeong).level in ("exact", "phonetic", "reading")
    # the same breve typed as a combining mark, and ŭ (ㅡ) in the same way
    combining = person("d", "Ko", "Hye-yo\u0306ng")
    assert compare_given_names(combining, hyeyong).level == "close"
    assert compare_given_names(person("e", "Kim", "Ŭn-suk"), person("f", "김", "은숙")).level in (
        "exact",
        "phonetic",
    )
    assert compare_given_names(person("g", "Kim", "Ŭn-suk"), person("h", "김", "운숙")).level == (
        "close"
    )


def test_without_a_breve_or_beside_its_own_hangul_the_spelling_decides_nothing() -> None:
    plain = person("a", "Ko", "Hye-yong")  # a plain o may be ㅓ as well as ㅗ
    assert compare_given_names(plain, person("b", "고", "혜영")).level != "close"
    # the registrar's own Hangul beside the romanisation says which name it is
    both = prepare_record(
        PersonRecord("c", family_hangul="고", given_hangul="혜영", given_latin="Hye-yŏng")
    )
    assert compare_given_names(both, person("d", "고", "혜영")).level == "exact"


def test_the_batch_compares_a_name_with_a_breve_as_the_live_check_does() -> None:
    # both sides share the pinyin-like form "hyeyong": the batch's shortcut would call it
    # exact
    breve = person("a", "Ko", "Hye-yŏng", birth_date="1942-09-21", sex="M")
    written = prepare_record(
        PersonRecord(
            "b",
            family_hangul="고",
            given_hangul="혜용",
            family_latin="Ko",
            given_latin="Hye-yong",
            sex="M",
            birth_date=breve.birth_date,
        )
    )
    (pair,) = find_duplicates([breve, written], model=LOW).pairs
    assert pair.score == pytest.approx(score_pair(breve, written, LOW).score, abs=1e-9)
    assert (
        pair.score
        < score_pair(
            breve, person("c", "Ko", "Hye-yŏng", birth_date="1942-09-21", sex="M"), LOW
        ).score
    )
