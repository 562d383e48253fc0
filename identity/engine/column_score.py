"""The column-wise score of many record pairs at once (`columns.py` holds the columns
and the name levels, `column_dates.py` the dates and documents).

Date, sex, document and places are scored first; names are compared last, one distinct
pair at a time, and only for pairs that could still reach the lowest score kept.
"""

from __future__ import annotations

import math

import numpy as np
from rapidfuzz.distance import JaroWinkler
from rapidfuzz.process import cpdist

from identity.engine.column_dates import (
    DATE_LEVELS,
    DOCUMENT_LEVELS,
    date_levels,
    document_levels_of,
)
from identity.engine.columns import (
    FAMILY_LEVELS,
    GIVEN_LEVELS,
    RecordColumns,
    family_levels,
    given_levels,
    levels_to_weights,
    surname_agreement,
)
from identity.engine.places import PLACE_PREFIX
from identity.engine.scoring import ATTRIBUTE_PREFIX, MatchModel

_WORKERS = 2


def score_columns(
    c: RecordColumns,
    left: np.ndarray,
    right: np.ndarray,
    model: MatchModel,
    lowest_kept: float | None = None,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Scores of pairs (left[i], right[i]), whether the pair may auto-link, and conflicts.

    Returns (score, evidence, conflict): evidence marks agreement on a document or an
    attribute, conflict marks two different valid resident IDs. lowest_kept: a pair that
    stays below it whatever its names say is given the best family- and given-name
    weights instead of comparing them (its score is then only a bound, below lowest_kept):
    names are compared last, one distinct pair at a time, and are the dearest part.
    """
    score = levels_to_weights(model, "birth_date", date_levels(c, left, right), DATE_LEVELS)
    score += sex_weights(c, left, right, model)

    document_levels = document_levels_of(c, left, right)
    score += levels_to_weights(model, "document", document_levels, DOCUMENT_LEVELS)
    evidence = document_levels == 1
    for name, (codes, texts) in c.attributes.items():
        ca, cb = codes[left], codes[right]
        levels = np.where((ca < 0) | (cb < 0), 0, np.where(ca == cb, 1, 3))
        unresolved = np.flatnonzero(levels == 3)
        similar = attribute_similar(texts, left[unresolved], right[unresolved])
        levels[unresolved[similar]] = 2
        score += levels_to_weights(
            model, ATTRIBUTE_PREFIX + name, levels, ("missing", "exact", "similar", "different")
        )
        evidence |= (levels == 1) | (levels == 2)

    shared, share = surname_agreement(c, left, right)
    named = np.arange(len(left))
    if lowest_kept is not None:
        best = family_bound(c, left, right, model, shared, share) + given_bound(
            c, left, right, model
        )
        hopeless = score + best < lowest_kept
        score[hopeless] += best[hopeless]
        named = np.flatnonzero(~hopeless)
    score[named] += _family_weights(
        c, left[named], right[named], model, shared[named], share[named]
    )
    if lowest_kept is not None:
        best_given = given_bound(c, left[named], right[named], model)
        hopeless = score[named] + best_given < lowest_kept
        score[named[hopeless]] += best_given[hopeless]
        named = named[~hopeless]
    given = given_levels(c, left[named], right[named])
    score[named] += levels_to_weights(model, "given_name", given, GIVEN_LEVELS)
    return score, evidence, document_levels == 4


def sex_weights(
    c: RecordColumns, left: np.ndarray, right: np.ndarray, model: MatchModel
) -> np.ndarray:
    """The sex weights of pairs (missing, agree or different)."""
    sa, sb = c.sex[left], c.sex[right]
    levels = np.where((sa == 0) | (sb == 0), 0, np.where(sa == sb, 1, 2))
    return levels_to_weights(model, "sex", levels, ("missing", "agree", "different"))


def _family_weights(
    c: RecordColumns,
    left: np.ndarray,
    right: np.ndarray,
    model: MatchModel,
    shared: np.ndarray,
    share: np.ndarray,
) -> np.ndarray:
    """The family-name weights of pairs; an exact surname weighs by its population share."""
    family = family_levels(c, left, right, shared)
    weights = levels_to_weights(model, "family_name", family, FAMILY_LEVELS)
    if model.surname_frequency_adjustment:
        adjusted = family == 1
        weights[adjusted] = _exact_surname_weights(model, share[adjusted])
    return weights


def _exact_surname_weights(model: MatchModel, share: np.ndarray) -> np.ndarray:
    """An exact surname's weight by the population share of the surname (score_pair's)."""
    m_exact = model.m.get("family_name", {}).get("exact", 0.92)
    return np.log2(m_exact / np.maximum(share, 1e-9))


def family_bound(
    c: RecordColumns,
    left: np.ndarray,
    right: np.ndarray,
    model: MatchModel,
    shared: np.ndarray,
    share: np.ndarray,
) -> np.ndarray:
    """A family-name weight no comparison of the pairs' surnames exceeds: exact (weighed by
    its share) or similar where a surname key is shared, similar or different elsewhere."""
    exact = np.full(len(left), model.weight("family_name", "exact"))
    if model.surname_frequency_adjustment:
        exact = _exact_surname_weights(model, share)
    unshared = max(model.weight("family_name", level) for level in ("similar", "different"))
    family = np.where(shared, np.maximum(exact, model.weight("family_name", "similar")), unshared)
    return np.where(c.has_family[left] & c.has_family[right], family, 0.0)


def given_bound(
    c: RecordColumns, left: np.ndarray, right: np.ndarray, model: MatchModel
) -> np.ndarray:
    """A given-name weight no comparison of the pairs' given names exceeds."""
    best = max(model.weight("given_name", level) for level in GIVEN_LEVELS[1:])
    return np.where(c.has_given[left] & c.has_given[right], best, 0.0)


def _place_numbers(texts: np.ndarray) -> np.ndarray:
    """Six-digit code of each coded place (@222401), -1 for free text."""
    numbers = np.full(len(texts), -1, dtype=np.int64)
    coded = np.flatnonzero([text.startswith(PLACE_PREFIX) for text in texts.tolist()])
    numbers[coded] = [int(text[len(PLACE_PREFIX) :]) for text in texts[coded].tolist()]
    return numbers


def attribute_similar(texts: np.ndarray, left: np.ndarray, right: np.ndarray) -> np.ndarray:
    """compare_attribute's "similar" for pairs of different values: two coded places in
    one prefecture or one inside the other (place_level); free text by Jaro-Winkler."""
    a, b = _place_numbers(texts[left]), _place_numbers(texts[right])
    coded = (a >= 0) & (b >= 0)
    similar = np.zeros(len(left), dtype=bool)
    text_pairs = np.flatnonzero(~coded)
    similar[text_pairs] = _similarity(texts, left[text_pairs], right[text_pairs]) >= 0.88
    a, b = a[coded], b[coded]

    def level(code: np.ndarray) -> np.ndarray:
        return np.where(code % 10000 == 0, 1, np.where(code % 100 == 0, 2, 3))

    def contains(outer: np.ndarray, inner: np.ndarray) -> np.ndarray:
        lo = level(outer)
        return ((lo == 1) & (inner // 10000 == outer // 10000)) | (
            (lo == 2) & (inner // 100 == outer // 100)
        )

    same_prefecture = (level(a) == 3) & (level(b) == 3) & (a // 100 == b // 100)
    similar[coded] = (contains(a, b) | contains(b, a) | same_prefecture) & (a != b)
    return similar


def common_surname_mask(
    c: RecordColumns, left: np.ndarray, right: np.ndarray, model: MatchModel
) -> np.ndarray:
    """Pairs whose surname is common enough that name and date alone may not auto-link."""
    share = np.maximum(c.surname_share[left], c.surname_share[right])
    return share >= model.common_surname_share - math.ulp(model.common_surname_share)


def _similarity(texts: np.ndarray, left: np.ndarray, right: np.ndarray) -> np.ndarray:
    """Jaro-Winkler similarity of pairs; 0 where either text is empty (nothing to compare)."""
    if len(left) == 0:
        return np.zeros(0)
    left_texts, right_texts = texts[left], texts[right]
    similarity = cpdist(
        left_texts.tolist(),
        right_texts.tolist(),
        scorer=JaroWinkler.normalized_similarity,
        workers=_WORKERS,
    )
    return np.where((left_texts == "") | (right_texts == ""), 0.0, similarity)
