"""The rules that band a scored pair beside its score: what keeps weak or contradicted
evidence from an automatic link (twins, look-alike surnames, two sexes, common surnames)
and what links whatever the score (one valid resident ID). Split from scoring.py; the
batch applies the same rules column-wise (column_rules.py)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING

from identity.engine.compare import MISSING, FieldLevel

if TYPE_CHECKING:
    from identity.engine.scoring import MatchModel

AUTO_LINK = "auto_link"
REVIEW = "review"
NON_MATCH = "non_match"

ATTRIBUTE_PREFIX = "attribute:"


def has_identifying_evidence(levels: Mapping[str, FieldLevel]) -> bool:
    """Agreement beyond name, birth date and sex: a document number or an attribute."""
    if levels.get("document", FieldLevel(MISSING)).level == "exact":
        return True
    return any(
        name.startswith(ATTRIBUTE_PREFIX) and outcome.level in ("exact", "similar")
        for name, outcome in levels.items()
    )


# levels of two given names, one at least in Hanzi or Hangul, that are not one name:
# there a name only alike (명길 / 명정, twins sharing a generation syllable) is another
GIVEN_NOT_AGREEING = ("close", "similar", "different")


def given_names_differ_without_document(levels: Mapping[str, FieldLevel]) -> bool:
    """Two given names that are not the same name (alike is not enough), one of them at
    least written in Hanzi or Hangul, and no document number that agrees or nearly
    agrees. Twins share surname, birth date and place: the given name is what tells them
    apart. (Between two Latin names one that differs may be a nickname or a misspelling:
    the score decides.)"""
    given = levels.get("given_name", FieldLevel(MISSING))
    document = levels.get("document", FieldLevel(MISSING)).level
    differ = given.level in GIVEN_NOT_AGREEING and given.in_characters
    return differ and document not in ("exact", "typo")


GIVEN_ALIKE = ("close", "similar")


def romanised_twins(levels: Mapping[str, FieldLevel]) -> bool:
    """Two romanised given names alike but not one name (Ryoui / Yeosik, Seokmun /
    Seokyung), a Korean or Chinese surname, the same full birth date and no agreeing
    document: twins, whose generation syllable the romanisation keeps. (Between Western
    names, or with dates that differ, a near spelling is a typing slip: the score decides.)"""
    given = levels.get("given_name", FieldLevel(MISSING))
    family = levels.get("family_name", FieldLevel(MISSING))
    return (
        given.level in GIVEN_ALIKE
        and not given.in_characters
        and family.crosswalk
        and levels.get("birth_date", FieldLevel(MISSING)).level == "exact"
        and levels.get("document", FieldLevel(MISSING)).level not in ("exact", "typo")
    )


YEAR_LEVELS = ("year_only", "approximate_near", "year_near")


def year_and_look_alike_surname_alone(levels: Mapping[str, FieldLevel]) -> bool:
    """Surnames that agree only as a shared spelling (Cheng for 成 and 程), a birth date
    that agrees only on the year, and no document or place to tell two people apart."""
    family = levels.get("family_name", FieldLevel(MISSING))
    date = levels.get("birth_date", FieldLevel(MISSING)).level
    return family.look_alike and date in YEAR_LEVELS and not has_identifying_evidence(levels)


# attribute levels that name two places (or two addresses): "similar" is a neighbouring
# county or one inside the other, still not the same place
ATTRIBUTE_NOT_AGREEING = ("similar", "different")


def look_alike_surname_against_an_attribute(levels: Mapping[str, FieldLevel]) -> bool:
    """A surname that agrees only as a spelling shared by several surnames (강 for 姜 and
    康), a birth place (or other attribute) that names another place, a birth date short of
    exact and no agreeing document. The Hanzi-confusable namesake shares the reading, the
    given name and a near date; the place is then the one field that speaks, and it speaks
    against: on the hard generator's six seeds about one such link in six was two people."""
    family = levels.get("family_name", FieldLevel(MISSING))
    if not family.look_alike or levels.get("birth_date", FieldLevel(MISSING)).level == "exact":
        return False
    if levels.get("document", FieldLevel(MISSING)).level == "exact":
        return False
    return any(
        name.startswith(ATTRIBUTE_PREFIX) and outcome.level in ATTRIBUTE_NOT_AGREEING
        for name, outcome in levels.items()
    )


def _sexes_differ(levels: Mapping[str, FieldLevel]) -> bool:
    return levels.get("sex", FieldLevel(MISSING)).level == "different"


def band_by_rule(
    levels: Mapping[str, FieldLevel], surname_share_value: float, model: MatchModel
) -> tuple[str | None, tuple[str, ...]]:
    """The band the rules give a pair that reaches review, whatever its score above that,
    with why; None when the score against the automatic-link threshold decides."""
    if levels.get("document", FieldLevel(MISSING)).valid_id and not _sexes_differ(levels):
        # one valid resident ID on both records, and the rest does not contradict it
        # (the score reaches review): the same card, so the same person
        return AUTO_LINK, ("the same valid resident ID",)
    if _sexes_differ(levels):
        return REVIEW, ("the records give different sexes: never linked automatically",)
    if levels.get("document", FieldLevel(MISSING)).level == "conflict":
        return REVIEW, ("two different valid resident IDs: never linked automatically",)
    if given_names_differ_without_document(levels):
        return REVIEW, (
            "the given names differ: twins share surname, birth date and birth place, so "
            "only an agreeing document number links them automatically",
        )
    if romanised_twins(levels):
        return REVIEW, (
            "the romanised given names are alike but not one name, with the same birth "
            "date: twins share it, so only an agreeing document number links them",
        )
    if year_and_look_alike_surname_alone(levels):
        return REVIEW, (
            "the surname's spelling stands for more than one surname and only the birth "
            "year agrees: not enough for an automatic link",
        )
    if look_alike_surname_against_an_attribute(levels):
        return REVIEW, (
            "the surname's spelling stands for more than one surname, the birth places "
            "differ and the birth date is not exact: not enough for an automatic link",
        )
    if surname_share_value >= model.common_surname_share and not has_identifying_evidence(levels):
        return REVIEW, (
            f"common surname ({surname_share_value:.0%} of people): name and birth date alone "
            "are not enough for an automatic link",
        )
    return None, ()


def decide_band(
    score: float,
    levels: Mapping[str, FieldLevel],
    surname_share_value: float,
    model: MatchModel,
) -> tuple[str, tuple[str, ...]]:
    """Band of a score, with the rules that keep weak evidence from linking on its own."""
    if score < model.review_threshold:
        return NON_MATCH, ()
    rule, notes = band_by_rule(levels, surname_share_value, model)
    if rule == AUTO_LINK:
        return AUTO_LINK, notes
    if score < model.auto_link_threshold:
        return REVIEW, ()
    if rule == REVIEW:
        return REVIEW, notes
    return AUTO_LINK, ()
