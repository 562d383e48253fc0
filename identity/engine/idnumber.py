"""Chinese resident identity numbers (居民身份证号码, GB 11643-1999).

An 18-character number is: 6-digit region code, birth date YYYYMMDD, a 3-digit sequence
whose parity is the sex (odd = male), and an ISO 7064 MOD 11-2 check character (0-9 or X).
The older 15-digit form has a 2-digit year (19xx) and no check character. A valid number
therefore gives the birth date and sex, which the matcher uses when the registrar left them
out and checks against them when both are present.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

import numpy as np

_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_CHECK_CHARACTERS = "10X98765432"
_SEPARATORS = re.compile(r"[\s\-./]")


@dataclass(frozen=True, slots=True)
class ResidentId:
    """A Chinese resident ID number that passed validation, with what it encodes."""

    number: str  # normalised: 18 characters, upper-case X
    region_code: str
    birth_date: datetime.date
    sex: str  # "M" or "F"


def normalize_document_number(text: str) -> str:
    """Upper-case, separators removed: document numbers compare on this form."""
    return _SEPARATORS.sub("", text or "").upper()


def resident_id_check_character(first_17_digits: str) -> str:
    """The MOD 11-2 check character for the first 17 digits of a resident ID."""
    if len(first_17_digits) != 17 or not first_17_digits.isdigit():
        raise ValueError("a resident ID check needs exactly 17 digits")
    total = sum(
        int(digit) * weight for digit, weight in zip(first_17_digits, _WEIGHTS, strict=True)
    )
    return _CHECK_CHARACTERS[total % 11]


def resident_id_errors(text: str) -> list[str]:
    """Why a text is not a valid Chinese resident ID; an empty list means it is valid."""
    number = normalize_document_number(text)
    if len(number) == 15:
        if not number.isdigit():
            return ["a 15-digit resident ID has digits only"]
        return [] if _birth_date(number, century="19", start=6, width=6) else ["no such birth date"]
    if len(number) != 18:
        return [f"a resident ID has 18 characters, not {len(number)}"]
    if not number[:17].isdigit() or not (number[17].isdigit() or number[17] == "X"):
        return ["a resident ID is 17 digits followed by a digit or X"]
    errors: list[str] = []
    if _birth_date(number, century="", start=6, width=8) is None:
        errors.append("the birth date in the number does not exist")
    expected = resident_id_check_character(number[:17])
    if number[17] != expected:
        errors.append(f"check character is {number[17]}, expected {expected}")
    return errors


def _birth_date(number: str, *, century: str, start: int, width: int) -> datetime.date | None:
    digits = century + number[start : start + width]
    try:
        born = datetime.date(int(digits[:4]), int(digits[4:6]), int(digits[6:8]))
    except ValueError:
        return None
    return born if datetime.date(1880, 1, 1) <= born <= datetime.date.today() else None


@lru_cache(maxsize=65536)
def parse_resident_id(text: str) -> ResidentId | None:
    """Parse and validate a resident ID; 15-digit numbers are upgraded to 18 characters.

    Returns None for anything that is not a valid resident ID (wrong length, impossible
    birth date or wrong check character), so callers can fall back to plain comparison.
    """
    number = normalize_document_number(text)
    if resident_id_errors(number):
        return None
    if len(number) == 15:
        body = number[:6] + "19" + number[6:]
        number = body + resident_id_check_character(body)
    birth_date = _birth_date(number, century="", start=6, width=8)
    assert birth_date is not None  # resident_id_errors has checked it
    return ResidentId(
        number=number,
        region_code=number[:6],
        birth_date=birth_date,
        sex="M" if int(number[16]) % 2 else "F",
    )


def make_resident_id(region_code: str, birth_date: datetime.date, sequence: int) -> str:
    """Build a valid resident ID (for synthetic data and tests); odd sequence = male."""
    if len(region_code) != 6 or not region_code.isdigit() or not 0 <= sequence <= 999:
        raise ValueError("region code is 6 digits and sequence 0-999")
    body = f"{region_code}{birth_date:%Y%m%d}{sequence:03d}"
    return body + resident_id_check_character(body)


def failing_check_character(numbers: Sequence[str]) -> np.ndarray:
    """Per normalised number, True when it is 17 ASCII digits and a character that is not
    their check character: surely no valid resident ID, told for a whole registry's
    numbers at once. Every other number still needs parse_resident_id."""
    failing = np.zeros(len(numbers), dtype=bool)
    chosen = [n for n, text in enumerate(numbers) if len(text) == 18 and text.isascii()]
    if not chosen:
        return failing
    matrix = np.frombuffer("".join(numbers[n] for n in chosen).encode(), dtype=np.uint8)
    matrix = matrix.reshape(-1, 18).astype(np.int64)
    digits = matrix[:, :17] - ord("0")
    all_digits = ((digits >= 0) & (digits <= 9)).all(axis=1)
    expected = np.frombuffer(_CHECK_CHARACTERS.encode(), dtype=np.uint8)[
        (digits @ np.array(_WEIGHTS)) % 11
    ]
    failing[np.array(chosen)] = all_digits & (matrix[:, 17] != expected)
    return failing
