"""Which characters the shipped font can print, so a name can be checked at data entry."""

from __future__ import annotations

from functools import cache

from fontTools.ttLib import TTFont

from documents.render.templates import FONT_FILE


@cache
def printable_codepoints() -> frozenset[int]:
    # Lazy loading reads only the cmap table, not the 5 MB of outlines.
    with TTFont(str(FONT_FILE), lazy=True) as font:
        return frozenset(font.getBestCmap())


def unprintable_characters(text: str) -> str:
    """The characters of `text` (in order, without repeats) that the shipped font lacks.

    A rare Hanzi outside GB 2312 and KS X 1001 would otherwise print from whatever font
    the machine has, or as an empty box on a machine without CJK fonts.
    """
    known = printable_codepoints()
    missing: dict[str, None] = {}
    for character in text:
        if not character.isspace() and ord(character) not in known:
            missing[character] = None
    return "".join(missing)
