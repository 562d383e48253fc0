"""Column-wise comparison of birth dates and document numbers: compare_birth_dates' and
compare_documents' levels for many pairs at once, from integer columns (the texts only
where a slip of one character has to be told apart)."""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
from rapidfuzz.distance import OSA

if TYPE_CHECKING:
    from identity.engine.columns import RecordColumns

DATE_LEVELS = (
    "missing",
    "exact",
    "one_day",
    "day_month_swapped",
    "year_off",
    "year_only",
    "approximate_near",
    "different",
    "digit_typo",
    "year_month",
    "year_near",
    "two_slips",
    "year_transposed",
)
_DIFFERENT = DATE_LEVELS.index("different")
_TWO_SLIPS = DATE_LEVELS.index("two_slips")
_YEAR_TRANSPOSED = DATE_LEVELS.index("year_transposed")


def _year_typo(year_a: np.ndarray, year_b: np.ndarray) -> np.ndarray:
    a, b = _year_digits(year_a), _year_digits(year_b)
    one_digit = (a != b).sum(axis=0) <= 1
    return (np.abs(year_a - year_b) == 1) | one_digit | _one_transposition(a, b)


def _year_digits(year: np.ndarray) -> np.ndarray:
    """(4, years) digits of each year."""
    return np.stack([(year // 10**k) % 10 for k in (3, 2, 1, 0)])


def _one_transposition(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Per row of digit arrays (width, rows): a is b with two neighbouring digits swapped,
    and nothing else differs."""
    swapped = (a[:-1] != b[:-1]) & (a[:-1] == b[1:]) & (a[1:] == b[:-1])
    return ((a != b).sum(axis=0) == 2) & swapped.any(axis=0)


def years_transposed_of(year_a: np.ndarray, year_b: np.ndarray) -> np.ndarray:
    """dates.years_transposed for arrays of years."""
    return _one_transposition(_year_digits(year_a), _year_digits(year_b))


def _date_digits(year: np.ndarray, month: np.ndarray, day: np.ndarray) -> np.ndarray:
    """(8, pairs) digits of YYYYMMDD."""
    number = year * 10_000 + month * 100 + day
    return np.stack([(number // 10**k) % 10 for k in range(7, -1, -1)])


def _digit_typo(
    ya: np.ndarray,
    ma: np.ndarray,
    da: np.ndarray,
    yb: np.ndarray,
    mb: np.ndarray,
    db: np.ndarray,
    rows: np.ndarray,
) -> np.ndarray:
    """compare_birth_dates' digit_typo: the YYYYMMDD strings one substitution or one
    transposition of neighbouring digits apart."""
    typo = np.zeros(len(rows), dtype=bool)
    # Two such dates differ by d * 10^k (d below 10) or, transposed, by 9 * d * 10^k: the
    # digits are compared only where the difference has that form (most pairs of a
    # registry's blocks are years apart).
    number_a = ya[rows] * 10_000 + ma[rows] * 100 + da[rows]
    number_b = yb[rows] * 10_000 + mb[rows] * 100 + db[rows]
    difference = np.abs(number_a - number_b)
    for _ in range(8):
        ends_in_zero = (difference % 10 == 0) & (difference > 0)
        difference = np.where(ends_in_zero, difference // 10, difference)
    maybe = np.flatnonzero((difference <= 9) | ((difference % 9 == 0) & (difference <= 81)))
    rows = rows[maybe]
    a = _date_digits(ya[rows], ma[rows], da[rows])
    b = _date_digits(yb[rows], mb[rows], db[rows])
    typo[maybe] = ((a != b).sum(axis=0) == 1) | _one_transposition(a, b)
    return typo


_NIBBLE_SHIFTS = np.arange(28, -1, -4, dtype=np.uint32)
_LOW_BITS = np.uint32(0x11111111)  # the lowest bit of each of the eight digits
_SUM_NIBBLES = np.uint32(0x11111111)


def packed_date_digits(year: np.ndarray, month: np.ndarray, day: np.ndarray) -> np.ndarray:
    """Each YYYYMMDD as eight 4-bit digits in a uint32 (read for complete dates only): the
    digits two dates differ in are counted with a few operations on whole columns."""
    digits = _date_digits(year, month, day).astype(np.uint32)
    return np.bitwise_or.reduce(digits << _NIBBLE_SHIFTS[:, None], axis=0).astype(np.uint32)


def _nonzero_digits(packed: np.ndarray) -> np.ndarray:
    """The lowest bit of each 4-bit digit set where that digit is not 0."""
    return (packed | (packed >> 1) | (packed >> 2) | (packed >> 3)) & _LOW_BITS


def _count(flags: np.ndarray) -> np.ndarray:
    """How many digits' lowest bits are set: summed into the top four bits by one product
    (which wraps at 32 bits)."""
    return (flags * _SUM_NIBBLES) >> np.uint32(28)


def two_slips_of(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """dates.two_slips for packed digits (packed_date_digits): two positions differ at most,
    or three of which two are a transposition, or four that are two transpositions."""
    differing_flags = _nonzero_digits(a ^ b)
    differing = _count(differing_flags)
    # digit j of a is digit j+1 of b and the other way round, and the two differ: a
    # transposition of neighbours (the top digit has no neighbour above it)
    transposed = (
        ~_nonzero_digits(a ^ (b >> 4))
        & ~_nonzero_digits((a >> 4) ^ b)
        & differing_flags
        & np.uint32(0x01111111)
    )
    transpositions = _count(transposed)
    # two transpositions apart from each other, not sharing a digit
    apart = (transpositions >= 3) | (
        (transpositions == 2) & ((transposed & (transposed << np.uint32(4))) == 0)
    )
    return (differing <= 2) | ((differing == 3) & (transposed != 0)) | ((differing == 4) & apart)


def _graded_differences(
    c: RecordColumns,
    left: np.ndarray,
    right: np.ndarray,
    levels: np.ndarray,
    years: tuple[np.ndarray, np.ndarray],
    months: tuple[np.ndarray, np.ndarray],
    complete: np.ndarray,
) -> None:
    """Dates still "different": two slips apart across the year (complete dates of two
    years), or a year's digits transposed beside a date known in part whose months do not
    disagree."""
    ya, yb = years
    different = levels == _DIFFERENT
    rows = np.flatnonzero(different & complete & (ya != yb))
    if len(rows):
        slips = two_slips_of(c.date_packed[left[rows]], c.date_packed[right[rows]])
        levels[rows[slips]] = _TWO_SLIPS
    # two years whose neighbouring digits are transposed are a multiple of 9 apart
    rows = np.flatnonzero(different & ~complete & ((ya - yb) % 9 == 0))
    if len(rows):
        ma, mb = months[0][rows], months[1][rows]
        months_agree = (ma < 0) | (mb < 0) | (ma == mb)
        transposed = years_transposed_of(ya[rows], yb[rows])
        levels[rows[months_agree & transposed]] = _YEAR_TRANSPOSED


def date_levels(c: RecordColumns, left: np.ndarray, right: np.ndarray) -> np.ndarray:
    """Levels of compare_birth_dates; the rules are applied lowest priority first so that
    the first matching rule there is the one that stays, and the year-typo test runs only
    on the few pairs that agree on day and month."""
    ya, yb, ma, mb = c.year[left], c.year[right], c.month[left], c.month[right]
    da, db, oa, ob = c.day[left], c.day[right], c.ordinal[left], c.ordinal[right]
    complete = (da >= 0) & (db >= 0)
    same_year = ya == yb
    same_day_month = (ma == mb) & (da == db)
    levels = np.full(len(left), 7, dtype=np.int64)
    typo = np.flatnonzero(complete & same_day_month & ~same_year)
    different = np.flatnonzero(complete & ~same_day_month | complete & ~same_year)
    levels[different[_digit_typo(ya, ma, da, yb, mb, db, different)]] = 8
    levels[typo[_year_typo(ya[typo], yb[typo])]] = 4
    levels[complete & same_year & (ma == db) & (da == mb)] = 3
    levels[complete & (oa >= 0) & (ob >= 0) & (np.abs(oa - ob) == 1)] = 2
    levels[complete & same_year & same_day_month] = 1
    incomplete = ~complete
    near = incomplete & (np.abs(ya - yb) <= 2)
    levels[near] = np.where(c.approximate[left] | c.approximate[right], 6, 10)[near]
    levels[incomplete & same_year & ((ma < 0) | (mb < 0))] = 5
    levels[incomplete & same_year & (ma >= 0) & (ma == mb)] = 9
    _graded_differences(c, left, right, levels, (ya, yb), (ma, mb), complete)
    levels[(ya < 0) | (yb < 0)] = 0
    return levels


DOCUMENT_LEVELS = ("missing", "exact", "typo", "different", "conflict")


def document_levels_of(c: RecordColumns, left: np.ndarray, right: np.ndarray) -> np.ndarray:
    """compare_documents' levels (indexes into DOCUMENT_LEVELS)."""
    da, db = c.document[left], c.document[right]
    present = (da >= 0) & (db >= 0)
    both_valid = c.document_valid[left] & c.document_valid[right]
    levels = np.where(~present, 0, np.where(da == db, 1, np.where(both_valid, 4, 3)))
    maybe_typo = np.flatnonzero(levels == 3)
    if len(maybe_typo):
        texts_a = c.document_text[left[maybe_typo]].tolist()
        texts_b = c.document_text[right[maybe_typo]].tolist()
        # one character misread or two neighbours transposed, as compare_documents
        close = np.array(
            [
                len(a) == len(b) and OSA.distance(a, b) <= 1
                for a, b in zip(texts_a, texts_b, strict=True)
            ]
        )
        levels[maybe_typo[close]] = 2
    return levels
