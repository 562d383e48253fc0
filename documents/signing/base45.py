"""Base45 (RFC 9285): bytes as text in the 45-character QR alphanumeric alphabet.

Written here rather than taken from PyPI because the RFC algorithm is a dozen lines and
the only package for it has had no release since 2022.
"""

from __future__ import annotations

ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:"
_VALUE_OF = {character: value for value, character in enumerate(ALPHABET)}


def encode(data: bytes) -> str:
    characters: list[str] = []
    for index in range(0, len(data) - 1, 2):
        number = data[index] * 256 + data[index + 1]
        number, c = divmod(number, 45)
        e, d = divmod(number, 45)
        characters += (ALPHABET[c], ALPHABET[d], ALPHABET[e])
    if len(data) % 2:
        d, c = divmod(data[-1], 45)
        characters += (ALPHABET[c], ALPHABET[d])
    return "".join(characters)


def decode(text: str) -> bytes:
    """Inverse of `encode`; raises ValueError on a foreign character or impossible group."""
    try:
        values = [_VALUE_OF[character] for character in text]
    except KeyError as error:
        raise ValueError(f"character {error.args[0]!r} is not in the base45 alphabet") from None
    if len(values) % 3 == 1:
        raise ValueError("base45 text length leaves a lone character")
    output = bytearray()
    for index in range(0, len(values) - 2, 3):
        c, d, e = values[index : index + 3]
        number = c + d * 45 + e * 2025
        if number > 0xFFFF:
            raise ValueError("base45 group exceeds two bytes")
        output += number.to_bytes(2, "big")
    if len(values) % 3 == 2:
        number = values[-2] + values[-1] * 45
        if number > 0xFF:
            raise ValueError("base45 group exceeds one byte")
        output.append(number)
    return bytes(output)
