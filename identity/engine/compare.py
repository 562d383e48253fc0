"""Field comparisons between two prepared records: agreement levels and what agreed.

Each comparison returns a level (the Fellegi-Sunter agreement pattern for that field),
a similarity in [0, 1] where one applies, and a short detail naming the forms that were
compared, so that a reviewer sees *why* two names were judged alike (안재수 = An Chae-su
through the phonetic key, not by chance).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

from rapidfuzz.distance import OSA, JaroWinkler

from identity.engine.names import NameForms, reading_phonetic_keys
from identity.engine.phonetic import hangul_jamo
from identity.engine.places import PLACE_PREFIX, place_level, place_name
from identity.engine.records import PreparedRecord
from identity.engine.surnames import (
    spelling_names_another_hanzi,
    surname_identity,
    surname_may_be_another,
    surname_spelling_rank,
)

MISSING = "missing"
# two surnames both written in Hanzi, and not one surname: a registrar copies characters
# from a card or a form, so two written surnames that differ are seldom one person's,
# while a surname typed in Hangul or Latin letters differs from the other script's often
OTHER_HANZI = "other_hanzi"

NAME_EXACT_SIMILARITY = 0.97
NAME_CLOSE_SIMILARITY = 0.90
NAME_SIMILAR_SIMILARITY = 0.80
PHONETIC_AGREEMENT_SIMILARITY = 0.95
READING_AGREEMENT_SIMILARITY = 0.90


@dataclass(frozen=True, slots=True)
class FieldLevel:
    """Outcome of comparing one field: its level, a similarity and a human-readable detail."""

    level: str
    similarity: float | None = None
    detail: str = ""
    # the documents agree and pass the resident-ID check: the strongest evidence there is
    valid_id: bool = False
    # surnames agree only as a spelling that more than one surname shares (Cheng: 成 程)
    look_alike: bool = False
    # a given name is written in Hanzi or Hangul on one side at least: the other side's
    # name, if Latin, romanises characters too, so two that do not agree are two names,
    # not a nickname or an English spelling as between two Latin names
    in_characters: bool = False
    # surnames agree through the Korean/Chinese crosswalk (a listed surname, not "~Smith"):
    # the given names beside it romanise characters too
    crosswalk: bool = False


def _best_similarity(left: Iterable[str], right: Iterable[str]) -> tuple[float, str, str]:
    best, best_left, best_right = 0.0, "", ""
    right_values = tuple(right)
    for left_value in left:
        for right_value in right_values:
            similarity = JaroWinkler.normalized_similarity(left_value, right_value)
            if similarity > best:
                best, best_left, best_right = similarity, left_value, right_value
    return best, best_left, best_right


def _name_level(similarity: float) -> str:
    if similarity >= NAME_EXACT_SIMILARITY:
        return "exact"
    if similarity >= NAME_CLOSE_SIMILARITY:
        return "close"
    if similarity >= NAME_SIMILAR_SIMILARITY:
        return "similar"
    return "different"


def _has_family(names: NameForms) -> bool:
    return bool(names.family_hanzi or names.family_hangul or names.family_latin)


def _has_given(names: NameForms) -> bool:
    return bool(names.given_hanzi or names.given_hangul or names.given_latin)


def compare_family_names(left: PreparedRecord, right: PreparedRecord) -> FieldLevel:
    """Surnames agree when their crosswalk keys overlap (Piao = Park = 박)."""
    return compare_family_forms(left.names, right.names)


def compare_family_forms(a: NameForms, b: NameForms) -> FieldLevel:
    """compare_family_names on the name forms alone (the batch calls it per name pair)."""
    if not (_has_family(a) and _has_family(b)):
        return FieldLevel(MISSING)
    if (
        a.family_hanzi
        and b.family_hanzi
        and surname_identity(a.family_hanzi) != surname_identity(b.family_hanzi)
    ):
        # 鄭 and 丁 share the reading 정 but are different surnames (柳 and 劉 even share
        # the pinyin); 鄭 and 郑 are one
        same_reading = bool(set(a.surname_keys) & set(b.surname_keys))
        level = "similar" if same_reading else OTHER_HANZI
        return FieldLevel(
            level, 0.9 if same_reading else 0.0, f"Hanzi {a.family_hanzi} ≠ {b.family_hanzi}"
        )
    shared = sorted(set(a.surname_keys) & set(b.surname_keys))
    if shared and (pinyin_of_another(a, b) or pinyin_of_another(b, a)):
        # 鄭 and "Ding" share the reading 정, but Ding is the pinyin of 丁
        return FieldLevel(
            "similar",
            0.9,
            f"{a.family_hanzi or a.family_latin} ≠ "
            f"{b.family_hanzi or b.family_latin} (another surname's pinyin)",
        )
    if shared:
        look_alike = surname_may_be_another(a.surname_keys, a.family_hanzi) or (
            surname_may_be_another(b.surname_keys, b.family_hanzi)
        )
        return FieldLevel(
            "exact",
            1.0,
            f"surname {'/'.join(shared)} (crosswalk)",
            look_alike=look_alike,
            crosswalk=crosswalk_surnames(a, b),
        )
    if a.family_hanzi and b.family_hanzi:
        # one pinyin, two surnames: 秦 (진) and 琴 (금) are both "qin", 程 and 成 "cheng"
        return FieldLevel(OTHER_HANZI, 0.0, f"Hanzi {a.family_hanzi} ≠ {b.family_hanzi}")
    similarity, left_form, right_form = max(
        _best_similarity(a.family_phonetic, b.family_phonetic),
        _best_similarity(map(hangul_jamo, a.family_hangul), map(hangul_jamo, b.family_hangul)),
        _best_similarity(a.family_pinyin, b.family_pinyin),
    )
    level = "similar" if similarity >= 0.85 else "different"
    return FieldLevel(level, similarity, f"{left_form} ~ {right_form} {similarity:.2f}")


def crosswalk_surnames(a: NameForms, b: NameForms) -> bool:
    """Two surnames that agree as a Korean or Chinese surname of the table, each written
    in characters or in one of its listed spellings: "John" only sounds like 전."""

    def listed(names: NameForms) -> bool:
        written = names.family_hanzi or names.family_hangul
        return bool(written) or surname_spelling_rank(names.family_latin) == 2

    shared = set(a.surname_keys) & set(b.surname_keys)
    return any(not key.startswith("~") for key in shared) and listed(a) and listed(b)


def pinyin_of_another(written: NameForms, spelt: NameForms) -> bool:
    """A surname in Hanzi beside one spelt only in Latin letters, in the pinyin of another
    surname of the same reading (spelling_names_another_hanzi)."""
    return bool(
        written.family_hanzi
        and latin_only_family(spelt)
        and spelling_names_another_hanzi(spelt.family_latin, written.family_hanzi)
    )


def latin_only_family(names: NameForms) -> bool:
    """A surname written in Latin letters alone (no Hanzi, no Hangul)."""
    return bool(names.family_latin and not names.family_hanzi and not names.family_hangul)


def compare_given_names(left: PreparedRecord, right: PreparedRecord) -> FieldLevel:
    """Best agreement over Hanzi, Hangul (both spellings), pinyin and phonetic keys."""
    return compare_given_forms(left.names, right.names)


def compare_given_forms(a: NameForms, b: NameForms) -> FieldLevel:
    """compare_given_names on the name forms alone (the batch calls it per name pair)."""
    if not (_has_given(a) and _has_given(b)):
        return FieldLevel(MISSING)
    agreement = _given_agreement(a, b)
    if agreement.level in AGREEING_GIVEN_LEVELS:
        contradiction = breve_contradiction(a, b) or breve_contradiction(b, a)
        if contradiction:
            return FieldLevel(
                "close", PHONETIC_AGREEMENT_SIMILARITY, contradiction, in_characters=True
            )
    return agreement


AGREEING_GIVEN_LEVELS = frozenset({"exact", "phonetic", "reading"})
# the Hangul vowels a McCune-Reischauer breve stands for (conjoining jamo, as NFD gives)
BREVE_JAMO = {"ŏ": frozenset("\u1165\u1167\u116f"), "ŭ": frozenset("\u1173\u1174")}


def breve_contradiction(latin_side: NameForms, hangul_side: NameForms) -> str:
    """Detail when a given name known only in Latin letters has a McCune-Reischauer breve
    that none of the other side's Hangul readings has: "Hye-yŏng" is 혜영, so not 혜용
    (siblings 高惠英 and 高惠容 agree on every key that folds ㅓ and ㅗ together)."""
    breves = latin_side.given_breves
    if not breves or latin_side.given_hangul or not hangul_side.given_hangul:
        return ""
    for hangul in hangul_side.given_hangul:
        vowels = hangul_jamo(hangul)
        if all(
            sum(jamo in BREVE_JAMO[breve] for jamo in vowels) >= breves.count(breve)
            for breve in set(breves)
        ):
            return ""
    return f"{latin_side.given_latin} written with {breves}, not {min(hangul_side.given_hangul)}"


def _given_agreement(a: NameForms, b: NameForms) -> FieldLevel:
    if a.given_hanzi and a.given_hanzi == b.given_hanzi:
        return FieldLevel("exact", 1.0, f"Hanzi {a.given_hanzi}")
    if a.given_hanzi and b.given_hanzi:
        if simplified_hanzi(a.given_hanzi) == simplified_hanzi(b.given_hanzi):
            return FieldLevel("exact", 1.0, f"Hanzi {a.given_hanzi} = {b.given_hanzi}")
        # two names written in characters that differ and read alike (石石 and 石锡 are
        # both 석석): one Korean reading stands for many characters, so a shared Hangul or
        # pinyin form is the reading agreeing, not the name
        shared = (set(a.given_hangul) & set(b.given_hangul)) or (
            set(a.given_pinyin) & set(b.given_pinyin)
        )
        if shared:
            return FieldLevel(
                "reading",
                READING_AGREEMENT_SIMILARITY,
                f"Hanzi {a.given_hanzi} ≠ {b.given_hanzi}, both read {min(shared)}",
                in_characters=True,
            )
    for label, left_forms, right_forms in (
        ("Hangul", a.given_hangul, b.given_hangul),
        ("pinyin", a.given_pinyin, b.given_pinyin),
    ):
        shared = set(left_forms) & set(right_forms)
        if shared:
            return FieldLevel("exact", 1.0, f"{label} {min(shared)}")
    if a.given_hangul and b.given_hangul:
        # both names are known in characters (typed in Hangul, or Hanzi read in Hangul)
        # and no Hangul form agreed: two names, however alike their romanisations sound
        # (혜영 and 혜용 share the phonetic key "hyeyonk": siblings, not a misspelling)
        return _similarity_level(a, b)
    shared_keys = set(a.given_phonetic) & set(b.given_phonetic)
    if shared_keys:
        return FieldLevel(
            "phonetic", PHONETIC_AGREEMENT_SIMILARITY, f"phonetic key {min(shared_keys)}"
        )
    bridged = reading_agreement(a, b) or reading_agreement(b, a)
    if bridged:
        return FieldLevel("reading", READING_AGREEMENT_SIMILARITY, bridged)
    return _similarity_level(a, b)


@lru_cache(maxsize=65_536)
def simplified_hanzi(text: str) -> str:
    """The simplified form of a name written in Hanzi (鎮正 and 镇正 are one name)."""
    import zhconv

    return str(zhconv.convert(text, "zh-cn"))


def _similarity_level(a: NameForms, b: NameForms) -> FieldLevel:
    """The level of two given names that agree on no form: their best string similarity."""
    candidates = [
        (*_best_similarity(a.given_phonetic, b.given_phonetic), "phonetic"),
        (
            *_best_similarity(map(hangul_jamo, a.given_hangul), map(hangul_jamo, b.given_hangul)),
            "Hangul",
        ),
        (*_best_similarity(a.given_pinyin, b.given_pinyin), "pinyin"),
    ]
    similarity, left_form, right_form, label = max(candidates)
    # a similarity measured on a phonetic key is already one fold away from the spelling
    if label == "phonetic":
        similarity *= PHONETIC_AGREEMENT_SIMILARITY
    detail = f"{label} {left_form} ~ {right_form} {similarity:.2f}"
    in_characters = bool(a.given_hanzi or a.given_hangul or b.given_hanzi or b.given_hangul)
    return FieldLevel(_name_level(similarity), similarity, detail, in_characters=in_characters)


def reading_agreement(pinyin_side: NameForms, korean_side: NameForms) -> str:
    """Detail of a pinyin name whose Korean reading matches the other side, else ''."""
    if not pinyin_side.given_readings:
        return ""
    shared = set(korean_side.given_hangul_syllables).intersection(pinyin_side.given_readings)
    if shared:
        return f"pinyin {pinyin_side.given_latin} read as {min(shared)}"
    shared = reading_phonetic_keys(pinyin_side.given_latin).intersection(korean_side.given_phonetic)
    if shared:
        return f"pinyin {pinyin_side.given_latin} read as Korean ~{min(shared)}"
    return ""


def compare_sex(left: PreparedRecord, right: PreparedRecord) -> FieldLevel:
    if not (left.sex and right.sex):
        return FieldLevel(MISSING)
    level = "agree" if left.sex == right.sex else "different"
    return FieldLevel(level, None, f"{left.sex} / {right.sex}")


def compare_documents(left: PreparedRecord, right: PreparedRecord) -> FieldLevel:
    """Document numbers: equal, one typing slip apart, or different."""
    if not (left.document_number and right.document_number):
        return FieldLevel(MISSING)
    shown = f"{left.document_number} / {right.document_number}"
    if left.document_number == right.document_number:
        checked = " (valid resident ID)" if left.resident_id else ""
        return FieldLevel("exact", 1.0, shown + checked, valid_id=left.resident_id is not None)
    if left.resident_id and right.resident_id:
        # two numbers that both pass the check digit are two real, different documents
        return FieldLevel("conflict", 0.0, shown + " (two valid resident IDs)")
    if (
        len(left.document_number) == len(right.document_number)
        and OSA.distance(left.document_number, right.document_number) <= 1
    ):
        return FieldLevel("typo", None, shown + " (one character apart)")
    return FieldLevel("different", 0.0, shown)


def compare_attribute(left: str | None, right: str | None) -> FieldLevel:
    """Free-text attributes (birth place, address): equal, similar or different."""
    if not left or not right:
        return FieldLevel(MISSING)
    if left == right:
        shown = place_name(left[1:]) if left.startswith(PLACE_PREFIX) else left
        return FieldLevel("exact", 1.0, shown)
    if left.startswith(PLACE_PREFIX) and right.startswith(PLACE_PREFIX):
        # coded places: the same county, one inside the other, or apart
        level = place_level(left, right)
        shown = f"{place_name(left[1:])} / {place_name(right[1:])}"
        return FieldLevel(level, 1.0 if level == "exact" else None, shown)
    similarity = JaroWinkler.normalized_similarity(left, right)
    level = "similar" if similarity >= 0.88 else "different"
    return FieldLevel(level, similarity, f"{left} ~ {right} {similarity:.2f}")
