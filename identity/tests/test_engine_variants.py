"""Romanisations outside the usual crosswalk, and surnames kept apart (issue 17, item 3)."""

import pytest

from identity.engine import PersonRecord, prepare_record, surname_keys_from_latin
from identity.engine.compare import compare_family_names


@pytest.mark.parametrize(
    ("spelling", "key"),
    [("Kym", "김"), ("Ghim", "김"), ("Leem", "림"), ("Rho", "노"), ("Jhang", "장"),
     ("Chey", "최"), ("Yuh", "려"), ("Cheng", "정"), ("Yun", "연"), ("Lyu", "려"),
     ("Ryo", "려")],
)  # fmt: skip
def test_variant_spellings_reach_their_surname(spelling: str, key: str) -> None:
    assert key in surname_keys_from_latin(spelling)


def _family(record_id: str, **names: str) -> object:
    return prepare_record(PersonRecord(record_id=record_id, **names))


def test_the_northern_ryo_is_lu_alone_and_never_yu() -> None:
    # 吕 is 려 in the North and 여 in the South; 余 is 여 in both: Ryo, Ryŏ and 려 can only
    # be 吕, while 여 and Yeo may be either
    yu = _family("a", family_hanzi="余")
    for north in (_family("b", family_hangul="려"), _family("c", family_latin="Ryo")):
        assert compare_family_names(north, yu).level != "exact"
        assert compare_family_names(north, _family("d", family_hanzi="吕")).level == "exact"
    for south in (_family("e", family_hangul="여"), _family("f", family_latin="Yeo")):
        assert compare_family_names(south, yu).level == "exact"
        assert compare_family_names(south, _family("g", family_hanzi="呂")).level == "exact"
    assert compare_family_names(_family("h", family_hanzi="吕"), yu).level == "other_hanzi"


def test_qin_of_qin_is_not_geum_of_the_zither() -> None:
    chinese = _family("a", family_hanzi="秦", family_latin="Qin")
    korean = _family("b", family_hangul="금")
    assert "금" not in chinese.names.surname_keys
    assert compare_family_names(chinese, korean).level == "different"
    assert (
        compare_family_names(_family("c", family_hanzi="秦"), _family("d", family_hanzi="琴")).level
        == "other_hanzi"
    )


def test_cheng_of_jeong_and_cheng_of_seong_are_two_surnames_in_hanzi() -> None:
    assert (
        compare_family_names(_family("a", family_hanzi="程"), _family("b", family_hanzi="成")).level
        == "other_hanzi"
    )
    assert (
        compare_family_names(
            _family("a", family_hanzi="程"), _family("b", family_hangul="정")
        ).level
        == "exact"
    )
    assert (
        compare_family_names(
            _family("a", family_latin="Cheng"), _family("b", family_hanzi="程")
        ).level
        == "exact"
    )
