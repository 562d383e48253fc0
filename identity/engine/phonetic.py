"""Phonetic keys that bring Korean romanisations of one name together.

Revised Romanisation (Jae-su), McCune-Reischauer (Chae-su) and informal spellings
(Jae Soo, Jai Su) differ in ways that are regular: voiced/unvoiced consonant pairs, the
vowels ㅓ/ㅗ/ㅜ/ㅡ written eo/o/u/eu/oo/ŏ/ŭ, ㅐ/ㅔ written ae/e/ai, and a silent "h"
(Ahn, Oh). The key folds each of those pairs into one letter, so all three spellings give
"jeso". The key is coarse on purpose: it feeds blocking and one of several similarity
measures, never a decision on its own.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

_VOWEL_AND_CLUSTER_FOLDS: dict[str, str] = {
    # longest spellings first: the regex alternation below is ordered by length
    "tch": "j", "eui": "i", "yeo": "yo", "weo": "wo",
    "ch": "j", "jj": "j", "sh": "s", "ss": "s", "kk": "k", "ck": "k", "tt": "t", "pp": "p",
    "ph": "p", "th": "t", "kh": "k", "wh": "w",
    "ui": "i", "eo": "o", "eu": "o", "oo": "o", "ou": "o", "ae": "e", "ai": "e", "ay": "e",
    "ee": "i", "ea": "i", "oe": "we", "oi": "we",
}  # fmt: skip
_FOLD_PATTERN = re.compile(
    "|".join(sorted(map(re.escape, _VOWEL_AND_CLUSTER_FOLDS), key=len, reverse=True))
)
_SINGLE_LETTER_FOLDS = str.maketrans(
    {"g": "k", "d": "t", "b": "p", "l": "r", "z": "j", "f": "p", "v": "p", "q": "k",
     "x": "s", "c": "k", "u": "o"}
)  # fmt: skip
_SILENT_H = re.compile(r"(?<=[aeiouwy])h(?![aeiouwy])")
_DOUBLED = re.compile(r"(.)\1+")
_NON_LETTERS = re.compile(r"[^a-z]")


@lru_cache(maxsize=262144)
def normalize_latin(text: str) -> str:
    """Lower-case ASCII letters only: diacritics, apostrophes, hyphens and spaces removed."""
    decomposed = unicodedata.normalize("NFKD", text.lower())
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return _NON_LETTERS.sub("", stripped.replace("ü", "u"))


# McCune-Reischauer writes ㅓ and ㅡ with a breve (ŏ, ŭ), where Revised and informal
# spellings write eo/o and eu/u, and a plain o may be ㅓ as well as ㅗ: a breve is the one
# vowel mark a romanisation leaves unambiguous
BREVE_VOWELS = "ŏŭ"


@lru_cache(maxsize=262144)
def breve_vowels(romanised: str) -> str:
    """The McCune-Reischauer breve vowels of a romanised name, in order ("Hye-yŏng": "ŏ")."""
    composed = unicodedata.normalize("NFC", romanised.lower())
    return "".join(letter for letter in composed if letter in BREVE_VOWELS)


@lru_cache(maxsize=262144)
def korean_key(romanised: str) -> str:
    """Phonetic key of one romanised Korean name part (a surname or a given name).

    The initial-sound law is undone at the start (Ryu/Yu, Rim/Im, Nyeo/Yeo) because
    North Korean and Chinese-Korean spelling keeps the initial r/n that South Korean drops.
    """
    letters = normalize_latin(romanised)
    if not letters:
        return ""
    letters = re.sub(r"^[rln](?=[iy])", "", letters)
    letters = re.sub(r"^[rl](?=[aeouw])", "n", letters)
    letters = _SILENT_H.sub("", letters)
    letters = _FOLD_PATTERN.sub(lambda match: _VOWEL_AND_CLUSTER_FOLDS[match.group(0)], letters)
    letters = letters.translate(_SINGLE_LETTER_FOLDS)
    letters = _DOUBLED.sub(r"\1", letters)
    return letters


@lru_cache(maxsize=262144)
def hangul_jamo(hangul: str) -> str:
    """Hangul decomposed into jamo, so one wrong vowel costs one letter, not a syllable."""
    return unicodedata.normalize("NFD", hangul)


@lru_cache(maxsize=262144)
def pinyin_key(romanised: str) -> str:
    """Pinyin compared without tones, spaces or the ü/v/u ambiguity."""
    return normalize_latin(romanised).replace("v", "u")


_FIRST_SYLLABLE = re.compile(r"^([^aeiouwy]*[wy]?[aeiou]+)(ng|n|m|l|k|p|t|r)?")


def first_romanized_syllables(romanised: str) -> tuple[str, ...]:
    """Possible first syllables of an unhyphenated romanised Korean given name.

    "Jingil" may be jin-gil or jing-il, so both "jin" and "jing" are returned; a name
    written with a hyphen or a space needs no guessing.
    """
    chunks = re.split(r"[\s\-]+", romanised.strip().lower())
    if len(chunks) > 1 and chunks[0]:
        return (normalize_latin(chunks[0]),)
    letters = normalize_latin(romanised)
    match = _FIRST_SYLLABLE.match(letters)
    if not match:
        return ()
    open_syllable, coda = match.group(1), match.group(2) or ""
    rest = letters[match.end() :]
    if not coda:
        return (open_syllable,)
    if rest and rest[0] in "aeiouwy":
        # the coda may open the next syllable: jingil = jin-gil or jing-il
        shorter = open_syllable + coda[:-1] if len(coda) > 1 else open_syllable
        return (open_syllable + coda, shorter)
    return (open_syllable + coda,)


def is_hangul(text: str) -> bool:
    """True when the text has at least one Hangul syllable and no Han characters."""
    return any("\uac00" <= ch <= "\ud7a3" for ch in text) and not is_hanzi(text)


def is_hanzi(text: str) -> bool:
    """True when the text contains a CJK ideograph."""
    return any("\u3400" <= ch <= "\u9fff" or "\uf900" <= ch <= "\ufaff" for ch in text)
