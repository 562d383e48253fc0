"""Fellegi-Sunter scoring of a record pair, with reasons and a decision band.

The score is the sum over fields of log2(m / u), where m is the chance of the observed
agreement level among true matches and u among non-matches. Surname agreement uses the
surname's share of the population as u (term-frequency adjustment), so "Kim" = "Kim" is
worth about 2 bits and "Yeon" = "Yeon" about 10. A missing field contributes nothing.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from typing import Any

from identity.engine.bands import (  # noqa: F401  (the rules are part of scoring's interface)
    ATTRIBUTE_PREFIX,
    AUTO_LINK,
    GIVEN_NOT_AGREEING,
    NON_MATCH,
    REVIEW,
    YEAR_LEVELS,
    band_by_rule,
    decide_band,
    given_names_differ_without_document,
    has_identifying_evidence,
    year_and_look_alike_surname_alone,
)
from identity.engine.compare import (
    MISSING,
    OTHER_HANZI,
    FieldLevel,
    compare_attribute,
    compare_documents,
    compare_family_names,
    compare_given_names,
    compare_sex,
)
from identity.engine.dates import compare_birth_dates
from identity.engine.records import PreparedRecord
from identity.engine.surnames import surname_share

_MIN_PROBABILITY = 1e-9
DEFAULT_REFERENCE_REGISTRY_SIZE = 6_000
# A larger registry holds more namesakes per record, so a fitted threshold links more
# pairs of two people: at the defaults' thresholds 0.10% of the automatic links on the
# cross-script generator were wrong at 6,000 records, 0.20% at 24,000, 0.35% at 96,000,
# and 1.1% on the bench's registry of a million: about the square root of the size. Each
# bit of threshold removes about a third of them (0.35% -> 0.24% -> 0.15% at 96,000), so
# half a bit per doubling holds the precision target with room to a million and beyond,
# where a full bit (log2 of the size, as if every record met every other) cost a million
# records' registry 0.35 of its automatic recall (precision 0.9997).
THRESHOLD_BITS_PER_DOUBLING = 0.5

SurnameShare = Callable[[str], float]

# P(level | match) and P(level | non-match), before a station has labels of its own.
# Names, dates and places are what EM (em.py) estimated on the cross-script synthetic
# registry (hard_synthetic.py, training seeds 1001-1003, 6,000 records each), rounded:
# Hangul, Hanzi and romanised forms of one name agree "phonetic" or "reading" more often
# than "exact", and approximate or year-only dates are common, so those levels weigh
# what such records show. Years one or two apart were later split by whether either was
# given as approximate, in the shares of true and random pairs those seeds show (9.6% /
# 0.83% with an approximate year, 1.4% / 1.9% without). Dates two typing slips apart and
# years transposed beside a partial date (dates.py) took a share of "different": their
# own raw shares (1.0% / 0.66% and 1.2% / 0.31% of true / random pairs) put them near
# +1 and +2 bits, and "different" stays where it was, near -2.6, as the generator's
# dates go wrong in fewer ways than people's. The document weights stay at
# population values: in a registry of 6,000 its random pairs hold enough true matches to
# make one ID seem 1 in 8,000.
# Two different surnames written in Hanzi (OTHER_HANZI) are 6% of random pairs there and
# never one person's; m supposes one in seventy such pairs of one person is miswritten.
# estimate_model() / estimate_model_em() replace all of these from a station's labels.
DEFAULT_M: dict[str, dict[str, float]] = {
    "document": {"exact": 0.95, "typo": 0.04, "different": 0.05, "conflict": 0.0005},
    "family_name": {"exact": 0.857, "similar": 0.008, "different": 0.134, OTHER_HANZI: 0.001},
    "given_name": {
        "exact": 0.44,
        "phonetic": 0.36,
        "reading": 0.12,
        "close": 0.02,
        "similar": 0.01,
        "different": 0.05,
    },
    "birth_date": {
        "exact": 0.37,
        "one_day": 0.05,
        "day_month_swapped": 0.02,
        "year_off": 0.05,
        "year_month": 0.07,
        "year_only": 0.14,
        "approximate_near": 0.057,
        "year_near": 0.008,
        "digit_typo": 0.055,
        "two_slips": 0.015,
        "year_transposed": 0.012,
        "different": 0.153,
    },
    "sex": {"agree": 0.98, "different": 0.02},
    "attribute": {"exact": 0.85, "similar": 0.08, "different": 0.07},
    "attribute:place": {"exact": 0.88, "similar": 0.036, "different": 0.084},
}
DEFAULT_U: dict[str, dict[str, float]] = {
    "document": {"exact": 1e-6, "typo": 1e-5, "different": 0.5, "conflict": 0.499989},
    "family_name": {"exact": 0.066, "similar": 0.029, "different": 0.843, OTHER_HANZI: 0.062},
    "given_name": {
        "exact": 0.00066,
        "phonetic": 0.0008,
        "reading": 0.0012,
        "close": 0.0056,
        "similar": 0.048,
        "different": 0.94374,
    },
    "birth_date": {
        "exact": 0.00022,
        "one_day": 0.00008,
        "day_month_swapped": 0.00002,
        "year_off": 0.00047,
        "year_month": 0.00015,
        "year_only": 0.0034,
        "approximate_near": 0.0083,
        "year_near": 0.0117,
        "digit_typo": 0.00043,
        "two_slips": 0.0066,
        "year_transposed": 0.0031,
        "different": 0.96553,
    },
    "sex": {"agree": 0.5, "different": 0.5},
    "attribute": {"exact": 0.05, "similar": 0.03, "different": 0.92},
    "attribute:place": {"exact": 0.092, "similar": 0.39, "different": 0.518},
}


@dataclass
class MatchModel:
    """Weights and thresholds. Serialise with to_dict() to keep a re-estimated model.

    common_surname_share: a surname carried by at least this share of people is
    "common": name and birth date alone then never make an automatic link; a document
    number or an attribute (birth place...) must agree as well.
    """

    m: dict[str, dict[str, float]] = field(default_factory=lambda: _copy(DEFAULT_M))
    u: dict[str, dict[str, float]] = field(default_factory=lambda: _copy(DEFAULT_U))
    # fitted on the same registry's labels (thresholds_from_training) to hold 0.995
    # precision; the common-surname rule is off (1.0), as those fits left it: a surname's
    # frequency is already in its weight
    auto_link_threshold: float = 19.0
    review_threshold: float = 10.0
    common_surname_share: float = 1.0
    surname_frequency_adjustment: bool = True
    # the registry size the thresholds hold their precision at (the defaults' fits were
    # on registries of 6,000 records); at_registry_size() raises them for larger ones
    reference_registry_size: int = DEFAULT_REFERENCE_REGISTRY_SIZE

    def at_registry_size(self, records: int) -> MatchModel:
        """This model with its thresholds for a registry of `records` records: both rise
        THRESHOLD_BITS_PER_DOUBLING for each whole doubling of the size they were fitted
        at (whole doublings, so that a count a few minutes old, the live check's, and the
        batch's exact one give the same bands). A smaller registry keeps the fitted
        thresholds; the result's reference is the size its thresholds are for, so asking
        again for the same size changes nothing."""
        if records <= self.reference_registry_size:
            return self
        doublings = math.floor(math.log2(records / self.reference_registry_size))
        if doublings <= 0:
            return self
        shift = doublings * THRESHOLD_BITS_PER_DOUBLING
        return replace(
            self,
            auto_link_threshold=self.auto_link_threshold + shift,
            review_threshold=self.review_threshold + shift,
            reference_registry_size=self.reference_registry_size * 2**doublings,
        )

    def weight(self, field_name: str, level: str) -> float:
        """log2(m/u) of one field's level; 0 for a missing field or an unknown level."""
        if level == MISSING:
            return 0.0
        table = "attribute" if field_name.startswith(ATTRIBUTE_PREFIX) else field_name
        m = self.m.get(field_name, self.m.get(table, {})).get(level)
        u = self.u.get(field_name, self.u.get(table, {})).get(level)
        if m is None or u is None:
            return 0.0
        return math.log2(max(m, _MIN_PROBABILITY) / max(u, _MIN_PROBABILITY))

    def to_dict(self) -> dict[str, Any]:
        return {
            "m": _copy(self.m),
            "u": _copy(self.u),
            "auto_link_threshold": self.auto_link_threshold,
            "review_threshold": self.review_threshold,
            "common_surname_share": self.common_surname_share,
            "surname_frequency_adjustment": self.surname_frequency_adjustment,
            "reference_registry_size": self.reference_registry_size,
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> MatchModel:
        """A saved model; a level added to the engine after it was saved takes its default
        (else it would weigh nothing, more than the level it was split from)."""
        model = cls(**{key: data[key] for key in cls.__dataclass_fields__ if key in data})
        model.m, model.u = _copy(model.m), _copy(model.u)
        for saved, defaults in ((model.m, DEFAULT_M), (model.u, DEFAULT_U)):
            for table, levels in saved.items():
                for level, value in defaults.get(table, {}).items():
                    levels.setdefault(level, value)
        return model


def _copy(table: Mapping[str, Mapping[str, float]]) -> dict[str, dict[str, float]]:
    return {name: dict(levels) for name, levels in table.items()}


@dataclass(frozen=True, slots=True)
class FieldComparison:
    """One row of the side-by-side display: a field, how it agreed, and what it weighed."""

    field: str
    level: str
    weight: float
    similarity: float | None
    detail: str


@dataclass(frozen=True, slots=True)
class MatchResult:
    """A scored pair: total score in bits, band, and per-field reasons."""

    left_id: str
    right_id: str
    score: float
    band: str
    comparisons: tuple[FieldComparison, ...]
    notes: tuple[str, ...] = ()
    # the band a rule gives whatever the automatic-link threshold (None: the score
    # decides): threshold fitting leaves these pairs out, as no threshold moves them
    rule_band: str | None = None

    @property
    def reasons(self) -> list[str]:
        """Human-readable reasons, strongest first."""
        rows = sorted(self.comparisons, key=lambda row: -abs(row.weight))
        lines = [
            f"{row.field}: {row.level} ({row.weight:+.1f}) {row.detail}".rstrip()
            for row in rows
            if row.level != MISSING
        ]
        return lines + list(self.notes)

    def to_dict(self) -> dict[str, Any]:
        return {
            "left_id": self.left_id,
            "right_id": self.right_id,
            "score": round(self.score, 3),
            "band": self.band,
            "comparisons": [
                {
                    "field": row.field,
                    "level": row.level,
                    "weight": round(row.weight, 3),
                    "similarity": row.similarity,
                    "detail": row.detail,
                }
                for row in self.comparisons
            ],
            "notes": list(self.notes),
        }


def compare_fields(left: PreparedRecord, right: PreparedRecord) -> dict[str, FieldLevel]:
    """Agreement level of every field, attributes included (keyed 'attribute:<name>')."""
    levels = {
        "document": compare_documents(left, right),
        "family_name": compare_family_names(left, right),
        "given_name": compare_given_names(left, right),
        "birth_date": compare_birth_dates(left.birth_date, right.birth_date),
        "sex": compare_sex(left, right),
    }
    for name in sorted(set(left.attributes) & set(right.attributes)):
        levels[ATTRIBUTE_PREFIX + name] = compare_attribute(
            left.attributes.get(name), right.attributes.get(name)
        )
    return levels


def _surname_common_share(
    left: PreparedRecord, right: PreparedRecord, share: SurnameShare
) -> float:
    keys = set(left.names.surname_keys) | set(right.names.surname_keys)
    return max((share(key) for key in keys), default=0.0)


def score_pair(
    left: PreparedRecord,
    right: PreparedRecord,
    model: MatchModel | None = None,
    *,
    surname_share_of: SurnameShare = surname_share,
) -> MatchResult:
    """Score two prepared records and decide their band, with reasons for display.

    A record whose Latin name order is unsure is scored in both orders; the better
    reading counts (and says so)."""
    model = model or MatchModel()
    if left.swapped_names is None and right.swapped_names is None:
        return _score_one_reading(left, right, model, surname_share_of)
    # both records read in their other order align family with family and given with
    # given as written: it would only shop for the rarer-looking surname's weight
    readings = [
        _score_one_reading(a, b, model, surname_share_of)
        for left_swapped, a in enumerate(left.name_variants())
        for right_swapped, b in enumerate(right.name_variants())
        if not (left_swapped and right_swapped)
    ]
    best = max(range(len(readings)), key=lambda n: readings[n].score)
    result = readings[best]
    if best:
        note = "Latin name read in the other order (family and given name swapped)"
        result = replace(result, notes=(*result.notes, note))
    return result


def _score_one_reading(
    left: PreparedRecord, right: PreparedRecord, model: MatchModel, surname_share_of: SurnameShare
) -> MatchResult:
    levels = compare_fields(left, right)
    comparisons: list[FieldComparison] = []
    for field_name, outcome in levels.items():
        weight = model.weight(field_name, outcome.level)
        if field_name == "family_name" and outcome.level == "exact":
            weight = _surname_weight(left, right, model, surname_share_of, weight)
        comparisons.append(
            FieldComparison(field_name, outcome.level, weight, outcome.similarity, outcome.detail)
        )
    score = sum(row.weight for row in comparisons)
    common_share = _surname_common_share(left, right, surname_share_of)
    band, notes = decide_band(score, levels, common_share, model)
    rule, _ = band_by_rule(levels, common_share, model)
    return MatchResult(
        left.record_id, right.record_id, score, band, tuple(comparisons), notes, rule
    )


def _surname_weight(
    left: PreparedRecord,
    right: PreparedRecord,
    model: MatchModel,
    share: SurnameShare,
    average_weight: float,
) -> float:
    if not model.surname_frequency_adjustment:
        return average_weight
    shared = set(left.names.surname_keys) & set(right.names.surname_keys)
    frequency = max((share(key) for key in shared), default=0.0)
    if frequency <= 0:
        return average_weight
    m = model.m.get("family_name", {}).get("exact", 0.92)
    return math.log2(max(m, _MIN_PROBABILITY) / frequency)


def score_upper_bound(
    left: PreparedRecord,
    right: PreparedRecord,
    model: MatchModel,
    *,
    surname_share_of: SurnameShare = surname_share,
) -> float:
    """A cheap score that is never below score_pair's: lets the live check skip candidates.

    Dates, sex and documents are compared exactly (they are cheap); names and attributes
    are given the best weight they could still earn without running string similarity.
    """
    if left.swapped_names is not None or right.swapped_names is not None:
        return max(
            _upper_bound(a, b, model, surname_share_of)
            for a in left.name_variants()
            for b in right.name_variants()
        )
    return _upper_bound(left, right, model, surname_share_of)


def _upper_bound(
    left: PreparedRecord, right: PreparedRecord, model: MatchModel, surname_share_of: SurnameShare
) -> float:
    bound = model.weight("birth_date", compare_birth_dates(left.birth_date, right.birth_date).level)
    bound += model.weight("sex", compare_sex(left, right).level)
    bound += model.weight("document", compare_documents(left, right).level)
    bound += max(model.weight("given_name", level) for level in model.m.get("given_name", {}))
    shared = set(left.names.surname_keys) & set(right.names.surname_keys)
    if shared:
        exact = model.weight("family_name", "exact")
        bound += max(exact, _surname_weight(left, right, model, surname_share_of, exact))
    else:
        bound += max(model.weight("family_name", "similar"), 0.0)
    for name in set(left.attributes) & set(right.attributes):
        field_name = ATTRIBUTE_PREFIX + name
        # two unequal values are similar or different, whichever weighs more (a place
        # "similar" by region is common by chance and may weigh less than "different")
        levels = ("exact", "similar") if left.attributes[name] == right.attributes[name] else ()
        bound += max(model.weight(field_name, level) for level in (*levels, "similar", "different"))
    return bound
