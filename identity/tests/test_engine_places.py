"""Coded places: a place typed in any script is one division code (issue 17, item 1)."""

import pytest

from identity.engine import PersonRecord, prepare_record, score_pair
from identity.engine.places import place_code, place_level, place_name, resident_id_county
from identity.engine.records import PLACE


@pytest.mark.parametrize(
    "typed",
    [
        "Yanji",
        "Yanji City",
        "延吉市",
        "延吉",
        "연길시",
        "연길",
        "Yŏn'gil",
        "Yeongil",
        "吉林省延吉市",
    ],
)
def test_yanji_typed_in_any_script_is_one_county(typed: str) -> None:
    assert place_code(typed) == "222401"


@pytest.mark.parametrize("typed", ["龍井市", "龙井", "용정시", "룡정", "Longjing", "Ryongjŏng",
                                   "延边龙井", "Longjing, Yanbian"])  # fmt: skip
def test_longjing_in_southern_and_northern_hangul_and_with_its_prefecture(typed: str) -> None:
    assert place_code(typed) == "222405"


def test_prefecture_and_neighbouring_counties() -> None:
    assert place_code("延邊") == place_code("연변") == place_code("Yanbian") == "222400"
    assert place_code("녕안") == place_code("영안시") == place_code("Ning'an") == "231084"
    assert place_code("Harbin") == place_code("할빈") == place_code("哈爾濱")
    assert place_code("Yanij") == "222401"  # a typing slip
    assert place_code("Seoul") is None


def test_retired_county_code_of_an_old_resident_id_is_the_current_county() -> None:
    # 龙井县 (222421) became 龙井市 (222405)
    assert resident_id_county("222421193703145263") == "222405"
    assert place_name("222405") == "龙井市"


def test_place_levels() -> None:
    assert place_level("@222401", "@222401") == "exact"
    assert place_level("@222401", "@222400") == "similar"  # Yanji lies in Yanbian
    assert place_level("@222401", "@222405") == "similar"  # one prefecture
    assert place_level("@222401", "@231084") == "different"


def _record(record_id: str, place: str, document: str = "") -> PersonRecord:
    return PersonRecord.from_typed(
        record_id,
        "김",
        "영철",
        sex="M",
        birth_date="1950-03-07",
        attributes={"place_of_origin": place} if place else {},
        document_number=document,
    )


def test_places_in_two_scripts_agree_when_scored() -> None:
    result = score_pair(
        prepare_record(_record("a", "Yanji City")), prepare_record(_record("b", "연길시"))
    )
    place = next(row for row in result.comparisons if row.field == f"attribute:{PLACE}")
    assert place.level == "exact"
    assert place.weight > 0


def test_record_without_place_takes_the_county_of_its_resident_id() -> None:
    prepared = prepare_record(_record("a", "", document="222401195003071234"))
    assert prepared.attributes[PLACE] == "@222401"
