"""Every comparable form of a name, derived from whatever the registrar typed.

A name may arrive as Hanzi (安在秀), Hangul (안재수 / 리재수), pinyin (An Zaixiu) or a Korean
romanisation (An Jae-su, An Chae-su, Ahn Jae Soo). `derive_name_forms` turns any mix of
those into the forms that can be compared across records and stored in indexed columns.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, fields
from functools import lru_cache
from typing import Any

from hanja.table import hanja_table
from pypinyin import lazy_pinyin

from identity.engine.phonetic import (
    breve_vowels,
    first_romanized_syllables,
    is_hangul,
    is_hanzi,
    korean_key,
    normalize_latin,
    pinyin_key,
)
from identity.engine.readings import (
    first_syllable_readings,
    korean_readings_of_pinyin,
    normalize_hangul_name,
)
from identity.engine.romanize import revised_romanization
from identity.engine.surnames import (
    apply_initial_sound_law,
    hanzi_surname_hangul,
    split_hangul_surname,
    split_hanzi_surname,
    surname_keys_from_hangul,
    surname_keys_from_hanzi,
    surname_keys_from_latin,
    surname_pinyin,
    surname_spelling_rank,
)


@dataclass(frozen=True, slots=True)
class NameForms:
    """All comparable forms of one person's name; tuples are sorted and free of repeats.

    surname_keys are crosswalk keys (South Korean Hangul reading, "~..." for surnames not
    in the table). *_phonetic are `korean_key` values that bring RR, McCune-Reischauer and
    informal spellings together; *_pinyin are toneless pinyin, including typed Latin
    text because a typed "Zaixiu" may be pinyin. given_readings are candidate Hangul
    readings of a typed pinyin given name (every syllable with the initial-sound law
    applied), given_hangul_syllables the Hangul forms normalised the same way so the two
    compare directly (`reading_phonetic_keys` gives the readings' phonetic keys, on
    demand); given_first_syllable_keys are phonetic keys of the given name's first
    syllable, for blocking.
    """

    family_hanzi: str = ""
    given_hanzi: str = ""
    family_hangul: tuple[str, ...] = ()
    given_hangul: tuple[str, ...] = ()
    family_pinyin: tuple[str, ...] = ()
    given_pinyin: tuple[str, ...] = ()
    family_rr: tuple[str, ...] = ()
    given_rr: tuple[str, ...] = ()
    family_phonetic: tuple[str, ...] = ()
    given_phonetic: tuple[str, ...] = ()
    surname_keys: tuple[str, ...] = ()
    family_latin: str = ""
    given_latin: str = ""
    given_readings: tuple[str, ...] = ()
    given_hangul_syllables: tuple[str, ...] = ()
    given_first_syllable_keys: tuple[str, ...] = ()
    # the Latin name was typed whole and its order could not be told: the other order is
    # compared too (PreparedRecord.swapped_names)
    order_unsure: bool = False
    # McCune-Reischauer breve vowels of a Latin given name ("Hye-yŏng": "ŏ"): which Hangul
    # vowel they stand for is certain (phonetic.breve_vowels)
    given_breves: str = ""

    @property
    def full_hanzi(self) -> str:
        """Hanzi full name when both parts are known, else empty."""
        if self.family_hanzi and self.given_hanzi:
            return self.family_hanzi + self.given_hanzi
        return ""

    @classmethod
    def from_dict(cls, data: dict[str, object]) -> NameForms:
        """The inverse of to_dict: stored forms back into NameForms (unknown keys ignored)."""
        fields = cls.__dataclass_fields__
        values: dict[str, Any] = {
            name: tuple(value) if type(value) is list else value
            for name, value in data.items()
            if name in fields
        }
        return cls(**values)

    def to_dict(self) -> dict[str, object]:
        """Plain dict (tuples become lists) for JSON or ORM columns."""
        # Flat fields of strings and tuples of strings: no need for asdict's deep copy,
        # which cost more than deriving the forms when a whole registry is keyed.
        # Empty fields are left out (from_dict gives them their defaults): most of a name's
        # forms are empty, and a million stored forms are read at each batch.
        values = ((field.name, getattr(self, field.name)) for field in fields(self))
        return {
            key: list(value) if isinstance(value, tuple) else value
            for key, value in values
            if value
        }


def _sorted_unique(values: list[str]) -> tuple[str, ...]:
    return tuple(sorted({value for value in values if value}))


@lru_cache(maxsize=65536)
def given_hanzi_hangul(hanzi: str) -> tuple[str, str]:
    """Korean readings of a Hanzi given name: (without initial-sound law, with it)."""
    raw = "".join(hanja_table.get(ch, ch) for ch in hanzi)
    return raw, apply_initial_sound_law(raw)


@lru_cache(maxsize=65536)
def given_hanzi_pinyin(hanzi: str) -> str:
    """Toneless pinyin of a Hanzi given name, syllables joined: 在秀 -> zaixiu."""
    return "".join(lazy_pinyin(hanzi))


@lru_cache(maxsize=65536)
def _family_forms(hanzi: str, hangul: str, latin: str) -> tuple[tuple[str, ...], ...]:
    hangul_forms: list[str] = []
    pinyin_forms: list[str] = []
    keys: set[str] = set()
    if hanzi:
        hangul_forms.extend(hanzi_surname_hangul(hanzi))
        pinyin_forms.append(surname_pinyin(hanzi))
        keys |= surname_keys_from_hanzi(hanzi)
    if hangul:
        hangul_forms.extend((hangul, apply_initial_sound_law(hangul)))
        hangul_keys = surname_keys_from_hangul(hangul)
        # the Southern reading 여 is 余 or 呂 (려): beside the Hanzi only the one it names
        keys = set(hangul_keys & keys) or (keys | hangul_keys)
    normalized_latin = normalize_latin(latin)
    if normalized_latin:
        pinyin_forms.append(pinyin_key(latin))
        latin_keys = surname_keys_from_latin(latin)
        # a Latin spelling is the most ambiguous script ("Qin" is 秦 진 or 琴 금): beside a
        # Hanzi or Hangul surname it only keeps the readings those agree with
        keys |= (latin_keys & keys) or latin_keys if keys else latin_keys
    rr_forms = [revised_romanization(form) for form in hangul_forms]
    phonetic = [korean_key(form) for form in rr_forms]
    if normalized_latin:
        phonetic.append(korean_key(normalized_latin))
    return (
        _sorted_unique(hangul_forms),
        _sorted_unique(pinyin_forms),
        _sorted_unique(rr_forms),
        _sorted_unique(phonetic),
        _sorted_unique(list(keys)),
    )


@lru_cache(maxsize=262144)
def _given_forms(hanzi: str, hangul: str, latin: str) -> tuple[tuple[str, ...], ...]:
    hangul_forms: list[str] = []
    pinyin_forms: list[str] = []
    if hanzi:
        hangul_forms.extend(given_hanzi_hangul(hanzi))
        pinyin_forms.append(given_hanzi_pinyin(hanzi))
    if hangul:
        hangul_forms.extend((hangul, apply_initial_sound_law(hangul)))
    normalized_latin = normalize_latin(latin)
    if normalized_latin:
        pinyin_forms.append(pinyin_key(latin))
    rr_forms = [revised_romanization(form) for form in hangul_forms]
    phonetic = [korean_key(form) for form in rr_forms]
    readings: tuple[str, ...] = ()
    first_syllables = [korean_key(revised_romanization(form[0])) for form in hangul_forms]
    if normalized_latin:
        phonetic.append(korean_key(normalized_latin))
        readings = korean_readings_of_pinyin(normalized_latin)
        first_syllables.extend(
            korean_key(revised_romanization(reading))
            for reading in first_syllable_readings(normalized_latin)
        )
        first_syllables.extend(korean_key(first) for first in first_romanized_syllables(latin))
    return (
        _sorted_unique(hangul_forms),
        _sorted_unique(pinyin_forms),
        _sorted_unique(rr_forms),
        _sorted_unique(phonetic),
        readings,
        _sorted_unique(first_syllables),
    )


@lru_cache(maxsize=65536)
def reading_phonetic_keys(given_latin: str) -> frozenset[str]:
    """Phonetic keys of a pinyin given name's candidate Hangul readings, to meet romanised
    Korean names: the readings as Hangul names are compared, and with the syllables after
    the first as written inside a name (Xuelong: 학룡, Hak-ryong; not only 학용).

    Computed on demand: a pinyin name has dozens of readings and most records never meet
    a romanised Korean name that needs them. Syllables are romanised one by one; the key
    ignores assimilation between syllables anyway.
    """
    if not given_latin:
        return frozenset()
    readings = {
        *korean_readings_of_pinyin(given_latin),
        *korean_readings_of_pinyin(given_latin, inner_as_written=True),
    }
    return frozenset(korean_key("".join(map(revised_romanization, r))) for r in readings)


@lru_cache(maxsize=262144)
def derive_name_forms(
    *,
    family_hanzi: str = "",
    given_hanzi: str = "",
    family_hangul: str = "",
    given_hangul: str = "",
    family_latin: str = "",
    given_latin: str = "",
) -> NameForms:
    """Derive every comparable form of a name from the parts the registrar typed.

    Any part may be empty. Hangul is derived from Hanzi with the surname overrides
    (金 -> 김) and both initial-sound-law variants (李 -> 리 and 이); pinyin uses surname
    readings (朴 -> piao); RR is derived from every Hangul form; phonetic keys come from RR
    and from typed Latin text.
    """
    family_hanzi, given_hanzi = family_hanzi.strip(), given_hanzi.strip()
    family_hangul, given_hangul = family_hangul.strip(), given_hangul.strip()
    family = _family_forms(family_hanzi, family_hangul, family_latin.strip())
    given = _given_forms(given_hanzi, given_hangul, given_latin.strip())
    return NameForms(
        family_hanzi=family_hanzi,
        given_hanzi=given_hanzi,
        family_hangul=family[0],
        given_hangul=given[0],
        family_pinyin=family[1],
        given_pinyin=given[1],
        family_rr=family[2],
        given_rr=given[2],
        family_phonetic=family[3],
        given_phonetic=given[3],
        surname_keys=family[4],
        family_latin=normalize_latin(family_latin),
        given_latin=normalize_latin(given_latin),
        given_readings=given[4],
        given_hangul_syllables=_sorted_unique([normalize_hangul_name(h) for h in given[0]]),
        given_first_syllable_keys=given[5],
        given_breves=breve_vowels(given_latin),
    )


def split_typed_name(family_name: str, given_name: str) -> dict[str, str]:
    """Sort typed family/given names into Hanzi/Hangul/Latin slots by their script.

    A Hanzi or Hangul full name typed into the family field alone (安在秀, 안재수) is split
    at the surname.
    """
    parts: dict[str, str] = {}
    family_name, given_name = family_name.strip(), given_name.strip()
    if family_name and not given_name and " " not in family_name and len(family_name) >= 2:
        if is_hanzi(family_name):
            family_name, given_name = split_hanzi_surname(family_name)
        elif is_hangul(family_name):
            family_name, given_name = split_hangul_surname(family_name)
    for slot, text in (("family", family_name), ("given", given_name)):
        if not text:
            continue
        script = "hanzi" if is_hanzi(text) else "hangul" if is_hangul(text) else "latin"
        parts[f"{slot}_{script}"] = text
    return parts


_CAPITALS = re.compile(r"^[A-Z][A-Z'\u2019-]+$")


def _known_surname(token: str) -> frozenset[str]:
    """Crosswalk keys of a Latin token that is a listed surname spelling, else empty."""
    keys = surname_keys_from_latin(token)
    return frozenset(key for key in keys if not key.startswith("~"))


def order_latin_name(
    family_latin: str, given_latin: str, hint_keys: frozenset[str] = frozenset()
) -> tuple[str, str, bool]:
    """(family, given, unsure) of a Latin name as a registrar typed it.

    A whole name in one field ("BAK JINSAN", "Bak, Jinsan", "Jinsan BAK", "Jinsan Bak") is
    split: at a comma (family first), at the word in capitals when the rest is not, at
    the end that is a known surname when the other is not, or where the surname the
    record gives in Hanzi or Hangul (hint_keys) is. Two fields typed into each other are
    put back the same way. unsure: no sign told the order apart (then family first).
    """
    family_latin, given_latin = family_latin.strip(), given_latin.strip()
    if not family_latin and given_latin:
        family_latin, given_latin = given_latin, ""
    if not family_latin:
        return "", given_latin, False
    if given_latin:
        family_keys, given_keys = _known_surname(family_latin), _known_surname(given_latin)
        if hint_keys and (given_keys & hint_keys) and not (family_keys & hint_keys):
            return given_latin, family_latin, False
        if given_keys and not family_keys and " " not in given_latin:
            return given_latin, family_latin, False
        # two fields typed are taken as typed unless the surname shows in the other one;
        # two single words that are both surnames ("Jun" / "Gim", "Hong" / "Yeo") may be
        # typed into each other's field as well: unsure, unless the hint settles it
        both_surnames = bool(family_keys) and bool(given_keys) and not family_keys & hint_keys
        single_words = " " not in family_latin and " " not in given_latin
        return family_latin, given_latin, both_surnames and single_words
    if "," in family_latin:
        family, _, given = family_latin.partition(",")
        return family.strip(), given.strip(), False
    tokens = family_latin.split()
    if len(tokens) < 2:
        return family_latin, "", False
    first, last = tokens[0], tokens[-1]
    head = (first, " ".join(tokens[1:]))
    tail = (last, " ".join(tokens[:-1]))
    # a one-letter word (I, O, U: 이, 오, 우 in the Revised Romanisation) is the same in
    # capitals and in title case, so it cannot be the word typed in capitals
    capitals = [bool(_CAPITALS.match(token)) if len(token) > 1 else None for token in tokens]
    if capitals[0] is True and capitals[-1] is False:
        return *head, False
    if capitals[-1] is True and capitals[0] is False:
        return *tail, False
    first_keys, last_keys = _known_surname(first), _known_surname(last)
    if hint_keys:
        if first_keys & hint_keys and not last_keys & hint_keys:
            return *head, False
        if last_keys & hint_keys and not first_keys & hint_keys:
            return *tail, False
    first_rank, last_rank = surname_spelling_rank(first), surname_spelling_rank(last)
    if first_rank > last_rank:
        return *head, first_rank < 2 or last_rank > 0
    if last_rank > first_rank:
        return *tail, last_rank < 2 or first_rank > 0
    return *head, True
