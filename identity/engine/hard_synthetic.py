"""A harder seeded generator: the failure classes of the cross-script files check (issue 17).

Persons from Yanbian and the neighbouring prefectures come in families, so the registry
holds hard negatives beside the true pairs: twins (one birth date and place), siblings
(one generation syllable, years apart), father and son, and persons whose surnames are
confusable across scripts (秦 Qin and 琴 금, 程 and 成 both "Cheng"). Each registration is
typed as registrars type it:

- the birth place in any script (延吉市, 延吉, 延邊, 연길시, 연길, Yanji, Yanji City, Yŏn'gil),
- a Latin name typed whole ("BAK JINSAN", "Bak, Jinsan", "Jinsan Bak") or into the
  wrong fields, in pinyin, RR, McCune-Reischauer, DPRK style or an informal spelling
  (Kym, Ghim, Leem, Rho, Jhang, Chey, Yuh; Cheng for 程, Yun for 延, Lyu/Ryo for 吕),
- the birth date exact, year only, approximate ("1953?", "约1953年"), off by a keystroke or
  with two digits transposed,
- a resident ID that sometimes does not check out (one digit misread).

Only PersonRecord.from_typed is used, so the records are what any version of the engine
receives. Hard negatives come back as pairs of person ids with their kind.
"""

from __future__ import annotations

import datetime
import random
from collections.abc import Iterator
from dataclasses import dataclass, field
from itertools import accumulate
from typing import Any

from identity.engine.idnumber import make_resident_id
from identity.engine.names import given_hanzi_hangul, given_hanzi_pinyin
from identity.engine.records import PersonRecord
from identity.engine.romanize import mccune_reischauer, revised_romanization
from identity.engine.surnames import SURNAMES, hanzi_surname_hangul, surname_pinyin
from identity.engine.synthetic import GIVEN_NAME_CHARACTERS, _typo, informal_romanization

# code, simplified, traditional, suffix (simplified), Hangul South, Hangul North,
# pinyin, Korean romanisations (RR, MR)
PLACES: tuple[tuple[str, str, str, str, str, str, str, tuple[str, ...]], ...] = (
    ("222401", "延吉", "延吉", "市", "연길", "연길", "Yanji", ("Yeongil", "Yŏn'gil")),
    ("222405", "龙井", "龍井", "市", "용정", "룡정", "Longjing", ("Yongjeong", "Ryongjŏng")),
    ("222406", "和龙", "和龍", "市", "화룡", "화룡", "Helong", ("Hwaryong", "Hwaryong")),
    ("222402", "图们", "圖們", "市", "도문", "도문", "Tumen", ("Domun", "Tomun")),
    ("222404", "珲春", "琿春", "市", "훈춘", "훈춘", "Hunchun", ("Hunchun", "Hunch'un")),
    ("222424", "汪清", "汪清", "县", "왕청", "왕청", "Wangqing", ("Wangcheong", "Wangch'ŏng")),
    ("222426", "安图", "安圖", "县", "안도", "안도", "Antu", ("Ando", "Ando")),
    ("222403", "敦化", "敦化", "市", "돈화", "돈화", "Dunhua", ("Donhwa", "Tonhwa")),
    ("220623", "长白", "長白", "县", "장백", "장백", "Changbai", ("Jangbaek", "Changbaek")),
    ("220582", "集安", "集安", "市", "집안", "집안", "Ji'an", ("Jiban", "Chiban")),
    ("220581", "梅河口", "梅河口", "市", "매하구", "매하구", "Meihekou", ("Maehagu", "Maehagu")),
    ("220282", "桦甸", "樺甸", "市", "화전", "화전", "Huadian", ("Hwajeon", "Hwajŏn")),
    ("220283", "舒兰", "舒蘭", "市", "서란", "서란", "Shulan", ("Seoran", "Sŏran")),
    ("220281", "蛟河", "蛟河", "市", "교하", "교하", "Jiaohe", ("Gyoha", "Kyoha")),
    ("231084", "宁安", "寧安", "市", "영안", "녕안", "Ning'an", ("Yeongan", "Nyŏngan")),
    ("231083", "海林", "海林", "市", "해림", "해림", "Hailin", ("Haerim", "Haerim")),
    ("230184", "五常", "五常", "市", "오상", "오상", "Wuchang", ("Osang", "Osang")),
    ("230183", "尚志", "尚志", "市", "상지", "상지", "Shangzhi", ("Sangji", "Sangji")),
    ("231085", "穆棱", "穆稜", "市", "목릉", "목릉", "Muling", ("Mongneung", "Mongnŭng")),
    ("230382", "密山", "密山", "市", "밀산", "밀산", "Mishan", ("Milsan", "Milsan")),
    ("210602", "元宝", "元寶", "区", "원보", "원보", "Yuanbao", ("Wonbo", "Wŏnbo")),
)
_PLACE_WEIGHTS = (30, 12, 8, 8, 7, 6, 6, 6, 4, 3, 3, 2, 2, 2, 4, 3, 3, 2, 2, 2, 1)
_PREFECTURES = {
    "2224": ("延边", "延邊", "연변", "Yanbian"),
    "2206": ("白山", "白山", "백산", "Baishan"),
    "2205": ("通化", "通化", "통화", "Tonghua"),
    "2202": ("吉林", "吉林", "길림", "Jilin"),
    "2310": ("牡丹江", "牡丹江", "목단강", "Mudanjiang"),
    "2301": ("哈尔滨", "哈爾濱", "할빈", "Harbin"),
    "2303": ("鸡西", "雞西", "계서", "Jixi"),
    "2106": ("丹东", "丹東", "단동", "Dandong"),
}
_SUFFIX_TRADITIONAL = {"市": "市", "县": "縣", "区": "區"}
_SUFFIX_HANGUL = {"市": "시", "县": "현", "区": "구"}
_SUFFIX_LATIN = {"市": ("City", "Shi", "city"), "县": ("County", "Xian"), "区": ("District", "Qu")}

# Spellings of surnames outside a usual crosswalk, by Hanzi (what a passport or an old
# document shows).
SURNAME_VARIANTS: dict[str, tuple[str, ...]] = {
    "金": ("Kym", "Ghim", "Gim", "Kimm"),
    "林": ("Leem", "Rim", "Lim"),
    "盧": ("Rho", "Roh", "Ro"),
    "张": ("Jhang", "Chang"),
    "張": ("Jhang", "Chang"),
    "崔": ("Chey", "Choe", "Tsui"),
    "吕": ("Yuh", "Lyu", "Ryo", "Yeo"),
    "呂": ("Yuh", "Lyu", "Ryo", "Yeo"),
    "程": ("Cheng", "Jeong", "Chung"),
    "延": ("Yun", "Yeon", "Yan"),
    "李": ("Ri", "Rhee", "Yi"),
    "柳": ("Ryu", "Yoo"),
    "秦": ("Qin", "Chin", "Jin"),
    "琴": ("Keum", "Geum", "Kum"),
}
# Surnames beyond the crosswalk's characters that the region's records carry.
_EXTRA_SURNAMES = ("程", "秦", "琴", "吕", "延", "林", "盧", "柳")
# Pairs of confusable surnames (different families, alike in some script).
CONFUSABLE = (("秦", "琴"), ("程", "成"), ("丁", "鄭"), ("柳", "劉"), ("姜", "康"), ("吕", "余"))


@dataclass(frozen=True, slots=True)
class HardPerson:
    person_id: str
    family_hanzi: str
    given_hanzi: str
    sex: str
    birth_date: datetime.date
    place: int  # index in PLACES
    resident_id: str


@dataclass
class HardRegistry:
    """Records with their persons, and the hard-negative person pairs by kind."""

    records: list[PersonRecord] = field(default_factory=list)
    person_of: dict[str, str] = field(default_factory=dict)
    hard_negatives: dict[tuple[str, str], str] = field(default_factory=dict)


_SURNAME_CUMULATIVE = list(accumulate(s.share for s in SURNAMES))
_GIVEN_CUMULATIVE = list(accumulate(1 / (rank + 8) for rank in range(len(GIVEN_NAME_CHARACTERS))))


def _surname(rng: random.Random) -> str:
    if rng.random() < 0.08:
        return rng.choice(_EXTRA_SURNAMES)
    return rng.choice(rng.choices(SURNAMES, cum_weights=_SURNAME_CUMULATIVE)[0].hanzi)


def _given(rng: random.Random, generation: str = "") -> str:
    if generation:
        other = rng.choices(GIVEN_NAME_CHARACTERS, cum_weights=_GIVEN_CUMULATIVE)[0]
        return generation + other if rng.random() < 0.5 else other + generation
    length = 1 if rng.random() < 0.1 else 2
    return "".join(rng.choices(GIVEN_NAME_CHARACTERS, cum_weights=_GIVEN_CUMULATIVE, k=length))


def _person(
    rng: random.Random,
    person_id: str,
    *,
    family: str,
    given: str,
    born: datetime.date,
    sex: str,
    place: int,
) -> HardPerson:
    # the resident ID is issued where the person was registered: mostly the birth county
    region = PLACES[place][0] if rng.random() < 0.8 else rng.choice(PLACES)[0]
    sequence = rng.randrange(0, 500) * 2 + (1 if sex == "M" else 0)
    return HardPerson(
        person_id, family, given, sex, born, place, make_resident_id(region, born, sequence)
    )


def _birth(rng: random.Random) -> datetime.date:
    return datetime.date(1925, 1, 1) + datetime.timedelta(days=rng.randrange(0, 70 * 365))


def make_family(rng: random.Random, first_id: int) -> tuple[list[HardPerson], list[tuple]]:
    """One person, or a family with hard negatives among its members."""
    family = _surname(rng)
    place = rng.choices(range(len(PLACES)), weights=_PLACE_WEIGHTS)[0]
    born = _birth(rng)
    sex = rng.choice("MF")
    roll = rng.random()
    ids = (f"H{first_id + n}" for n in range(10))
    first = _person(
        rng, next(ids), family=family, given=_given(rng), born=born, sex=sex, place=place
    )
    people, negatives = [first], []
    if roll < 0.06:  # twins: one date, one place, one surname
        generation = first.given_hanzi[0] if rng.random() < 0.5 else ""
        twin = _person(
            rng,
            next(ids),
            family=family,
            given=_given(rng, generation),
            born=born,
            sex=rng.choice((sex, "MF"[sex == "M"])),
            place=place,
        )
        if twin.given_hanzi != first.given_hanzi:
            people.append(twin)
            negatives.append((first.person_id, twin.person_id, "twins"))
    elif roll < 0.14:  # siblings: a generation syllable, a few years apart
        generation = rng.choice(GIVEN_NAME_CHARACTERS[:40])
        first = _person(
            rng,
            first.person_id,
            family=family,
            given=_given(rng, generation),
            born=born,
            sex=sex,
            place=place,
        )
        people = [first]
        sibling_born = born + datetime.timedelta(
            days=rng.choice((1, -1)) * rng.randrange(300, 2500)
        )
        sibling = _person(
            rng,
            next(ids),
            family=family,
            given=_given(rng, generation),
            born=sibling_born,
            sex=rng.choice("MF"),
            place=place,
        )
        if sibling.given_hanzi != first.given_hanzi:
            people.append(sibling)
            negatives.append((first.person_id, sibling.person_id, "siblings"))
    elif roll < 0.20 and born.year < 1970:  # father and son
        first = _person(rng, first.person_id, family=family, given=first.given_hanzi,
                        born=born, sex="M", place=place)  # fmt: skip
        people = [first]
        son_given = first.given_hanzi[0] + _given(rng)[0] if rng.random() < 0.4 else _given(rng)
        son = _person(
            rng,
            next(ids),
            family=family,
            given=son_given,
            born=born + datetime.timedelta(days=rng.randrange(20 * 365, 35 * 365)),
            sex="M",
            place=place if rng.random() < 0.7 else rng.randrange(len(PLACES)),
        )
        if son.given_hanzi != first.given_hanzi:
            people.append(son)
            negatives.append((first.person_id, son.person_id, "father_son"))
    elif roll < 0.25:  # confusable surnames: same given name, same year
        left, right = rng.choice(CONFUSABLE)
        first = _person(rng, first.person_id, family=left, given=first.given_hanzi,
                        born=born, sex=sex, place=place)  # fmt: skip
        other_born = datetime.date(born.year, rng.randrange(1, 13), rng.randrange(1, 29))
        other = _person(rng, next(ids), family=right, given=first.given_hanzi, born=other_born,
                        sex=rng.choice("MF"), place=rng.randrange(len(PLACES)))  # fmt: skip
        people = [first, other]
        negatives.append((first.person_id, other.person_id, "confusable_surname"))
    return people, negatives


# ---- how a registrar types a registration ---------------------------------------------

NAME_FORMS = ("hanzi", "hanzi_trad", "hangul_north", "hangul_south", "pinyin", "rr", "mr",
              "dprk", "informal")  # fmt: skip
_FORM_WEIGHTS = (0.14, 0.06, 0.12, 0.14, 0.16, 0.10, 0.08, 0.08, 0.12)
_SCRIPT = {form: form.split("_")[0] if form.startswith("han") else "latin" for form in NAME_FORMS}
_TRADITIONAL = {"张": "張", "吕": "呂", "刘": "劉", "郑": "鄭", "赵": "趙", "韩": "韓", "孙": "孫"}


def _korean_family(hanzi: str) -> tuple[str, str]:
    return hanzi_surname_hangul(hanzi)


def _latin_family(person: HardPerson, form: str, rng: random.Random) -> str:
    north, south = _korean_family(person.family_hanzi)
    if form == "pinyin":
        return surname_pinyin(person.family_hanzi).capitalize()
    if person.family_hanzi in SURNAME_VARIANTS and rng.random() < 0.35:
        return rng.choice(SURNAME_VARIANTS[person.family_hanzi])
    if form == "rr":
        return revised_romanization(south).capitalize()
    if form in ("mr", "dprk"):
        return mccune_reischauer(north).replace("ŏ", "o").replace("ŭ", "u").capitalize() \
            if form == "dprk" else mccune_reischauer(north).capitalize()  # fmt: skip
    for surname in SURNAMES:
        if surname.key == south:
            return rng.choice(surname.latin).capitalize()
    return revised_romanization(south).capitalize()


def _latin_given(person: HardPerson, form: str, rng: random.Random) -> str:
    north, south = given_hanzi_hangul(person.given_hanzi)
    if form == "pinyin":
        return given_hanzi_pinyin(person.given_hanzi).capitalize()
    if form == "rr":
        given = revised_romanization(south)
        return (
            given if rng.random() < 0.6 else "-".join(map(revised_romanization, south))
        ).capitalize()
    if form == "mr":
        return mccune_reischauer(north).capitalize()
    if form == "dprk":
        syllables = [mccune_reischauer(s).replace("ŏ", "o").replace("ŭ", "u") for s in north]
        return " ".join(s.capitalize() for s in syllables)
    return informal_romanization(south, rng).title()


def _typed_names(person: HardPerson, form: str, rng: random.Random) -> tuple[str, str]:
    """(family field, given field) as typed; a whole name may sit in the family field."""
    if form in ("hanzi", "hanzi_trad"):
        family, given = person.family_hanzi, person.given_hanzi
        if form == "hanzi_trad":
            family = _TRADITIONAL.get(family, family)
        return (family + given, "") if rng.random() < 0.3 else (family, given)
    if form in ("hangul_north", "hangul_south"):
        side = 0 if form == "hangul_north" else 1
        family = _korean_family(person.family_hanzi)[side]
        given = given_hanzi_hangul(person.given_hanzi)[side]
        return (family + given, "") if rng.random() < 0.3 else (family, given)
    family, given = _latin_family(person, form, rng), _latin_given(person, form, rng)
    roll = rng.random()
    if roll < 0.45:
        return family, given
    if roll < 0.60:
        return given, family  # typed into each other's field
    if roll < 0.72:
        return f"{family.upper()} {given.upper()}", ""
    if roll < 0.82:
        return f"{family}, {given}", ""
    if roll < 0.92:
        return f"{given} {family}", ""
    return f"{family} {given}", ""


def _typed_place(person: HardPerson, rng: random.Random) -> str:
    code, simplified, traditional, suffix, south, north, pinyin, korean = PLACES[person.place]
    prefecture = _PREFECTURES.get(code[:4])
    roll = rng.random()
    if roll < 0.15:
        text = simplified + (suffix if rng.random() < 0.6 else "")
    elif roll < 0.25:
        text = traditional + (_SUFFIX_TRADITIONAL[suffix] if rng.random() < 0.6 else "")
    elif roll < 0.45:
        text = rng.choice((south, north)) + (_SUFFIX_HANGUL[suffix] if rng.random() < 0.6 else "")
    elif roll < 0.65:
        text = pinyin + (" " + rng.choice(_SUFFIX_LATIN[suffix]) if rng.random() < 0.4 else "")
    elif roll < 0.78:
        text = rng.choice(korean)
    elif roll < 0.88 and prefecture:
        hanzi, trad, hangul, latin = prefecture
        text = rng.choice((hanzi + simplified, hangul + " " + south, f"{pinyin}, {latin}"))
    else:
        text = rng.choice((simplified + suffix, south, pinyin))
        if len(text) > 3 and rng.random() < 0.5:
            text = _typo(text, rng)
    return text


def _date_text(born: datetime.date, rng: random.Random) -> str:
    roll = rng.random()
    if roll < 0.55:
        return rng.choice((born.isoformat(), born.strftime("%Y%m%d"), born.strftime("%Y.%m.%d")))
    if roll < 0.63:
        return str(born.year)
    if roll < 0.71:  # approximate: the year as remembered, a year or two off at times
        year = born.year + rng.choice((0, 0, -1, 1, -2, 2))
        return rng.choice((f"{year}?", f"约{year}年", f"c. {year}", f"ca {year}"))
    if roll < 0.76:
        return f"{born.year:04d}-{born.month:02d}"
    digits = list(born.strftime("%Y%m%d"))
    kind = rng.random()
    if kind < 0.4:  # two neighbouring digits transposed
        position = rng.choice((2, 4, 6))
        digits[position], digits[position + 1] = digits[position + 1], digits[position]
    elif kind < 0.8:  # one keystroke off
        position = rng.choice((3, 5, 6, 7))
        digits[position] = str((int(digits[position]) + rng.choice((1, -1))) % 10)
    else:  # day and month swapped, or a day out
        if born.day <= 12:
            digits = list(f"{born.year:04d}{born.day:02d}{born.month:02d}")
        else:
            digits = list((born + datetime.timedelta(days=rng.choice((1, -1)))).strftime("%Y%m%d"))
    text = "".join(digits)
    return f"{text[:4]}-{text[4:6]}-{text[6:]}"


def _document(person: HardPerson, rng: random.Random) -> str:
    if rng.random() >= 0.4:
        return ""
    number = person.resident_id
    if rng.random() < 0.18:  # misread: one digit wrong, the check no longer holds
        position = rng.randrange(17)
        digit = str((int(number[position]) + rng.randrange(1, 10)) % 10)
        number = number[:position] + digit + number[position + 1 :]
    return number


def make_registration(person: HardPerson, record_id: str, rng: random.Random) -> PersonRecord:
    """One registration of a person, typed as a registrar types it."""
    forms = [rng.choices(NAME_FORMS, weights=_FORM_WEIGHTS)[0]]
    if rng.random() < 0.35:
        second = rng.choices(NAME_FORMS, weights=_FORM_WEIGHTS)[0]
        if _SCRIPT[second] != _SCRIPT[forms[0]]:
            forms.append(second)
    typed = [_typed_names(person, form, rng) for form in forms]
    # a record holds one name per script: the registration form has one pair of fields
    # per script, so a second form in a script already typed is dropped
    family, given = typed[0]
    extra = typed[1:] if len(typed) > 1 else []
    sex: str | None = person.sex if rng.random() >= 0.05 else None
    if sex and rng.random() < 0.01:
        sex = "MF"[sex == "M"]
    attributes = {"birth_place": _typed_place(person, rng)} if rng.random() < 0.7 else {}
    record = PersonRecord.from_typed(
        record_id,
        family,
        given,
        sex=sex,
        birth_date=_date_text(person.birth_date, rng),
        document_number=_document(person, rng),
        attributes=attributes,
    )
    for other_family, other_given in extra:
        other = PersonRecord.from_typed(record_id, other_family, other_given)
        filled = {
            name: getattr(other, name)
            for name in (
                "family_hanzi",
                "given_hanzi",
                "family_hangul",
                "given_hangul",
                "family_latin",
                "given_latin",
            )  # fmt: skip
            if getattr(other, name) and not getattr(record, name)
        }
        if filled:
            record = _replace(record, filled)
    return record


def _replace(record: PersonRecord, values: dict[str, Any]) -> PersonRecord:
    from dataclasses import replace

    return replace(record, **values)


def generate_hard_registry(record_count: int, *, seed: int = 17) -> HardRegistry:
    """About record_count registrations of persons in families, with hard negatives."""
    rng = random.Random(seed)
    registry = HardRegistry()
    next_id = 0
    while len(registry.records) < record_count:
        people, negatives = make_family(rng, next_id)
        next_id += len(people) + 1
        for a, b, kind in negatives:
            registry.hard_negatives[(a, b) if a < b else (b, a)] = kind
        for person in people:
            count = rng.choices((1, 2, 3, 4, 5), weights=(30, 35, 18, 10, 7))[0]
            for _ in range(count):
                record_id = f"R{len(registry.records)}"
                registry.records.append(make_registration(person, record_id, rng))
                registry.person_of[record_id] = person.person_id
    return registry


def registrations_in_order(registry: HardRegistry) -> Iterator[tuple[PersonRecord, str]]:
    """The registrations shuffled as they arrive at a station, with their person."""
    rng = random.Random(len(registry.records))
    order = list(range(len(registry.records)))
    rng.shuffle(order)
    for position in order:
        record = registry.records[position]
        yield record, registry.person_of[record.record_id]
