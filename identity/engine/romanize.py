"""Romanisations of Hangul names: Revised Romanisation, McCune-Reischauer, informal.

RR comes from korean-romanizer. McCune-Reischauer is written here because no maintained
package provides it; it follows the name convention (syllables of a given name joined by a
hyphen, each syllable romanised as if word-initial) which is how MR names appear on
documents: Kim Il-sŏng, An Chae-su.
"""

from __future__ import annotations

import random
from functools import lru_cache

from korean_romanizer.romanizer import Romanizer

_INITIALS_MR = (
    "k", "kk", "n", "t", "tt", "r", "m", "p", "pp", "s", "ss", "", "ch", "tch", "ch'", "k'",
    "t'", "p'", "h",
)  # fmt: skip
_MEDIALS_MR = (
    "a", "ae", "ya", "yae", "ŏ", "e", "yŏ", "ye", "o", "wa", "wae", "oe", "yo", "u", "wŏ", "we",
    "wi", "yu", "ŭ", "ŭi", "i",
)  # fmt: skip
_FINALS_MR = (
    "", "k", "k", "k", "n", "n", "n", "t", "l", "k", "m", "l", "l", "l", "p", "l", "m", "p", "p",
    "t", "t", "ng", "t", "t", "k", "t", "p", "t",
)  # fmt: skip
_VOICED_AFTER_VOWEL = {"k": "g", "t": "d", "p": "b", "ch": "j"}
_HANGUL_BASE = 0xAC00
_HANGUL_LAST = 0xD7A3


@lru_cache(maxsize=131072)
def revised_romanization(hangul: str) -> str:
    """Revised Romanisation of a Hangul name part, lower case without spaces: 재수 -> jaesu."""
    if not hangul:
        return ""
    return Romanizer(hangul).romanize().replace(" ", "").lower()


def _syllable_parts(syllable: str) -> tuple[int, int, int] | None:
    code = ord(syllable)
    if not _HANGUL_BASE <= code <= _HANGUL_LAST:
        return None
    offset = code - _HANGUL_BASE
    return offset // 588, (offset % 588) // 28, offset % 28


@lru_cache(maxsize=131072)
def mccune_reischauer(hangul: str, *, hyphenate: bool = True) -> str:
    """McCune-Reischauer of a Hangul name part: 재수 -> chae-su, 일성 -> il-sŏng.

    Within a syllable the initial is voiced after a vowel of the previous syllable only
    when not hyphenated, matching the way unhyphenated MR (Chaesu / Chaesŭ) is written.
    """
    pieces: list[str] = []
    previous_final = ""
    for syllable in hangul:
        parts = _syllable_parts(syllable)
        if parts is None:
            pieces.append(syllable)
            previous_final = ""
            continue
        initial, medial, final = parts
        onset = _INITIALS_MR[initial]
        if not hyphenate and pieces and previous_final in ("", "n", "m", "ng", "l"):
            onset = _VOICED_AFTER_VOWEL.get(onset, onset)
        if onset == "s" and _MEDIALS_MR[medial] in ("i", "wi"):
            onset = "sh"
        coda = _FINALS_MR[final]
        pieces.append(onset + _MEDIALS_MR[medial] + coda)
        previous_final = coda
    return ("-" if hyphenate else "").join(pieces)


_INFORMAL_VOWELS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("eo", ("u", "o", "eo")),
    ("eu", ("eu", "u")),
    ("ae", ("ae", "ai")),
    ("u", ("u", "oo")),
    ("i", ("i", "ee")),
)
_INFORMAL_CONSONANTS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("g", ("g", "k")),
    ("b", ("b", "p")),
    ("d", ("d", "t")),
    ("j", ("j", "ch")),
)


def informal_romanization(hangul: str, rng: random.Random) -> str:
    """A plausible informal spelling of a Hangul name part (Jae Soo, Sung Min, Kyung Sook).

    Each syllable is spelled on its own from RR, then common English-style vowel and
    consonant habits are applied at random, so the output varies like real documents do.
    """
    syllables: list[str] = []
    for syllable in hangul:
        spelled = revised_romanization(syllable)
        for source, options in _INFORMAL_VOWELS:
            if source in spelled and rng.random() < 0.6:
                spelled = spelled.replace(source, rng.choice(options), 1)
                break
        for source, options in _INFORMAL_CONSONANTS:
            if spelled.startswith(source) and rng.random() < 0.5:
                spelled = rng.choice(options) + spelled[len(source) :]
                break
        syllables.append(spelled)
    separator = rng.choice(("", " ", "-"))
    return separator.join(syllables)
