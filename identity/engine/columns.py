"""Records as columns, for scoring many record pairs at once in batch deduplication.

`score_pair` builds reasons and costs ~0.1 ms a pair in Python; a registry of a million
records has tens of millions of blocked pairs. Here every record is reduced to integer
codes and representative strings (`RecordColumns`), and the name levels of whole arrays
of pairs follow `compare.py`, computed once per distinct pair of names. The score itself
is `column_score.py`; dates and documents are `column_dates.py`. The levels are the live
check's, so no pair is scored again one by one.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from identity.engine.blocking import given_is_pinyin_only
from identity.engine.column_dates import packed_date_digits
from identity.engine.compare import (
    OTHER_HANZI,
    FieldLevel,
    compare_family_forms,
    compare_given_forms,
    latin_only_family,
)
from identity.engine.names import NameForms
from identity.engine.phonetic import hangul_jamo
from identity.engine.readings import normalize_hangul_name
from identity.engine.records import PreparedRecord
from identity.engine.scoring import MatchModel
from identity.engine.surnames import surname_identity, surname_may_be_another
from identity.engine.table import RecordTable, birth_ordinals, table_of_records


def _codes(values: Sequence[str]) -> np.ndarray:
    """Integer code per value, -1 for an empty value."""
    codes, _ = pd.factorize(pd.Series(values, dtype=object).replace("", None))
    return codes.astype(np.int64)


@dataclass
class RecordColumns:
    """Per-record codes and strings that column-wise comparisons need."""

    table: RecordTable
    surnames: np.ndarray  # (records, MAX_FORMS) surname key codes, -1 padded
    surname_counts: np.ndarray  # form_counts(surnames)
    key_share: np.ndarray  # population share of each surname key code
    surname_share: np.ndarray
    has_family: np.ndarray
    family_hanzi: np.ndarray  # code of the Hanzi surname (surname_identity): 鄭 and 郑 are one
    # the surname is in Latin letters alone: beside a Hanzi surname it may be another's pinyin
    family_latin_only: np.ndarray
    family_phonetic: np.ndarray
    given_hanzi: np.ndarray
    given_hangul: np.ndarray
    given_hangul_text: np.ndarray
    given_keys: np.ndarray  # (records, MAX_FORMS) phonetic key codes, -1 padded
    given_key_text: np.ndarray
    given_pinyins: np.ndarray  # (records, MAX_FORMS) pinyin codes, -1 padded
    given_pinyin_counts: np.ndarray  # form_counts(given_pinyins)
    given_pinyin_text: np.ndarray
    has_given: np.ndarray
    pinyin_only: np.ndarray
    # the Latin given name has a McCune-Reischauer breve: a shared pinyin may still differ
    # from the other side's Hangul (compare.breve_contradiction)
    given_breve: np.ndarray
    year: np.ndarray
    month: np.ndarray
    day: np.ndarray
    approximate: np.ndarray
    # the digits of YYYYMMDD packed four bits each: dates two typing slips apart are told
    # by them
    date_packed: np.ndarray
    ordinal: np.ndarray
    sex: np.ndarray
    document: np.ndarray
    document_text: np.ndarray
    document_valid: np.ndarray
    attributes: dict[str, tuple[np.ndarray, np.ndarray]]
    # the Latin name order is unsure: only score_pair reads both orders
    order_unsure: np.ndarray
    # the surname is written in a spelling more than one surname shares (Cheng: 成 程)
    surname_may_differ: np.ndarray
    # levels of name pairs compared already, by comparison: a registry scored chunk by
    # chunk meets the same pairs of names in every chunk (5.1M comparisons at 1M persons)
    compared: dict[str, dict[int, int]] = field(default_factory=dict)

    @classmethod
    def build(
        cls, prepared: Sequence[PreparedRecord], share_of: Callable[[str], float]
    ) -> RecordColumns:
        return cls.from_table(table_of_records(prepared), share_of)

    @classmethod
    def from_table(cls, table: RecordTable, share_of: Callable[[str], float]) -> RecordColumns:
        """Name columns are derived once per distinct family or given name, then spread
        to the records by their codes."""
        families, givens = table.family_names, table.given_names
        family, given = table.family_codes, table.given_codes
        surname_lists = [forms.surname_keys for forms in families]
        hangul = [normalize_hangul_name(_first_of(forms.given_hangul)) for forms in givens]
        attributes = {}
        for name, texts in table.attributes.items():
            if (texts != "").any():
                attributes[name] = (_codes(texts), texts)
        surnames = _form_codes(surname_lists)[family]
        given_pinyins = _form_codes([forms.given_pinyin for forms in givens])[given]
        return cls(
            table=table,
            surnames=surnames,
            surname_counts=form_counts(surnames),
            key_share=_key_shares(surname_lists, share_of),
            surname_share=_highest_share(surname_lists, share_of)[family],
            has_family=np.array(
                [bool(f.family_hanzi or f.family_hangul or f.family_latin) for f in families],
                dtype=bool,
            )[family],
            family_hanzi=_codes(
                [surname_identity(f.family_hanzi) if f.family_hanzi else "" for f in families]
            )[family],
            family_latin_only=np.array([latin_only_family(f) for f in families], dtype=bool)[
                family
            ],
            family_phonetic=np.array(
                [_first_of(f.family_phonetic) for f in families], dtype=object
            )[family],
            given_hanzi=_codes([forms.given_hanzi for forms in givens])[given],
            given_hangul=_codes(hangul)[given],
            given_hangul_text=np.array([hangul_jamo(text) for text in hangul], dtype=object)[given],
            given_keys=_form_codes([forms.given_phonetic for forms in givens])[given],
            given_key_text=np.array(
                [_first_of(forms.given_phonetic) for forms in givens], dtype=object
            )[given],
            given_pinyins=given_pinyins,
            given_pinyin_counts=form_counts(given_pinyins),
            given_pinyin_text=np.array(
                [_first_of(forms.given_pinyin) for forms in givens], dtype=object
            )[given],
            has_given=np.array(
                [bool(g.given_hanzi or g.given_hangul or g.given_latin) for g in givens],
                dtype=bool,
            )[given],
            pinyin_only=np.array(
                [given_is_pinyin_only(forms) for forms in givens],
                dtype=bool,
            )[given],
            given_breve=np.array([bool(forms.given_breves) for forms in givens], dtype=bool)[given],
            year=table.year,
            month=table.month,
            day=table.day,
            approximate=table.approximate,
            date_packed=packed_date_digits(table.year, table.month, table.day),
            ordinal=birth_ordinals(table.year, table.month, table.day),
            sex=table.sex,
            document=_codes(table.document),
            document_text=table.document,
            document_valid=table.document_valid,
            attributes=attributes,
            order_unsure=np.array([f.order_unsure for f in families], dtype=bool)[family],
            surname_may_differ=np.array(
                [surname_may_be_another(f.surname_keys, f.family_hanzi) for f in families],
                dtype=bool,
            )[family],
        )


def _first_of(values: tuple[str, ...]) -> str:
    return values[0] if values else ""


MAX_FORMS = 12


def _form_codes(forms: Sequence[tuple[str, ...]]) -> np.ndarray:
    """Codes of every form of each record (as many columns as the most forms a record
    has, at most MAX_FORMS), -1 where a record has fewer."""
    kept = [values[:MAX_FORMS] for values in forms]
    codes, _ = _flat_codes(kept)
    lengths = np.fromiter(map(len, kept), dtype=np.int64, count=len(kept))
    width = max(int(lengths.max()) if len(lengths) else 1, 1)
    matrix = np.full((len(forms), width), -1, dtype=np.int64)
    rows = np.repeat(np.arange(len(forms)), lengths)
    columns = np.arange(len(codes)) - np.repeat(np.cumsum(lengths) - lengths, lengths)
    matrix[rows, columns] = codes
    return matrix


def _flat_codes(forms: Sequence[tuple[str, ...]]) -> tuple[np.ndarray, np.ndarray]:
    """Codes of every form of every record, in order, and the distinct forms."""
    flat = [value for values in forms for value in values]
    codes, uniques = pd.factorize(pd.Series(flat, dtype=object))
    return codes.astype(np.int64), np.asarray(uniques, dtype=object)


def _key_shares(
    surname_lists: Sequence[tuple[str, ...]], share_of: Callable[[str], float]
) -> np.ndarray:
    """Share of each surname key code (in _form_codes' numbering)."""
    _, uniques = _flat_codes([values[:MAX_FORMS] for values in surname_lists])
    return np.array([share_of(key) for key in uniques.tolist()] or [0.0], dtype=np.float64)


def _highest_share(
    surname_lists: Sequence[tuple[str, ...]], share_of: Callable[[str], float]
) -> np.ndarray:
    """Per record, the share of people carrying its most common surname key (0 if none);
    share_of is asked once per distinct key, not once per record."""
    codes, uniques = _flat_codes(surname_lists)
    shares = np.array([share_of(key) for key in uniques.tolist()], dtype=np.float64)
    lengths = np.fromiter(map(len, surname_lists), dtype=np.int64, count=len(surname_lists))
    highest = np.zeros(len(surname_lists))
    present = lengths > 0
    if present.any():
        starts = (np.cumsum(lengths) - lengths)[present]
        highest[present] = np.maximum.reduceat(shares[codes], starts)
    return highest


def surname_agreement(
    c: RecordColumns, left: np.ndarray, right: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Per pair, whether the two records share a surname key, and the highest population
    share among the keys they share, as score_pair weighs an exact surname (0 if none)."""
    pair, code = _shared_codes(c.surnames, c.surname_counts, left, right)
    shared = np.zeros(len(left), dtype=bool)
    shared[pair] = True
    highest = np.zeros(len(left))
    np.maximum.at(highest, pair, c.key_share[code])
    return shared, highest


def any_shared(
    codes: np.ndarray, left: np.ndarray, right: np.ndarray, counts: np.ndarray | None = None
) -> np.ndarray:
    """Pairs whose records have at least one form code in common (counts: form_counts of
    codes, when kept)."""
    pair, _ = _shared_codes(codes, form_counts(codes) if counts is None else counts, left, right)
    shared = np.zeros(len(left), dtype=bool)
    shared[pair] = True
    return shared


def form_counts(codes: np.ndarray) -> np.ndarray:
    """How many forms each record has (codes are -1 padded at the end)."""
    return (codes >= 0).sum(axis=1)


def _shared_codes(
    codes: np.ndarray, counts: np.ndarray, left: np.ndarray, right: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Every (pair, code) the two records of a pair have in common. Only the forms a
    record has are compared: most records have one to three, where comparing every
    column with every other cost 144 comparisons a pair."""
    count_a, count_b = counts[left], counts[right]
    combinations = count_a * count_b
    pair = np.repeat(np.arange(len(left)), combinations)
    within = np.arange(len(pair)) - np.repeat(np.cumsum(combinations) - combinations, combinations)
    width_b = np.maximum(count_b[pair], 1)
    code_a = codes[left[pair], within // width_b]
    same = code_a == codes[right[pair], within % width_b]
    return pair[same], code_a[same]


def levels_to_weights(
    model: MatchModel, field_name: str, levels: np.ndarray, names: Sequence[str]
) -> np.ndarray:
    table = np.array([model.weight(field_name, name) for name in names])
    return table[levels]


FAMILY_LEVELS = ("missing", "exact", "similar", "different", OTHER_HANZI)
GIVEN_LEVELS = ("missing", "exact", "phonetic", "reading", "close", "similar", "different")
GIVEN_DIFFERENT = GIVEN_LEVELS.index("different")


def _levels_by_name_pair(
    codes: np.ndarray,
    forms: Sequence[NameForms],
    left: np.ndarray,
    right: np.ndarray,
    compare: Callable[[NameForms, NameForms], FieldLevel],
    names: Sequence[str],
    compared: dict[int, int],
) -> np.ndarray:
    """The level compare() gives each pair, computed once per distinct pair of names
    (a registry's pairs repeat their names) and kept in compared: the batch and the live
    check share one definition of the comparison."""
    if len(left) == 0:
        return np.zeros(0, dtype=np.int64)
    a, b = codes[left], codes[right]
    low, high = np.minimum(a, b), np.maximum(a, b)
    width = len(forms) + 1
    keyed = low * width + high
    distinct, inverse = np.unique(keyed, return_inverse=True)
    position = {name: n for n, name in enumerate(names)}
    keys = distinct.tolist()
    for key in keys:
        if key not in compared:
            compared[key] = position[compare(forms[key // width], forms[key % width]).level]
    levels = np.array([compared[key] for key in keys], dtype=np.int64)
    return levels[inverse.reshape(-1)]


def family_levels(
    c: RecordColumns, left: np.ndarray, right: np.ndarray, shared: np.ndarray | None = None
) -> np.ndarray:
    """compare_family_forms' levels: pairs sharing a surname key and without two
    different Hanzi are exact at once; the rest are compared per distinct name pair.
    shared: surname_agreement's first half for these pairs, when the caller has it."""
    if shared is None:
        shared = any_shared(c.surnames, left, right, c.surname_counts)
    levels = np.where(shared, 1, 3)
    hanzi_a, hanzi_b = c.family_hanzi[left], c.family_hanzi[right]
    latin_a, latin_b = c.family_latin_only[left], c.family_latin_only[right]
    # a shared key is not yet exact between Hanzi and a Latin spelling alone (鄭 / Ding)
    other = np.flatnonzero(
        ~shared
        | ((hanzi_a >= 0) & (hanzi_b >= 0) & (hanzi_a != hanzi_b))
        | ((hanzi_a >= 0) & latin_b)
        | (latin_a & (hanzi_b >= 0))
    )
    levels[other] = _levels_by_name_pair(
        c.table.family_codes,
        c.table.family_names,
        left[other],
        right[other],
        compare_family_forms,
        FAMILY_LEVELS,
        c.compared.setdefault("family", {}),
    )
    levels[~(c.has_family[left] & c.has_family[right])] = 0
    return levels


def given_levels(c: RecordColumns, left: np.ndarray, right: np.ndarray) -> np.ndarray:
    """compare_given_forms' levels: agreement on the Hanzi or a pinyin form is exact
    at once; the rest are compared per distinct pair of given names."""

    def same(codes: np.ndarray) -> np.ndarray:
        return (codes[left] == codes[right]) & (codes[left] >= 0)

    # a shared pinyin between two different written names is compared in full (their
    # reading agrees, not the name); one name in two character sets is exact there too;
    # so is one beside a breve, which may contradict the other side's Hangul
    compared_in_full = (c.given_hanzi[left] >= 0) & (c.given_hanzi[right] >= 0)
    compared_in_full |= c.given_breve[left] | c.given_breve[right]
    shared_pinyin = any_shared(c.given_pinyins, left, right, c.given_pinyin_counts)
    exact = same(c.given_hanzi) | (shared_pinyin & ~compared_in_full)
    levels = np.where(exact, 1, 6)
    rest = np.flatnonzero(~exact)
    levels[rest] = _levels_by_name_pair(
        c.table.given_codes,
        c.table.given_names,
        left[rest],
        right[rest],
        compare_given_forms,
        GIVEN_LEVELS,
        c.compared.setdefault("given", {}),
    )
    levels[~(c.has_given[left] & c.has_given[right])] = 0
    return levels
