"""Name conversions: surname crosswalk, Hanzi readings, romanisations, phonetic keys."""

from __future__ import annotations

import pytest

from identity.engine.names import (
    NameForms,
    derive_name_forms,
    reading_phonetic_keys,
    split_typed_name,
)
from identity.engine.phonetic import first_romanized_syllables, korean_key
from identity.engine.readings import korean_readings_of_pinyin, normalize_hangul_name
from identity.engine.romanize import mccune_reischauer, revised_romanization
from identity.engine.surnames import (
    hanzi_surname_hangul,
    surname_keys_from_hangul,
    surname_keys_from_hanzi,
    surname_keys_from_latin,
    surname_pinyin,
    surname_share,
)


@pytest.mark.parametrize(
    ("spellings", "key"),
    [
        (("Piao", "Park", "Bak", "Pak", "박", "朴"), "박"),
        (("Jin", "Kim", "Gim", "김", "金"), "김"),
        (("Li", "Lee", "Yi", "Ri", "Rhee", "이", "리", "李"), "이"),
        (("Cui", "Choi", "Choe", "최", "崔"), "최"),
        (("Zheng", "Jeong", "Chung", "Jung", "정", "鄭", "郑"), "정"),
        (("An", "Ahn", "안", "安"), "안"),
        # the Southern spellings meet both surnames; the Northern ones only their own
        (("Lin", "Lim", "Im", "Rim", "임", "림", "林"), "림"),
        (("Im", "Lim", "임", "任"), "임"),
        (("Liu", "Yu", "Yoo", "Ryu", "유", "류", "柳"), "류"),
        (("Yu", "Yoo", "유", "兪"), "유"),
    ],
)
def test_surname_crosswalk_brings_every_script_to_one_key(
    spellings: tuple[str, ...], key: str
) -> None:
    for spelling in spellings:
        forms = derive_name_forms(**_as_family(spelling))
        assert key in forms.surname_keys, spelling


def _as_family(text: str) -> dict[str, str]:
    parts = split_typed_name(text, "")
    return {name: value for name, value in parts.items() if name.startswith("family")}


def test_ambiguous_latin_surname_gives_every_reading() -> None:
    # pinyin Jin is 金 (김); Korean Jin is 陳/秦 (진)
    assert surname_keys_from_latin("Jin") == {"김", "진"}


def test_unknown_surname_gets_its_own_key() -> None:
    assert surname_keys_from_latin("Smith") == {"~smit"}
    assert surname_keys_from_latin("Smitt") == {"~smit"}


def test_kim_is_gim_not_geum_but_only_as_a_surname() -> None:
    forms = derive_name_forms(family_hanzi="金", given_hanzi="金玉")
    assert forms.family_hangul == ("김",)
    assert forms.given_hangul == ("금옥",)


@pytest.mark.parametrize(
    ("hanzi", "north", "south"), [("李", "리", "이"), ("林", "림", "임"), ("柳", "류", "유")]
)
def test_initial_sound_law_gives_both_hangul_forms(hanzi: str, north: str, south: str) -> None:
    assert hanzi_surname_hangul(hanzi) == (north, south)
    assert set(derive_name_forms(family_hanzi=hanzi).family_hangul) == {north, south}
    assert surname_keys_from_hangul(north) == surname_keys_from_hanzi(hanzi)
    assert surname_keys_from_hanzi(hanzi) <= surname_keys_from_hangul(south)


def test_dprk_initial_sounds_keep_apart_what_the_southern_spelling_merges() -> None:
    # 柳 is 류 in the North and 兪 is 유: "Ryu" is never 兪; "Yu" may be either
    assert surname_keys_from_latin("Ryu") == {"류"}
    assert surname_keys_from_hangul("류") == {"류"}
    assert {"류", "유"} <= surname_keys_from_hangul("유")
    assert surname_keys_from_latin("Rim") == {"림"} and surname_keys_from_hanzi("任") == {"임"}


@pytest.mark.parametrize(
    ("hanzi", "pinyin"),
    [("朴", "piao"), ("单", "shan"), ("区", "ou"), ("仇", "qiu"), ("解", "xie"), ("曾", "zeng")],
)
def test_surname_pinyin_uses_surname_readings(hanzi: str, pinyin: str) -> None:
    assert surname_pinyin(hanzi) == pinyin
    assert derive_name_forms(family_hanzi=hanzi).family_pinyin == (pinyin,)


def test_full_hanzi_name_gives_every_form() -> None:
    forms = derive_name_forms(family_hanzi="安", given_hanzi="在秀")
    assert forms.full_hanzi == "安在秀"
    assert forms.family_hangul == ("안",)
    assert forms.given_hangul == ("재수",)
    assert forms.family_pinyin == ("an",)
    assert forms.given_pinyin == ("zaixiu",)
    assert forms.given_rr == ("jaesu",)
    assert forms.given_phonetic == (korean_key("Jae-su"),)
    assert forms.to_dict()["given_hangul"] == ["재수"]


def test_stored_forms_leave_out_what_is_empty_and_read_back_whole() -> None:
    forms = derive_name_forms(family_latin="Ko", given_latin="Hye-yŏng")
    stored = forms.to_dict()
    assert "given_hanzi" not in stored and "order_unsure" not in stored
    assert stored["given_breves"] == "ŏ"
    assert NameForms.from_dict(stored) == forms


def test_given_name_initial_sound_law_variants() -> None:
    forms = derive_name_forms(family_hanzi="李", given_hanzi="麗華")
    assert set(forms.given_hangul) == {"려화", "여화"}
    assert len(forms.given_phonetic) == 1  # both spellings share one phonetic key


@pytest.mark.parametrize(
    "spellings",
    [
        ("Jae-su", "Chae-su", "Jae Soo", "Jaesu", "Jai Su"),
        ("Il-seong", "Il-sŏng", "Il Sung"),
        ("Myeong-cheol", "Myŏng-ch'ŏl", "Myung Chul"),
        ("Eun-hui", "Ŭn-hŭi", "Eun Hee"),
        ("Gyeong-suk", "Kyŏng-suk", "Kyung Sook"),
        ("Yeong-ho", "Yŏng-ho", "Young Ho"),
    ],
)
def test_phonetic_key_joins_rr_mccune_reischauer_and_informal(spellings: tuple[str, ...]) -> None:
    assert len({korean_key(spelling) for spelling in spellings}) == 1, spellings


def test_phonetic_key_keeps_different_names_apart() -> None:
    assert korean_key("Jae-su") != korean_key("Jae-min")
    assert korean_key("Yeong-cheol") != korean_key("Yeong-ho")


def test_revised_romanization_and_mccune_reischauer() -> None:
    assert revised_romanization("재수") == "jaesu"
    assert revised_romanization("리") == "ri"
    assert mccune_reischauer("재수") == "chae-su"
    assert mccune_reischauer("일성") == "il-sŏng"
    assert mccune_reischauer("최") == "ch'oe"
    assert mccune_reischauer("신") == "shin"


def test_pinyin_given_name_is_read_as_korean() -> None:
    assert "재수" in korean_readings_of_pinyin("zaixiu")
    assert "철향" in korean_readings_of_pinyin("Zhexiang")
    forms = derive_name_forms(family_latin="An", given_latin="Zaixiu")
    assert "재수" in forms.given_readings
    assert korean_key("Jae-su") in reading_phonetic_keys(forms.given_latin)


@pytest.mark.parametrize(
    ("pinyin", "romanised"),
    [("Xuelong", "Hak-ryong"), ("Xuelong", "Hakryong"), ("Zhenglie", "Chong-ryol")],
)
def test_a_pinyin_name_meets_its_korean_romanisation_with_the_inner_r(
    pinyin: str, romanised: str
) -> None:
    """學龍 is 학룡 inside a name: the romanised Korean name keeps the r that the initial-
    sound law takes off 룡 only at the start of a word."""
    forms = derive_name_forms(given_latin=pinyin)
    assert korean_key(romanised) in reading_phonetic_keys(forms.given_latin)
    # the first syllable takes the law as before: Longzhu is 용주 as well as 룡주 (North)
    assert korean_key("Yong-ju") in reading_phonetic_keys("longzhu")


def test_every_syllable_is_normalised_for_reading_comparison() -> None:
    assert normalize_hangul_name("려화") == normalize_hangul_name("여화") == "여화"


def test_first_syllable_of_unhyphenated_romanisation() -> None:
    assert first_romanized_syllables("Jae-su") == ("jae",)
    assert first_romanized_syllables("Cheolgyu") == ("cheol",)
    assert set(first_romanized_syllables("Jingil")) == {"jin", "jing"}


def test_typed_names_are_sorted_by_script() -> None:
    assert split_typed_name("安在秀", "") == {"family_hanzi": "安", "given_hanzi": "在秀"}
    assert split_typed_name("皇甫仁", "") == {"family_hanzi": "皇甫", "given_hanzi": "仁"}
    assert split_typed_name("안", "재수") == {"family_hangul": "안", "given_hangul": "재수"}
    assert split_typed_name("안재수", "") == {"family_hangul": "안", "given_hangul": "재수"}
    assert split_typed_name("황보인", "") == {"family_hangul": "황보", "given_hangul": "인"}
    assert split_typed_name("Ahn", "Jae Soo") == {"family_latin": "Ahn", "given_latin": "Jae Soo"}


def test_common_surnames_are_common() -> None:
    assert surname_share("김") > 0.1 > surname_share("안") > surname_share("연")
