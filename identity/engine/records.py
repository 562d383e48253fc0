"""Input records of the engine and their prepared (derived, normalised) form."""

from __future__ import annotations

import datetime
import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from functools import lru_cache
from typing import Any

from identity.engine.idnumber import ResidentId, normalize_document_number, parse_resident_id
from identity.engine.names import (
    NameForms,
    derive_name_forms,
    order_latin_name,
    split_typed_name,
)
from identity.engine.places import (
    PLACE_ATTRIBUTES,
    PLACE_PREFIX,
    place_code,
    place_key,
    resident_id_county,
)
from identity.engine.surnames import surname_keys_from_hangul, surname_keys_from_hanzi

_DATE_PATTERN = re.compile(r"^\s*(\d{4})(?:[-./]?(\d{1,2})(?:[-./]?(\d{1,2}))?)?\s*$")
# "1953?", "约1953年", "c. 1953", "ca 1953", "about 1953", "~1953", "1953경", "대략 1953년"
_APPROXIMATE = re.compile(
    r"^\s*(?:c\.?|ca\.?|circa|about|approx\.?|around|~|约|約|大约|大約|대략|약)?\s*(\d{4})\s*"
    r"(?:年|년)?\s*(?:\?|？|左右|前后|前後|경|쯤|무렵)?\s*$",
    re.IGNORECASE,
)
_YEAR_ONLY = re.compile(r"^\s*(\d{4})\s*[年년]\s*$")
_CJK_DATE = re.compile(r"^\s*(\d{4})\s*[年년]\s*(\d{1,2})\s*[月월]\s*(?:(\d{1,2})\s*[日일])?\s*$")
_PUNCTUATION = re.compile(r"[^\w]+")


@lru_cache(maxsize=65536)
def normalize_attribute(value: str) -> str:
    """Lower case, punctuation folded into single spaces; digits and CJK kept."""
    return _PUNCTUATION.sub(" ", unicodedata.normalize("NFKC", value).lower()).strip()


@dataclass(frozen=True, slots=True)
class BirthDate:
    """A date of birth that may be approximate: year only, or year and month."""

    year: int
    month: int | None = None
    day: int | None = None
    # the year as remembered ("about 1953"): compared as within two years
    approximate: bool = False

    @classmethod
    def parse(cls, value: str | datetime.date | BirthDate | None) -> BirthDate | None:
        """Read "1935-03-07", "19350307", "1935-03", "1935", "1935年3月7日", an approximate
        year ("1935?", "约1935年", "c. 1935") or a date; None if empty or unreadable."""
        if value is None or isinstance(value, BirthDate):
            return value
        if isinstance(value, datetime.date):
            return cls(value.year, value.month, value.day)
        text = str(value)
        cjk = _CJK_DATE.match(text)
        if cjk:
            text = "-".join(part for part in cjk.groups() if part)
        year_only = _YEAR_ONLY.match(text)
        if year_only:
            return cls(int(year_only.group(1)))
        match = _DATE_PATTERN.match(text)
        if not match or not text.strip():
            approximate = _APPROXIMATE.match(text)
            if approximate and text.strip() != approximate.group(1):
                return cls(int(approximate.group(1)), approximate=True)
            return None
        year, month, day = (int(part) if part else None for part in match.groups())
        assert year is not None
        if month is not None and not 1 <= month <= 12:
            return cls(year)
        if day is not None and not 1 <= day <= 31:
            return cls(year, month)
        return cls(year, month, day)

    @property
    def is_complete(self) -> bool:
        return self.month is not None and self.day is not None

    def as_date(self) -> datetime.date | None:
        """The calendar date, or None when approximate or impossible (31 February)."""
        if not self.is_complete:
            return None
        try:
            return datetime.date(self.year, self.month or 1, self.day or 1)
        except ValueError:
            return None

    def __str__(self) -> str:
        if self.approximate:
            return f"~{self.year:04d}"
        if self.is_complete:
            return f"{self.year:04d}-{self.month:02d}-{self.day:02d}"
        if self.month is not None:
            return f"{self.year:04d}-{self.month:02d}"
        return f"{self.year:04d}"


@dataclass(frozen=True, slots=True)
class PersonRecord:
    """One registration of a person, as typed; every field but record_id may be empty.

    attributes holds further comparable facts (birth place, father's name, address...):
    agreement on one of them counts as identifying evidence beyond name and birth date.
    source names the registry a record comes from, for linking one registry to another.
    """

    record_id: str
    family_hanzi: str = ""
    given_hanzi: str = ""
    family_hangul: str = ""
    given_hangul: str = ""
    family_latin: str = ""
    given_latin: str = ""
    sex: str | None = None  # "M", "F" or None
    birth_date: BirthDate | None = None
    document_number: str = ""
    attributes: Mapping[str, str] = field(default_factory=dict)
    source: str = ""

    @classmethod
    def from_typed(
        cls,
        record_id: str,
        family_name: str = "",
        given_name: str = "",
        *,
        sex: str | None = None,
        birth_date: str | datetime.date | BirthDate | None = None,
        document_number: str = "",
        attributes: Mapping[str, str] | None = None,
        source: str = "",
    ) -> PersonRecord:
        """Build a record from names in any script; the script of each part is detected."""
        return cls(
            record_id=str(record_id),
            sex=_normalize_sex(sex),
            birth_date=BirthDate.parse(birth_date),
            document_number=document_number or "",
            attributes=dict(attributes or {}),
            source=source,
            **split_typed_name(family_name, given_name),
        )

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> PersonRecord:
        """Build a record from a dict with this class's field names (extra keys ignored)."""
        known = {name: data[name] for name in cls.__dataclass_fields__ if name in data}
        known["record_id"] = str(known["record_id"])
        known["birth_date"] = BirthDate.parse(known.get("birth_date"))
        known["sex"] = _normalize_sex(known.get("sex"))
        for name in (
            "family_hanzi",
            "given_hanzi",
            "family_hangul",
            "given_hangul",
            "family_latin",
            "given_latin",
            "document_number",
            "source",
        ):
            known[name] = known.get(name) or ""
        known["attributes"] = dict(known.get("attributes") or {})
        return cls(**known)


def _normalize_sex(sex: str | None) -> str | None:
    if not sex:
        return None
    initial = str(sex).strip().upper()[:1]
    return {"M": "M", "F": "F", "남": "M", "여": "F", "男": "M", "女": "F"}.get(initial)


@dataclass(frozen=True, slots=True)
class PreparedRecord:
    """A record with its derived forms, ready to be indexed and compared.

    birth_date and sex fall back to what a valid resident ID encodes when not typed.
    """

    record: PersonRecord
    names: NameForms
    document_number: str
    resident_id: ResidentId | None
    birth_date: BirthDate | None
    sex: str | None
    attributes: Mapping[str, str]
    # the name with its Latin family and given parts the other way round, when the order
    # of a whole typed Latin name could not be told (both orders are compared)
    swapped_names: NameForms | None = None

    @property
    def record_id(self) -> str:
        return self.record.record_id

    def name_variants(self) -> tuple[PreparedRecord, ...]:
        """This record, and the same record read in the other name order if unsure."""
        if self.swapped_names is None:
            return (self,)
        return (self, replace(self, names=self.swapped_names, swapped_names=None))


def prepare_record(
    record: PersonRecord,
    names: NameForms | None = None,
    document: tuple[str, ResidentId | None] | None = None,
) -> PreparedRecord:
    """Derive names, normalise the document number and fill gaps from a resident ID.

    names: forms derived earlier from this record's names (stored beside a registry),
    which spares deriving them again; document: read_document(record.document_number),
    read earlier (a registry reads each distinct number once).
    """
    family_latin, given_latin, unsure = ordered_latin(record)
    if names is None:
        names = derive_name_forms(
            family_hanzi=record.family_hanzi,
            given_hanzi=record.given_hanzi,
            family_hangul=record.family_hangul,
            given_hangul=record.given_hangul,
            family_latin=family_latin,
            given_latin=given_latin,
        )
        if unsure:
            names = replace(names, order_unsure=True)
    swapped = None
    if names.order_unsure:
        other_family, other_given = other_latin_reading(record, family_latin)
        swapped = derive_name_forms(
            family_hanzi=record.family_hanzi,
            given_hanzi=record.given_hanzi,
            family_hangul=record.family_hangul,
            given_hangul=record.given_hangul,
            family_latin=other_family,
            given_latin=other_given,
        )
    document_number, resident_id = document or read_document(record.document_number)
    birth_date = birth_date_with_card(
        record.birth_date,
        BirthDate.parse(resident_id.birth_date) if resident_id is not None else None,
    )
    sex = typed_or_card_sex(record.sex, resident_id.sex if resident_id else None)
    attributes = prepare_attributes(record.attributes, document_number)
    return PreparedRecord(
        record=record,
        names=names,
        document_number=document_number,
        resident_id=resident_id,
        birth_date=birth_date,
        sex=sex,
        attributes=attributes,
        swapped_names=swapped,
    )


def typed_or_card_sex(typed: str | None, card: str | None) -> str | None:
    """The sex a record is compared on: as typed, else its resident ID's. A typed sex that
    its own valid ID contradicts tells nothing (one of the two is a slip, and a sex that
    differs blocks an automatic link): unknown."""
    if typed and card and typed != card:
        return None
    return typed or card


def card_completes(typed: BirthDate, card: BirthDate) -> bool:
    """A typed date that is only a year (or year and month), remembered or approximate,
    which the full date on a valid resident ID agrees with."""
    if typed.is_complete or not card.is_complete:
        return False
    if typed.approximate:
        return abs(card.year - typed.year) <= 2
    return card.year == typed.year and typed.month in (None, card.month)


def birth_date_with_card(typed: BirthDate | None, card: BirthDate | None) -> BirthDate | None:
    """The birth date a record compares on: as typed, or the date its valid resident ID
    encodes when none was typed or the typed one is a year the card makes exact (the card
    was read, the year was remembered); a card that contradicts a typed date is not used."""
    if card is None:
        return typed
    if typed is None or card_completes(typed, card):
        return card
    return typed


@lru_cache(maxsize=65536)
def _ordered_latin(
    family_latin: str, given_latin: str, family_hanzi: str, family_hangul: str
) -> tuple[str, str, bool]:
    hint = surname_keys_from_hanzi(family_hanzi) | surname_keys_from_hangul(family_hangul)
    return order_latin_name(family_latin, given_latin, hint)


def ordered_latin(record: PersonRecord) -> tuple[str, str, bool]:
    """The record's Latin (family, given, unsure), a whole typed name split and fields
    typed into each other put back (names.order_latin_name), with the surname the record
    gives in Hanzi or Hangul as the hint."""
    if not (record.family_latin or record.given_latin):
        return "", "", False
    return _ordered_latin(
        record.family_latin, record.given_latin, record.family_hanzi, record.family_hangul
    )


def other_latin_reading(record: PersonRecord, family_latin: str) -> tuple[str, str]:
    """(family, given) of an unsure whole Latin name split at its other end: "Yong Su Shin"
    read as Yong | Su Shin is otherwise Shin | Yong Su (a given name typed as two words
    before the surname), not Su Shin | Yong."""
    typed = (record.family_latin.strip() or record.given_latin.strip()).replace(",", " ")
    tokens = typed.split()
    if len(tokens) < 2:
        return record.given_latin.strip(), record.family_latin.strip()
    if family_latin == tokens[0]:
        return tokens[-1], " ".join(tokens[:-1])
    return tokens[0], " ".join(tokens[1:])


PLACE = "place"


def place_value(text: str) -> str:
    """A typed place as it compares: its division's code (@222401) when the gazetteer
    knows it, else its normalised text."""
    code = place_code(text)
    return place_key(code) if code else normalize_attribute(text)


def prepare_attributes(attributes: Mapping[str, str], document_number: str) -> dict[str, str]:
    """Attributes as they compare. A place, whatever it is called (birth_place,
    place_of_origin), becomes one attribute "place" holding its code; a record without a
    typed place takes the county that issued its resident ID (the first six digits)."""
    prepared: dict[str, str] = {}
    for name, value in attributes.items():
        if not value:
            continue
        if name in PLACE_ATTRIBUTES or name == PLACE:
            if normalized := place_value(str(value)):
                prepared[PLACE] = normalized
        elif normalized := normalize_attribute(str(value)):
            prepared[name] = normalized
    if PLACE not in prepared and len(document_number) in (15, 18):
        county = resident_id_county(document_number)
        if county:
            prepared[PLACE] = place_key(county)
    return prepared


def is_place_key(value: str) -> bool:
    return value.startswith(PLACE_PREFIX)


def read_document(document_number: str) -> tuple[str, ResidentId | None]:
    """The form a document number compares on, and the valid resident ID it is (or None)."""
    normalized = normalize_document_number(document_number)
    resident_id = parse_resident_id(normalized) if len(normalized) in (15, 18) else None
    return (resident_id.number if resident_id else normalized), resident_id
