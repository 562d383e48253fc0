"""A cluster the automatic links make of two people is sent to review whole: two
namesakes whose surnames read alike in Hangul (柳 and 劉 are both 유/류) are each
linked to the record written only in Hangul."""

import datetime as dt
from functools import partial

from identity.engine import (
    AUTO_LINK,
    REVIEW,
    MatchModel,
    PersonRecord,
    find_duplicates,
    prepare_record,
    score_pair,
)
from identity.engine.idnumber import make_resident_id
from identity.engine.records import PreparedRecord

ID = partial(make_resident_id, "222401")


def _record(record_id: str, family: str, given: str, born: str, **typed: str) -> PreparedRecord:
    return prepare_record(
        PersonRecord.from_typed(record_id, family, given, birth_date=born, sex="M", **typed)
    )


def _bands(records: list[PreparedRecord]) -> dict[tuple[str, str], str]:
    pairs = find_duplicates(records, model=MatchModel()).pairs
    return {tuple(sorted((p.left_id, p.right_id))): p.band for p in pairs}


def test_namesakes_joined_through_a_hangul_record_go_to_review_together() -> None:
    liu_willow = _record("willow", "柳", "成石", "1947-06-17")
    hangul = _record("hangul", "유", "성석", "1947-06-17")
    liu_sword = _record("sword", "劉", "成石", "1947-06-16")
    model = MatchModel()
    # each link alone is confident enough to be applied...
    assert score_pair(liu_willow, hangul, model).band == AUTO_LINK
    assert score_pair(hangul, liu_sword, model).band == AUTO_LINK
    # ...but together they would make one person of 柳成石 and 劉成石
    bands = _bands([liu_willow, hangul, liu_sword])
    assert bands[("hangul", "willow")] == REVIEW
    assert bands[("hangul", "sword")] == REVIEW
    assert bands.get(("sword", "willow"), REVIEW) != AUTO_LINK


def test_one_persons_records_in_three_scripts_stay_linked() -> None:
    hanzi = _record("hanzi", "柳", "成石", "1947-06-17")
    hangul = _record("hangul", "유", "성석", "1947-06-17")
    latin = _record("latin", "Ryu", "Songsok", "1947-06-17")
    bands = _bands([hanzi, hangul, latin])
    assert bands[("hangul", "hanzi")] == bands[("hangul", "latin")] == AUTO_LINK


def test_two_valid_resident_ids_in_one_cluster_send_it_to_review() -> None:
    born = dt.date(1933, 11, 1)
    first = _record("first", "韓", "永武", "1933-11-01", document_number=ID(born, 101))
    second = _record("second", "韓", "永武", "1933-11-01", document_number=ID(born, 203))
    bare = _record("bare", "한", "영무", "1933-11-01")
    bands = _bands([first, bare, second])
    assert AUTO_LINK not in bands.values()
