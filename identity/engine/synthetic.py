"""Seeded synthetic cross-script registrations of ethnic Koreans from China.

Each person has a Hanzi name, a birth date, a sex, a birth place and sometimes a resident
ID. Each of their 1-8 crossings is registered again, the name typed in one or two of the
forms a registrar meets (Hanzi, Hangul with or without the initial-sound law, pinyin, RR,
McCune-Reischauer, informal), with typos and the usual birth-date errors. The truth
(person of every record) comes with the records, so accuracy can be measured honestly.
"""

from __future__ import annotations

import datetime
import random
from collections.abc import Iterator
from dataclasses import dataclass
from itertools import accumulate

from identity.engine.idnumber import make_resident_id
from identity.engine.names import given_hanzi_hangul, given_hanzi_pinyin
from identity.engine.records import BirthDate, PersonRecord
from identity.engine.romanize import informal_romanization, mccune_reischauer, revised_romanization
from identity.engine.surnames import SURNAMES, hanzi_surname_hangul, surname_pinyin

GIVEN_NAME_CHARACTERS = (
    "永英明成哲光正春国東善順淑玉貞子秀在浩錫植龍鎮石洙昌俊敏賢惠蓮花姬美福吉鐘"
    "日月山海京炳相根泰泳世基學仁義忠孝德文武載鉉烈元弘亨範奎燦喜容珍熙愛麗香蘭"
    "桂仙女勝雲昊振宇承大寧安洪瑞玟"
)
BIRTH_PLACES = (
    "延吉",
    "龍井",
    "和龍",
    "圖們",
    "琿春",
    "汪清",
    "安圖",
    "敦化",
    "長白",
    "集安",
    "通化",
    "牡丹江",
    "寧安",
    "海林",
    "東寧",
    "五常",
    "尚志",
    "哈爾濱",
    "鷄西",
    "密山",
    "佳木斯",
    "吉林",
    "舒蘭",
    "蛟河",
    "瀋陽",
    "丹東",
    "撫順",
    "鐵嶺",
)
REGION_CODES = (
    "222401",
    "222402",
    "222403",
    "222404",
    "222405",
    "222406",
    "222424",
    "231084",
    "231085",
    "230184",
    "220581",
    "220582",
    "210602",
)
NAME_FORMS = ("hanzi", "hangul_north", "hangul_south", "pinyin", "rr", "mr", "informal")
_FORM_WEIGHTS = (0.22, 0.14, 0.14, 0.16, 0.12, 0.10, 0.12)
_SURNAME_CUMULATIVE = list(accumulate(surname.share for surname in SURNAMES))
_GIVEN_CUMULATIVE = list(accumulate(1 / (rank + 8) for rank in range(len(GIVEN_NAME_CHARACTERS))))


@dataclass(frozen=True, slots=True)
class SyntheticPerson:
    person_id: str
    family_hanzi: str
    given_hanzi: str
    sex: str
    birth_date: datetime.date
    birth_place: str
    resident_id: str


@dataclass(frozen=True, slots=True)
class ErrorRates:
    """Chances of each kind of error in one registration."""

    typo: float = 0.12
    second_form: float = 0.35
    day_off: float = 0.05
    day_month_swap: float = 0.04
    year_off: float = 0.04
    year_only: float = 0.06
    date_missing: float = 0.02
    sex_missing: float = 0.05
    birth_place_missing: float = 0.35
    birth_place_typo: float = 0.05
    document_present: float = 0.35
    document_typo: float = 0.03


def make_person(rng: random.Random, person_id: str) -> SyntheticPerson:
    """A person with a Zipf-like surname and given-name distribution (Kim is everywhere)."""
    surname = rng.choices(SURNAMES, cum_weights=_SURNAME_CUMULATIVE)[0]
    family_hanzi = rng.choice(surname.hanzi)
    length = 1 if rng.random() < 0.12 else 2
    given_hanzi = "".join(
        rng.choices(GIVEN_NAME_CHARACTERS, cum_weights=_GIVEN_CUMULATIVE, k=length)
    )
    born = datetime.date(1900, 1, 1) + datetime.timedelta(days=rng.randrange(0, 60 * 365))
    sex = rng.choice("MF")
    sequence = rng.randrange(0, 500) * 2 + (1 if sex == "M" else 0)
    return SyntheticPerson(
        person_id=person_id,
        family_hanzi=family_hanzi,
        given_hanzi=given_hanzi,
        sex=sex,
        birth_date=born,
        birth_place=rng.choice(BIRTH_PLACES),
        resident_id=make_resident_id(rng.choice(REGION_CODES), born, sequence),
    )


def _typo(text: str, rng: random.Random) -> str:
    if len(text) < 2:
        return text
    position = rng.randrange(len(text))
    if "\uac00" <= text[position] <= "\ud7a3":
        offset = ord(text[position]) - 0xAC00
        medial = (offset % 588) // 28
        new_medial = (medial + rng.choice((-1, 1, 4))) % 21
        replaced = chr(0xAC00 + offset - medial * 28 + new_medial * 28)
        return text[:position] + replaced + text[position + 1 :]
    kind = rng.randrange(3)
    if kind == 0 and position < len(text) - 1:
        return text[:position] + text[position + 1] + text[position] + text[position + 2 :]
    if kind == 1:
        return text[:position] + text[position + 1 :]
    return text[:position] + rng.choice("aeiounghkrsj") + text[position + 1 :]


def _render(person: SyntheticPerson, form: str, rng: random.Random) -> dict[str, str]:
    north_family, south_family = hanzi_surname_hangul(person.family_hanzi)
    north_given, south_given = given_hanzi_hangul(person.given_hanzi)
    if form == "hanzi":
        return {"family_hanzi": person.family_hanzi, "given_hanzi": person.given_hanzi}
    if form == "hangul_north":
        return {"family_hangul": north_family, "given_hangul": north_given}
    if form == "hangul_south":
        return {"family_hangul": south_family, "given_hangul": south_given}
    if form == "pinyin":
        family, given = surname_pinyin(person.family_hanzi), given_hanzi_pinyin(person.given_hanzi)
    elif form == "rr":
        family = revised_romanization(south_family)
        given = revised_romanization(south_given)
        given = given if rng.random() < 0.5 else "-".join(map(revised_romanization, south_given))
    elif form == "mr":
        family, given = mccune_reischauer(north_family), mccune_reischauer(north_given)
    else:
        family = _informal_surname(south_family, rng)
        given = informal_romanization(south_given, rng)
    return {"family_latin": family.capitalize(), "given_latin": given.capitalize()}


def _informal_surname(south_hangul: str, rng: random.Random) -> str:
    for surname in SURNAMES:
        if surname.key == south_hangul:
            return rng.choice(surname.latin)
    return revised_romanization(south_hangul)


def _reported_birth_date(
    born: datetime.date, rates: ErrorRates, rng: random.Random
) -> BirthDate | None:
    roll = rng.random()
    kind = "correct"
    for rate, error in (
        (rates.date_missing, "missing"),
        (rates.year_only, "year_only"),
        (rates.day_off, "day_off"),
        (rates.day_month_swap, "swap"),
        (rates.year_off, "year_off"),
    ):
        if roll < rate:
            kind = error
            break
        roll -= rate
    if kind == "correct":
        return BirthDate.parse(born)
    if kind == "missing":
        return None
    if kind == "year_only":
        return BirthDate(born.year)
    if kind == "day_off":
        return BirthDate.parse(born + datetime.timedelta(days=rng.choice((-1, 1))))
    if kind == "swap" and born.day <= 12:
        return BirthDate(born.year, born.day, born.month)
    return BirthDate(born.year + rng.choice((-1, 1)), born.month, born.day)


def make_registration(
    person: SyntheticPerson, record_id: str, rng: random.Random, rates: ErrorRates
) -> PersonRecord:
    """One registration of a person, with errors drawn from rates."""
    forms = [rng.choices(NAME_FORMS, weights=_FORM_WEIGHTS)[0]]
    if rng.random() < rates.second_form:
        forms.append(rng.choices(NAME_FORMS, weights=_FORM_WEIGHTS)[0])
    names: dict[str, str] = {}
    for form in forms:
        names.update(_render(person, form, rng))
    if rng.random() < rates.typo:
        slot = rng.choice(sorted(key for key in names if not key.endswith("hanzi")) or [""])
        if slot:
            names[slot] = _typo(names[slot], rng)
    attributes: dict[str, str] = {}
    if rng.random() >= rates.birth_place_missing:
        place = person.birth_place
        attributes["birth_place"] = place[:-1] if rng.random() < rates.birth_place_typo else place
    document = ""
    if rng.random() < rates.document_present:
        document = person.resident_id
        if rng.random() < rates.document_typo:
            document = _typo(document, rng)
    return PersonRecord(
        record_id=record_id,
        sex=None if rng.random() < rates.sex_missing else person.sex,
        birth_date=_reported_birth_date(person.birth_date, rates, rng),
        document_number=document,
        attributes=attributes,
        **names,
    )


def crossings_count(rng: random.Random) -> int:
    """1-8 registrations per person; most cross once or twice, a few seven or eight times."""
    return rng.choices(range(1, 9), weights=(40, 25, 12, 8, 5, 4, 3, 3))[0]


def generate_registry(
    record_count: int, *, seed: int = 1961, rates: ErrorRates | None = None
) -> Iterator[tuple[PersonRecord, str]]:
    """Yield (record, person_id) until record_count registrations are made."""
    rng = random.Random(seed)
    rates = rates or ErrorRates()
    produced = 0
    person_number = 0
    while produced < record_count:
        person = make_person(rng, f"P{person_number}")
        person_number += 1
        for _ in range(min(crossings_count(rng), record_count - produced)):
            yield make_registration(person, f"R{produced}", rng, rates), person.person_id
            produced += 1
