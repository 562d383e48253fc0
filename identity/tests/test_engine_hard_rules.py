"""Rules that keep hard negatives (twins, look-alike surnames) out of automatic links while
the same person written the same way still links."""

from __future__ import annotations

import datetime

from identity.engine import find_duplicates
from identity.engine.idnumber import make_resident_id
from identity.engine.records import PersonRecord, PreparedRecord, prepare_record
from identity.engine.scoring import AUTO_LINK, REVIEW, MatchModel, score_pair

# low thresholds and no common-surname rule (as a station's labels may fit it): the rule
# under test, not the score, must decide these pairs
LOW = MatchModel(auto_link_threshold=8.0, review_threshold=2.0, common_surname_share=1.0)


def person(record_id: str, family: str, given: str = "", **fields: object) -> PreparedRecord:
    return prepare_record(PersonRecord.from_typed(record_id, family, given, **fields))  # type: ignore[arg-type]


def twin(record_id: str, name: str, document: str = "") -> PreparedRecord:
    return person(
        record_id,
        name,
        birth_date="1978-09-23",
        sex="M",
        document_number=document,
        attributes={"place": "@222426"},
    )


def test_twins_with_different_given_names_go_to_review_in_batch_and_live_check() -> None:
    older, younger = twin("a", "현병무"), twin("b", "玄石亨")
    live = score_pair(older, younger, LOW)
    assert live.score >= LOW.auto_link_threshold
    assert live.band == REVIEW
    assert "given names differ" in live.notes[0]
    batch = find_duplicates([older, younger], model=LOW)
    assert [pair.band for pair in batch.pairs] == [REVIEW]


def test_different_given_names_with_a_nearly_agreeing_document_still_link() -> None:
    # the same card typed twice, one digit misread, and a given name typed unrecognisably
    first = twin("a", "현병무", document="X1234567")
    second = twin("b", "玄石亨", document="X1234568")
    assert score_pair(first, second, LOW).band == AUTO_LINK
    assert [pair.band for pair in find_duplicates([first, second], model=LOW).pairs] == [AUTO_LINK]


def test_a_hanzi_surname_tells_which_surname_its_hangul_reading_is() -> None:
    # 여 is the Southern reading of both 余 and 呂 (North 려); beside 余 it is 余 alone
    assert person("a", "余愛").names.surname_keys == ("여",)
    assert person("b", "여애").names.surname_keys == ("려", "여")
    both_scripts = prepare_record(
        PersonRecord(
            "c", family_hanzi="余", given_hanzi="愛", family_hangul="여", given_hangul="애"
        )
    )
    assert both_scripts.names.surname_keys == ("여",)
    ryo = person("d", "Ryo", "Ae", birth_date="1934-01-20", sex="F")
    family = {row.field: row.level for row in score_pair(ryo, both_scripts).comparisons}
    assert family["family_name"] != "exact"
    family = {row.field: row.level for row in score_pair(ryo, person("e", "여애")).comparisons}
    assert family["family_name"] == "exact"


def test_a_look_alike_surname_with_only_the_birth_year_goes_to_review() -> None:
    # "Cheng" is 成 (성) or 程 (정): with only the year agreeing, two people may be two
    year_only = person("a", "Cheng", "Guangren", birth_date="1951", sex="M")
    full_date = person("b", "Cheng", "Guangren", birth_date="1951-05-25", sex="M")
    live = score_pair(year_only, full_date, LOW)
    assert live.score >= LOW.auto_link_threshold
    assert live.band == REVIEW
    assert "more than one surname" in live.notes[0]
    batch = find_duplicates([year_only, full_date], model=LOW)
    assert [pair.band for pair in batch.pairs] == [REVIEW]


def test_the_same_surname_pinned_by_its_hanzi_or_a_full_date_still_links() -> None:
    hanzi = person("a", "程光仁", birth_date="1951", sex="M")
    full_date = person("b", "程光仁", birth_date="1951-05-25", sex="M")
    assert score_pair(hanzi, full_date, LOW).band == AUTO_LINK
    # Kim is 金 alone
    kim = person("c", "Kim", "Yongsu", birth_date="1951", sex="M")
    hangul = person("d", "김영수", birth_date="1951-05-25", sex="M")
    assert score_pair(kim, hangul, LOW).band == AUTO_LINK
    # both full dates: the look-alike surname is not alone with the year
    cheng = person("e", "Cheng", "Guangren", birth_date="1951-05-25", sex="M")
    cheng_again = person("f", "Cheng", "Guangren", birth_date="1951-05-25", sex="M")
    assert [p.band for p in find_duplicates([cheng, cheng_again], model=LOW).pairs] == [AUTO_LINK]
    # the place of origin agreeing tells them apart from a namesake
    placed = person(
        "g", "Cheng", "Guangren", birth_date="1951", sex="M", attributes={"place": "@222402"}
    )
    placed_too = person(
        "h", "Cheng", "Guangren", birth_date="1951-05-25", sex="M", attributes={"place": "@222402"}
    )
    assert score_pair(placed, placed_too, LOW).band == AUTO_LINK


def test_liu_and_liu_are_two_surnames_but_traditional_and_simplified_are_one() -> None:
    willow = person("a", "柳植麗", birth_date="1939-03-28", sex="F")
    levels = {row.field: row.level for row in score_pair(willow, person("b", "劉植麗")).comparisons}
    assert levels["family_name"] == "similar"  # both liu and 류, two surnames
    levels = {
        row.field: row.level
        for row in score_pair(person("c", "劉植麗"), person("d", "刘植丽")).comparisons
    }
    assert levels["family_name"] == "exact"
    levels = {
        row.field: row.level
        for row in score_pair(person("e", "曺永"), person("f", "曹永")).comparisons
    }
    assert levels["family_name"] == "exact"  # the Korean form of 曹
    # and a Hangul 류 may be either: with only the year it is not linked automatically
    hangul = person("g", "류식려", birth_date="1939", sex="F")
    assert score_pair(hangul, willow, LOW).band == REVIEW


def test_a_sex_typed_against_the_records_own_valid_id_does_not_block_the_link() -> None:
    card = make_resident_id("220282", datetime.date(1943, 5, 19), 435)  # odd: male
    slip = person("a", "I", "Boksu", birth_date="1943-05-19", sex="F", document_number=card)
    assert slip.sex is None  # typed F, the card says M: unknown
    again = person("b", "Rhee", "Bok Soo", birth_date="1943-05-19", sex="M", document_number=card)
    assert score_pair(slip, again).band == AUTO_LINK
    # two records that each agree with their own card and differ still never auto-link
    sister = person("c", "Rhee", "Bok Soo", birth_date="1943-05-19", sex="F")
    assert sister.sex == "F"
    assert score_pair(again, sister, LOW).band == REVIEW


def test_latin_given_names_that_differ_may_be_a_nickname_and_still_link() -> None:
    # FEBRL-like records: a Latin given name may be a nickname or badly typed, not a twin's
    first = person("a", "Mcdonald", "William", birth_date="1961-04-02", attributes={"place": "x"})
    second = person("b", "Mcdonald", "Bill", birth_date="1961-04-02", attributes={"place": "x"})
    result = score_pair(first, second, LOW)
    given = next(row for row in result.comparisons if row.field == "given_name")
    assert given.level == "different"
    assert result.band == AUTO_LINK
    assert [pair.band for pair in find_duplicates([first, second], model=LOW).pairs] == [AUTO_LINK]


def test_a_look_alike_surname_whose_birth_places_differ_needs_an_exact_date() -> None:
    # 강 is 姜 or 康: the Hanzi-confusable namesake shares reading, given name and a near
    # date, and the birth place is the one field left; when it names another county, a
    # date short of exact does not link automatically
    hangul = person("a", "강석홍", birth_date="1934-11", sex="M", attributes={"place": "@220623"})
    hanzi = person("b", "姜石洪", birth_date="1934-11-07", sex="M", attributes={"place": "@231084"})
    live = score_pair(hangul, hanzi, LOW)
    assert live.score >= LOW.auto_link_threshold
    assert live.band == REVIEW
    assert "birth places differ" in live.notes[0]
    assert [p.band for p in find_duplicates([hangul, hanzi], model=LOW).pairs] == [REVIEW]
    # the full date agreeing, or the same place, still links
    dated = person("c", "강석홍", birth_date="1934-11-07", sex="M", attributes={"place": "@220623"})
    assert score_pair(dated, hanzi, LOW).band == AUTO_LINK
    assert [p.band for p in find_duplicates([dated, hanzi], model=LOW).pairs] == [AUTO_LINK]
    placed = person("d", "강석홍", birth_date="1934-11", sex="M", attributes={"place": "@231084"})
    assert score_pair(placed, hanzi, LOW).band == AUTO_LINK


def test_the_pinyin_of_another_surname_of_the_same_reading_is_not_the_same_surname() -> None:
    # 鄭 (zheng) and 丁 (ding) are both 정: "Ding" was written from 丁, never from 鄭
    zheng = person("a", "鄭明桂", birth_date="1990-08-14", sex="F")
    ding = person("b", "Ding", "Minggui", birth_date="1990-08-17", sex="F")
    levels = {row.field: row.level for row in score_pair(zheng, ding).comparisons}
    assert levels["family_name"] == "similar"
    live = score_pair(zheng, ding, LOW)
    batch = find_duplicates([zheng, ding], model=LOW)
    assert [p.band for p in batch.pairs] == [live.band]
    assert [round(p.score, 6) for p in batch.pairs] == [round(live.score, 6)]
    # its own pinyin, or a Korean spelling that stands for both 姜 and 康, is still exact
    again = person("c", "Zheng", "Minggui", birth_date="1990-08-14", sex="F")
    assert {r.field: r.level for r in score_pair(zheng, again).comparisons}["family_name"] == (
        "exact"
    )
    kang = person("d", "Kang", "Hyonsan", birth_date="1979-12-01", sex="F")
    ginger = person("e", "姜鉉山", birth_date="1979-12-01", sex="F")
    assert {r.field: r.level for r in score_pair(kang, ginger).comparisons}["family_name"] == (
        "exact"
    )


def test_romanised_twins_alike_names_and_one_birth_date_go_to_review() -> None:
    # Seokmun and Seokyung: twins' names share the generation syllable in any script
    older = person("a", "Gim", "Seokmun", birth_date="1949-10-11", sex="F")
    younger = person("b", "Kim", "Seokyung", birth_date="1949-10-11", sex="F")
    live = score_pair(older, younger, LOW)
    given = next(row for row in live.comparisons if row.field == "given_name")
    assert given.level in ("close", "similar")
    assert live.band == REVIEW
    assert "romanised given names" in live.notes[0]
    assert [p.band for p in find_duplicates([older, younger], model=LOW).pairs] == [REVIEW]
    # a Western name typed a little differently is a slip, not a twin: the score decides
    first = person("c", "Mcdonald", "Jonathan", birth_date="1961-04-02", sex="M")
    second = person("d", "Mcdonald", "Jonathon", birth_date="1961-04-02", sex="M")
    assert score_pair(first, second, LOW).band == AUTO_LINK
    assert [p.band for p in find_duplicates([first, second], model=LOW).pairs] == [AUTO_LINK]
    # "John" only sounds like 전: not a surname of the table, so not a romanised twin
    john = person("e", "John", "Banelis", birth_date="1961-04-02", sex="M")
    typed = person("f", "John", "Banelcs", birth_date="1961-04-02", sex="M")
    family = next(row for row in score_pair(john, typed).comparisons if row.field == "family_name")
    assert family.level == "exact"
    assert score_pair(john, typed, LOW).band == AUTO_LINK
    assert [p.band for p in find_duplicates([john, typed], model=LOW).pairs] == [AUTO_LINK]
