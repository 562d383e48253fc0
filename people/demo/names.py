"""Korean-Chinese names, generated consistently in Hanzi, Hangul and Latin letters.

Hangul follows the northern spelling that a North Hamgyong registrar wrote (리, 림, 류 ...);
Latin letters follow the spelling most used for each surname, given names in Revised
Romanisation with a hyphen between syllables.
"""

import random
from dataclasses import dataclass

from korean_romanizer.romanizer import Romanizer

# (hanzi, hangul, latin, relative frequency among Korean-Chinese families)
SURNAMES: tuple[tuple[str, str, str, int], ...] = (
    ("金", "김", "Kim", 220),
    ("李", "리", "Ri", 150),
    ("朴", "박", "Pak", 90),
    ("崔", "최", "Choe", 50),
    ("郑", "정", "Jong", 45),
    ("姜", "강", "Kang", 25),
    ("赵", "조", "Jo", 22),
    ("尹", "윤", "Yun", 20),
    ("张", "장", "Jang", 20),
    ("林", "림", "Rim", 18),
    ("韩", "한", "Han", 16),
    ("吴", "오", "O", 14),
    ("申", "신", "Sin", 12),
    ("徐", "서", "So", 12),
    ("权", "권", "Kwon", 10),
    ("黄", "황", "Hwang", 10),
    ("安", "안", "An", 10),
    ("宋", "송", "Song", 9),
    ("全", "전", "Jon", 9),
    ("洪", "홍", "Hong", 8),
    ("柳", "류", "Ryu", 8),
    ("高", "고", "Ko", 8),
    ("文", "문", "Mun", 8),
    ("梁", "량", "Ryang", 7),
    ("孙", "손", "Son", 7),
    ("裴", "배", "Pae", 6),
    ("白", "백", "Paek", 6),
    ("许", "허", "Ho", 6),
    ("南", "남", "Nam", 5),
    ("沈", "심", "Sim", 5),
    ("卢", "로", "Ro", 5),
    ("河", "하", "Ha", 4),
    ("丁", "정", "Jong", 4),
    ("成", "성", "Song", 4),
    ("车", "차", "Cha", 4),
    ("具", "구", "Ku", 3),
    ("禹", "우", "U", 3),
    ("朱", "주", "Ju", 3),
    ("任", "림", "Rim", 3),
    ("罗", "라", "Ra", 3),
    ("玄", "현", "Hyon", 3),
    ("方", "방", "Pang", 3),
)

MALE_SYLLABLES: tuple[tuple[str, str], ...] = (
    ("在", "재"),
    ("秀", "수"),
    ("成", "성"),
    ("哲", "철"),
    ("光", "광"),
    ("明", "명"),
    ("永", "영"),
    ("植", "식"),
    ("镇", "진"),
    ("浩", "호"),
    ("国", "국"),
    ("石", "석"),
    ("日", "일"),
    ("万", "만"),
    ("松", "송"),
    ("吉", "길"),
    ("龙", "룡"),
    ("东", "동"),
    ("学", "학"),
    ("海", "해"),
    ("武", "무"),
    ("福", "복"),
    ("南", "남"),
    ("锡", "석"),
    ("泰", "태"),
    ("元", "원"),
    ("俊", "준"),
    ("勇", "용"),
    ("基", "기"),
    ("铁", "철"),
    ("虎", "호"),
    ("根", "근"),
    ("范", "범"),
    ("弼", "필"),
    ("浚", "준"),
    ("宪", "헌"),
)
FEMALE_SYLLABLES: tuple[tuple[str, str], ...] = (
    ("英", "영"),
    ("顺", "순"),
    ("玉", "옥"),
    ("姬", "희"),
    ("淑", "숙"),
    ("子", "자"),
    ("春", "춘"),
    ("花", "화"),
    ("善", "선"),
    ("贤", "현"),
    ("京", "경"),
    ("熙", "희"),
    ("美", "미"),
    ("贞", "정"),
    ("恩", "은"),
    ("仁", "인"),
    ("凤", "봉"),
    ("爱", "애"),
    ("兰", "란"),
    ("月", "월"),
    ("今", "금"),
    ("福", "복"),
    ("莲", "련"),
    ("梅", "매"),
    ("金", "금"),
    ("明", "명"),
    ("顺", "순"),
    ("姬", "희"),
    ("丽", "려"),
    ("淑", "숙"),
)


@dataclass(frozen=True)
class GeneratedName:
    family_hanzi: str
    family_hangul: str
    family_latin: str
    given_hanzi: str
    given_hangul: str
    given_latin: str


def _romanise_syllables(syllables: list[str]) -> str:
    parts = [Romanizer(syllable).romanize() for syllable in syllables]
    return "-".join(parts).capitalize()


class NameGenerator:
    """Draws names; precomputes romanisations so a million names take seconds."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.surnames = SURNAMES
        self.surname_weights = [weight for *_, weight in SURNAMES]
        self._latin_cache: dict[tuple[str, ...], str] = {}

    def family(self) -> tuple[str, str, str]:
        hanzi, hangul, latin, _weight = self.rng.choices(self.surnames, self.surname_weights)[0]
        return hanzi, hangul, latin

    def given(self, sex: str) -> tuple[str, str, str]:
        pool = FEMALE_SYLLABLES if sex == "F" else MALE_SYLLABLES
        first, second = self.rng.choice(pool), self.rng.choice(pool)
        hangul = (first[1], second[1])
        latin = self._latin_cache.get(hangul)
        if latin is None:
            latin = self._latin_cache[hangul] = _romanise_syllables(list(hangul))
        return first[0] + second[0], hangul[0] + hangul[1], latin

    def name(self, sex: str, family: tuple[str, str, str] | None = None) -> GeneratedName:
        family_hanzi, family_hangul, family_latin = family or self.family()
        given_hanzi, given_hangul, given_latin = self.given(sex)
        return GeneratedName(
            family_hanzi, family_hangul, family_latin, given_hanzi, given_hangul, given_latin
        )
