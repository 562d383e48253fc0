"""An upper bound of the column-wise score, from the comparisons that need no strings.

At a million records most blocked pairs share a key by coincidence (a common surname and
a birth year, a given name and a birth place) and could not reach review whatever their
names say. The bound lets the batch drop them before any Jaro-Winkler is computed; a pair
it drops would have been dropped after scoring anyway, so results do not change.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from identity.engine.column_dates import DATE_LEVELS, date_levels
from identity.engine.column_score import family_bound, given_bound, sex_weights
from identity.engine.columns import (
    RecordColumns,
    levels_to_weights,
    surname_agreement,
)
from identity.engine.scoring import ATTRIBUTE_PREFIX, MatchModel


def score_upper_bound_columns(
    c: RecordColumns, left: np.ndarray, right: np.ndarray, model: MatchModel
) -> np.ndarray:
    """Per pair, a score score_columns never exceeds, from exact comparisons only.

    Dates, sex, documents and surname keys are compared exactly (integer codes); the
    given name and every level that needs string similarity get the best weight they
    could still earn. Pairs whose bound cannot reach review are not worth scoring.
    """

    def best(field_name: str, names: Sequence[str]) -> float:
        return max(model.weight(field_name, name) for name in names)

    bound = levels_to_weights(model, "birth_date", date_levels(c, left, right), DATE_LEVELS)
    bound += sex_weights(c, left, right, model)
    bound += given_bound(c, left, right, model)
    bound += family_bound(c, left, right, model, *surname_agreement(c, left, right))

    da, db = c.document[left], c.document[right]
    present = (da >= 0) & (db >= 0)
    both_valid = c.document_valid[left] & c.document_valid[right]
    document_levels = np.where(~present, 0, np.where(da == db, 1, np.where(both_valid, 3, 2)))
    document_weights = (
        0.0,
        model.weight("document", "exact"),
        best("document", ("typo", "different")),  # a typo is only told apart by the text
        model.weight("document", "conflict"),
    )
    bound += np.array(document_weights)[document_levels]
    for name, (codes, _) in c.attributes.items():
        ca, cb = codes[left], codes[right]
        levels = np.where((ca < 0) | (cb < 0), 0, np.where(ca == cb, 1, 2))
        field_name = ATTRIBUTE_PREFIX + name
        weights = (
            0.0,
            max(model.weight(field_name, "exact"), model.weight(field_name, "similar")),
            best(field_name, ("similar", "different")),
        )
        bound += np.array(weights)[levels]
    return bound
