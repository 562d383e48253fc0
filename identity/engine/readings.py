"""Bridge from pinyin to Sino-Korean readings, for names typed only in pinyin.

"Zhexiang" (pinyin) and "철향" (Hangul) are the same 哲香 only through the characters. When
neither record has the Hanzi, each pinyin syllable is mapped to the Korean readings of the
common characters that have that Mandarin reading (zhe -> 절/착/자/차/철), and a pinyin
given name yields every combination as a candidate Hangul reading.

Character frequency is counted from pypinyin's phrase dictionary, so the bridge covers
the everyday characters of Chinese and knows nothing of the synthetic test names.
"""

from __future__ import annotations

from collections import Counter
from functools import lru_cache
from itertools import product

from hanja.hangul import dooeum
from hanja.table import hanja_table

from identity.engine.phonetic import normalize_latin

COMMON_CHARACTER_COUNT = 6000
MIN_READING_SHARE = 0.02
MAX_READINGS_PER_SYLLABLE = 8
MAX_CANDIDATES = 64


@lru_cache(maxsize=1)
def _reading_counts() -> dict[str, Counter[str]]:
    """Toneless pinyin syllable -> counts of the Korean readings (as the character table
    writes them: 龍 룡) of the common characters with that Mandarin reading."""
    from pypinyin import lazy_pinyin
    from pypinyin.phrases_dict import phrases_dict

    character_counts: Counter[str] = Counter()
    for phrase in phrases_dict:
        character_counts.update(phrase)
    common = [ch for ch, _ in character_counts.most_common() if ch in hanja_table]
    by_syllable: dict[str, Counter[str]] = {}
    for character in common[:COMMON_CHARACTER_COUNT]:
        syllable = lazy_pinyin(character)[0].replace("ü", "v")
        by_syllable.setdefault(syllable, Counter())[hanja_table[character]] += character_counts[
            character
        ]
    return by_syllable


def _commonest(counts: Counter[str]) -> tuple[str, ...]:
    total = sum(counts.values())
    return tuple(
        reading
        for reading, count in counts.most_common(MAX_READINGS_PER_SYLLABLE)
        if count / total >= MIN_READING_SHARE
    )


@lru_cache(maxsize=1)
def syllable_readings() -> dict[str, tuple[str, ...]]:
    """Toneless pinyin syllable -> Korean readings of common characters, commonest first,
    with the initial-sound law applied (龍 용), as Hangul names are compared."""
    readings: dict[str, tuple[str, ...]] = {}
    for syllable, counts in _reading_counts().items():
        normalized: Counter[str] = Counter()
        for reading, count in counts.items():
            normalized[normalize_syllable(reading)] += count
        readings[syllable] = _commonest(normalized)
    return readings


@lru_cache(maxsize=1)
def syllable_readings_as_written() -> dict[str, tuple[str, ...]]:
    """Toneless pinyin syllable -> Korean readings as written inside a word (龍 룡 in
    학룡), where the initial-sound law does not apply."""
    return {syllable: _commonest(counts) for syllable, counts in _reading_counts().items()}


@lru_cache(maxsize=16384)
def normalize_syllable(hangul_syllable: str) -> str:
    """One Hangul syllable with the initial-sound law applied (리 -> 이, 녀 -> 여)."""
    if not is_hangul_syllable(hangul_syllable):
        return (
            hangul_syllable  # dooeum does arithmetic on syllables and crashes on control characters
        )
    return dooeum(" ", hangul_syllable)


def is_hangul_syllable(text: str) -> bool:
    return len(text) == 1 and "\uac00" <= text <= "\ud7a3"


@lru_cache(maxsize=262144)
def normalize_hangul_name(hangul: str) -> str:
    """A Hangul name part with the initial-sound law applied to every syllable.

    Sino-Korean readings are compared syllable by syllable, and whether 리 became 이 depends
    only on the position in the word, not on the character.
    """
    return "".join(normalize_syllable(syllable) for syllable in hangul)


@lru_cache(maxsize=65536)
def segment_pinyin(text: str) -> tuple[tuple[str, ...], ...]:
    """Every split of a pinyin string into known syllables (few, for real names)."""
    letters = normalize_latin(text)
    known = syllable_readings()
    results: list[tuple[str, ...]] = []

    def walk(start: int, taken: tuple[str, ...]) -> None:
        if len(results) >= 8:
            return
        if start == len(letters):
            results.append(taken)
            return
        for end in range(min(len(letters), start + 6), start, -1):
            piece = letters[start:end]
            if start and piece[0] in "aeo":
                continue  # pinyin writes xi'an with an apostrophe; unmarked, it is xian
            # ü is typed as u or v: nu/nv and lu/lv are different syllables
            for spelling in dict.fromkeys(
                (piece, piece.replace("u", "v"), piece.replace("v", "u"))
            ):
                if spelling in known:
                    walk(end, (*taken, spelling))

    if letters:
        walk(0, ())
    fewest = min((len(result) for result in results), default=0)
    return tuple(result for result in results if len(result) == fewest)


@lru_cache(maxsize=65536)
def korean_readings_of_pinyin(text: str, *, inner_as_written: bool = False) -> tuple[str, ...]:
    """Candidate Hangul readings of a pinyin name part: the initial-sound law applied to
    every syllable, as Hangul names are compared; inner_as_written, to the first alone, as a
    romanised Korean name is written (學龍: Hak-ryong keeps the r of 룡)."""
    known = syllable_readings()
    inner = syllable_readings_as_written() if inner_as_written else known
    candidates: list[str] = []
    for syllables in segment_pinyin(text):
        options = [known[syllables[0]], *(inner[syllable] for syllable in syllables[1:])]
        for combination in product(*options):
            candidates.append("".join(combination))
            if len(candidates) >= MAX_CANDIDATES:
                return tuple(sorted(set(candidates)))
    return tuple(sorted(set(candidates)))


@lru_cache(maxsize=65536)
def first_syllable_readings(text: str) -> tuple[str, ...]:
    """Korean readings of the first pinyin syllable: a blocking key that needs no Hanzi."""
    known = syllable_readings()
    firsts = {syllables[0] for syllables in segment_pinyin(text)}
    return tuple(sorted({reading for syllable in firsts for reading in known[syllable]}))
