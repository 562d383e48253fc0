"""Blocking keys: which records are worth comparing at all.

Two records are compared when they share at least one key. The key families are chosen
so that each kind of error a registrar makes leaves at least one family intact:

- ``doc``  document number                      (names and dates may all be wrong)
- ``hz``   exact Hanzi full name                 (date wrong, romanisation irrelevant)
- ``sd``   surname key + full birth date         (given name misspelt)
- ``sy``   surname key + sex + birth year, and the years beside it for a date not known
           to the day: a given name written so differently in two scripts that none of
           its keys agree (희길 / "Hooi Gil", 鎮姬 / "Chin Hooi") beside a date known only
           in part. Loose: only a surname's small blocks are compared (a few thousand
           records, or a rare surname in a large registry)
- ``ny0/ny1`` surname key + given-name key + birth year in overlapping 2-year buckets,
           so years one apart always share a bucket (date off by a day or a year); a
           year-only or approximate date also takes the years beside it (two apart meet)
- ``gmd``  given-name key + {day, month} as an unordered pair (surname written
           differently, day and month swapped)
- ``rmd``  a Sino-Korean reading of the given name + {day, month}: a pinyin name and a
           Korean one whose year was mistyped (1957 / 1975) or whose surname differs
- ``n``    surname key + given-name key, no date (records without a date of birth)
- ``nt``   surname key + given-name key + the birth year with its last two digits in
           order (1952 and 1925 both 1925): a year typed with two digits transposed is
           decades away from the true one, beyond any year bucket
- ``td``   first three letters of any name part's phonetic key or pinyin + full birth
           date (surname written differently, family and given names swapped)
- ``fd``   first given-name syllable's Korean key + full birth date, no surname (a
           pinyin-only name whose surname is misspelt)
- ``ga``   given-name key + one attribute value (birth place...), for dates that are
           wrong altogether
- ``da``   document number's characters sorted (two characters transposed)
- ``dm0..dm3`` document number with one window of it left out (one character misread:
           the rest still agrees; document_part_keys)
- ``sra``  surname key + a Sino-Korean reading of the given name (or a Korean phonetic
           key of a Latin-only one) + one attribute value, dated records: a pinyin name
           and a Korean one from one county whose dates disagree altogether (1947 / 1974)
- ``fr0/fr1`` surname key + a Sino-Korean reading of the given name (every syllable
           normalised) + 2-year bucket: a pinyin-only name and a Hangul name meet when one
           of the pinyin's candidate readings is the Hangul
- ``fk0/fk1`` surname key + Korean phonetic key + 2-year bucket, only for given names
           known in Latin letters alone: a pinyin-only name (through the phonetic keys of
           its candidate readings) meets a McCune-Reischauer or informal spelling

Given-name keys come in two namespaces: ``k`` (Korean phonetic key of RR/MR/informal)
and ``p`` (toneless pinyin), because a Hanzi name and a pinyin name only meet in pinyin.
"""

from __future__ import annotations

from identity.engine.names import NameForms, reading_phonetic_keys
from identity.engine.records import PreparedRecord

NO_DATE_FAMILY = "n"

# Families that leave out the surname, the date or the spelling itself (a given name and
# a place, a reading, sorted document characters, a whole Hanzi name without a date) are
# there for the rarer errors, and they pair many records that are not one person: at a
# million synthetic persons 3-29% of their pairs were true, against 33-99% for the others.
# A block of them as large as LOOSE_MAX_BLOCK says too little to be worth comparing: capped
# there, the batch compared 29% fewer pairs (34.1M -> 24.2M) and lost 704 of the 1,409,058
# true pairs it had found (0.05%); a record in such a block still meets its duplicates
# through its other keys. The surname-sex-year family (`sy`) made the cap 25: on the
# cross-script sets of 6,000 records no loose block is larger, and at a million it keeps
# `sy` to rare surnames.
LOOSE_FAMILIES = frozenset(
    {"sy", "ga", "gmd", "rmd", "sra", "fr0", "fr1", "fk0", "fk1", "da", "hz"}
)
LOOSE_MAX_BLOCK = 25


def family_max_block(family: str, max_block_size: int) -> int:
    """The largest block of a key family worth comparing, given the one for exact keys."""
    return loose_max_block(max_block_size) if family in LOOSE_FAMILIES else max_block_size


def loose_max_block(max_block_size: int) -> int:
    """The largest block of a loose family worth comparing."""
    return min(max_block_size, LOOSE_MAX_BLOCK)


def is_latin_only(record: PreparedRecord) -> bool:
    """True when the given name is known only in Latin letters (no Hangul, no Hanzi)."""
    names = record.names
    return bool(names.given_latin) and not names.given_hangul and not names.given_hanzi


def is_pinyin_only(record: PreparedRecord) -> bool:
    """True when the given name is known only as Latin text that reads as pinyin."""
    return given_is_pinyin_only(record.names)


def given_is_pinyin_only(names: NameForms) -> bool:
    return bool(names.given_readings) and not names.given_hangul and not names.given_hanzi


def given_name_keys(record: PreparedRecord) -> list[str]:
    """Namespaced given-name keys: Korean phonetic keys and pinyin."""
    names = record.names
    keys = [f"k{key}" for key in names.given_phonetic if key]
    keys.extend(f"p{pinyin}" for pinyin in names.given_pinyin if pinyin)
    return keys


def blocking_keys(record: PreparedRecord) -> list[str]:
    """Every blocking key of a record, each prefixed with its family and a colon; a record
    whose Latin name order is unsure has the keys of both orders."""
    if record.swapped_names is None:
        return _blocking_keys(record)
    first, second = record.name_variants()
    return list(dict.fromkeys(_blocking_keys(first) + _blocking_keys(second)))


def _blocking_keys(record: PreparedRecord) -> list[str]:
    keys: list[str] = []
    names = record.names
    if record.document_number:
        keys.append(f"doc:{record.document_number}")
        keys.append(f"da:{''.join(sorted(record.document_number))}")
        keys.extend(document_part_keys(record.document_number))
    if names.full_hanzi:
        keys.append(f"hz:{names.full_hanzi}")
    given_keys = given_name_keys(record)
    birth = record.birth_date
    latin_only = is_latin_only(record)
    latin_phonetic = (
        {*names.given_phonetic, *reading_phonetic_keys(names.given_latin)} if latin_only else set()
    )
    # an approximate or year-only date meets dates up to two years away: its year and
    # the years beside it are bucketed (two-year buckets, so two apart still meet)
    years: tuple[int, ...] = ()
    if birth is not None:
        years = (birth.year,)
        if not birth.is_complete:
            years = (birth.year - 1, birth.year, birth.year + 1)
    sexes = (record.sex,) if record.sex else ("M", "F")
    for surname in names.surname_keys:
        keys.extend(f"sy:{surname}|{sex}|{year}" for sex in sexes for year in years)
        if birth is not None and birth.is_complete:
            keys.append(f"sd:{surname}|{birth.year:04d}{birth.month:02d}{birth.day:02d}")
        transposable = birth is not None and birth.year % 10 != birth.year // 10 % 10
        for given in given_keys:
            keys.append(f"{NO_DATE_FAMILY}:{surname}|{given}")
            if transposable and birth is not None:
                keys.append(f"nt:{surname}|{given}|{transposed_year_key(birth.year)}")
            for year in years:
                keys.append(f"ny0:{surname}|{given}|{year // 2}")
                keys.append(f"ny1:{surname}|{given}|{(year + 1) // 2}")
        readings = {*names.given_hangul_syllables, *names.given_readings}
        for reading in readings:
            keys.append(f"{NO_DATE_FAMILY}:{surname}|r{reading}")
            if birth is not None:
                keys.append(f"fr0:{surname}|{reading}|{birth.year // 2}")
                keys.append(f"fr1:{surname}|{reading}|{(birth.year + 1) // 2}")
        if birth is not None and latin_only:
            for phonetic in latin_phonetic:
                keys.append(f"fk0:{surname}|{phonetic}|{birth.year // 2}")
                keys.append(f"fk1:{surname}|{phonetic}|{(birth.year + 1) // 2}")
    if birth is not None and birth.is_complete:
        low, high = sorted((birth.month or 0, birth.day or 0))
        # a pinyin name also meets a Korean romanisation through its readings' keys
        bridged = [f"k{key}" for key in sorted(latin_phonetic - set(names.given_phonetic))]
        keys.extend(f"gmd:{given}|{low:02d}{high:02d}" for given in given_keys + bridged)
        readings = {*names.given_hangul_syllables, *names.given_readings}
        keys.extend(f"rmd:{reading}|{low:02d}{high:02d}" for reading in sorted(readings))
        date = f"{birth.year:04d}{birth.month:02d}{birth.day:02d}"
        keys.extend(f"td:{token}|{date}" for token in _name_tokens(record))
        keys.extend(f"fd:{first}|{date}" for first in names.given_first_syllable_keys)
    spoken = {*names.given_hangul_syllables, *names.given_readings, *latin_phonetic}
    for name, value in sorted(record.attributes.items()):
        keys.extend(f"ga:{given}|{name}={value}" for given in given_keys)
        if birth is not None:
            keys.extend(
                f"sra:{surname}|{form}|{name}={value}"
                for surname in names.surname_keys
                for form in sorted(spoken)
            )
    return list(dict.fromkeys(keys))


MIN_DOCUMENT_FOR_PARTS = 9


def document_part_keys(number: str) -> list[str]:
    """The number with one window of it left out, for each of four windows covering it:
    a number misread in one character shares one of these with the number as it is
    (shorter numbers are too common). The last third is left out in two halves: a
    resident ID's first two thirds are only a county and a birth month, which thousands
    share at a million persons; its last digits (the day and sequence) make a key rare."""
    length = len(number)
    if length < MIN_DOCUMENT_FOR_PARTS:
        return []
    cuts = (0, length // 3, 2 * length // 3, 2 * length // 3 + length // 6, length)
    return [
        f"dm{window}:{length}|{number[: cuts[window]]}|{number[cuts[window + 1] :]}"
        for window in range(4)
    ]


def transposed_year_key(year: int) -> int:
    """The year with its last two digits in ascending order: a year and the same year
    typed with those two digits transposed share it (1952, 1925 -> 1925)."""
    tens, units = year // 10 % 10, year % 10
    return year - 10 * tens - units + 10 * min(tens, units) + max(tens, units)


def _name_tokens(record: PreparedRecord) -> set[str]:
    names = record.names
    forms = (
        *names.family_phonetic,
        *names.given_phonetic,
        *names.family_pinyin,
        *names.given_pinyin,
    )
    return {form[:3] for form in forms if len(form) >= 2}


def key_family(key: str) -> str:
    """The family of a blocking key: the part before the colon ('doc', 'sd', 'ny0'...)."""
    return key.split(":", 1)[0]
