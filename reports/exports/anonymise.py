"""Anonymisation for exports of personal data: coarse birth dates, pseudonyms, masked numbers.

Transforms wrap columns (``anonymise_columns``), so they apply row by row inside the
streaming writers and never need the whole data set in memory.
"""

from __future__ import annotations

import hmac
import re
import secrets
import unicodedata
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import replace
from datetime import date, datetime
from typing import Any

from .columns import ColumnSpec, UnknownColumnError

CellTransform = Callable[[Any], Any]
_LETTER_OR_DIGIT = re.compile(r"[^\W_]")


def coarsen_birth_date(value: date | str | None, *, band_years: int = 1) -> str | None:
    """Reduce a date of birth to its year (``"1934"``) or a band (``"1930-1934"``).

    Bands are aligned to multiples of ``band_years`` so every export uses the same bands
    and figures from two exports can be compared. ISO date strings are accepted too.
    """
    if value is None or value == "":
        return None
    if isinstance(value, str):
        value = date.fromisoformat(value[:10])
    if isinstance(value, datetime):
        value = value.date()
    if band_years < 1:
        raise ValueError("band_years must be at least 1")
    if band_years == 1:
        return str(value.year)
    start = value.year - value.year % band_years
    return f"{start}-{start + band_years - 1}"


def mask_document_number(
    value: str | None, *, visible: int = 2, mask_char: str = "*"
) -> str | None:
    """Mask a document number, keeping only its last ``visible`` letters or digits.

    Separators stay where they are so the masked number still looks like the
    document type it came from; a number too short to hide anything is masked whole.
    """
    if value is None or value == "":
        return value
    text = str(value)
    # Walk back over the few characters to keep, then mask the rest in one C-level sub.
    split = len(text)
    kept = 0
    while split > 0 and kept < visible:
        split -= 1
        kept += _LETTER_OR_DIGIT.match(text, split) is not None
    head, tail = text[:split], text[split:]
    if not _LETTER_OR_DIGIT.search(head):  # nothing would stay hidden: hide everything
        return _LETTER_OR_DIGIT.sub(mask_char, text)
    return _LETTER_OR_DIGIT.sub(mask_char, head) + tail


def normalise_identity(value: Any) -> str:
    """Normalised text of a name or id, so spacing and case do not change a pseudonym."""
    return " ".join(unicodedata.normalize("NFKC", str(value)).casefold().split())


class Pseudonymiser:
    """Stable pseudonyms from a keyed HMAC-SHA256.

    The same input gives the same pseudonym for as long as the same key is used, so a
    person keeps one pseudonym throughout an export. By default each instance draws a
    fresh random key: two exports then cannot be joined on pseudonyms, and without the
    key nobody can test a guessed name against one. Pass a stored key only when a
    recipient must link successive exports, and treat that key as personal data.

    Pseudonymising by a person's id rather than their name is better where possible:
    one person's name in Hangul and in Hanzi would otherwise get two pseudonyms.
    """

    def __init__(self, key: bytes | None = None, *, prefix: str = "P-", length: int = 12) -> None:
        if key is not None and len(key) < 16:
            raise ValueError("pseudonym key must be at least 16 bytes")
        # 12 hex digits (48 bits) keep the chance of two of a million people sharing a
        # pseudonym near 1 in 500; shorter ones collide in large exports.
        if not 8 <= length <= 64:
            raise ValueError("pseudonym length must be between 8 and 64 hex digits")
        self._key = key if key is not None else secrets.token_bytes(32)
        self.prefix = prefix
        self.length = length

    def __call__(self, value: Any) -> str | None:
        if value is None or value == "":
            return None
        # hmac.digest is the one-shot C path; hmac.new(...) costs several times more.
        digest = hmac.digest(self._key, normalise_identity(value).encode(), "sha256")
        return self.prefix + digest.hex()[: self.length].upper()


def anonymise_columns(
    columns: Sequence[ColumnSpec], transforms: Mapping[str, CellTransform]
) -> list[ColumnSpec]:
    """Columns whose values pass through ``transforms`` (column key -> function of the value).

    A transform for a column that is not in ``columns`` is an error: it means the
    anonymisation plan and the export disagree, and personal data might go out raw.
    """
    known = {column.key for column in columns}
    for key in transforms:
        if key not in known:
            raise UnknownColumnError(key)
    wrapped: list[ColumnSpec] = []
    for column in columns:
        transform = transforms.get(column.key)
        if transform is None:
            wrapped.append(column)
            continue

        def extract(row: Any, _column: ColumnSpec = column, _t: CellTransform = transform) -> Any:
            return _t(_column.extract(row))

        wrapped.append(replace(column, value=extract))
    return wrapped


def standard_anonymisation(
    columns: Sequence[ColumnSpec],
    *,
    name_keys: Iterable[str] = (),
    birth_date_keys: Iterable[str] = (),
    document_keys: Iterable[str] = (),
    band_years: int = 5,
    pseudonymiser: Pseudonymiser | None = None,
) -> list[ColumnSpec]:
    """The usual plan in one call: names pseudonymised, birth dates banded, numbers masked.

    All name columns share one pseudonymiser, so a person listed in two columns (e.g.
    as applicant and as head of household) gets the same pseudonym in both.
    """
    pseudonym = pseudonymiser or Pseudonymiser()

    def band(value: Any) -> str | None:
        return coarsen_birth_date(value, band_years=band_years)

    transforms: dict[str, CellTransform] = {}
    transforms.update(dict.fromkeys(name_keys, pseudonym))
    transforms.update(dict.fromkeys(birth_date_keys, band))
    transforms.update(dict.fromkeys(document_keys, mask_document_number))
    return anonymise_columns(columns, transforms)
