"""Identity-matching engine for the files check (no Django imports).

The Django side calls:

- ``derive_name_forms(...)`` -> ``NameForms``: every comparable form of a name, to store
  in indexed columns (Hangul variants, pinyin, RR, phonetic keys, surname crosswalk keys).
- ``PersonRecord`` / ``PersonRecord.from_typed(...)`` and ``prepare_record(record)``.
- ``blocking_keys(prepared)``: the keys to store for SQL-side blocking.
- ``MatchIndex``: in-memory live check, ``index.check(record)`` -> ``list[MatchResult]``.
- ``score_pair(left, right, model)`` -> ``MatchResult`` (score, band, reasons).
- ``estimate_model(labelled_pairs)`` -> ``EstimationReport`` (new model, metrics before
  and after).
- ``find_duplicates(records, progress=...)`` -> ``DedupResult`` (clusters by score);
  ``find_duplicates_in_table(table, ...)`` the same on records read as columns.
- ``parse_resident_id(text)`` / ``resident_id_errors(text)``: Chinese resident IDs.
"""

from identity.engine.blocking import blocking_keys
from identity.engine.dedup import (
    DedupResult,
    DuplicateCluster,
    DuplicatePair,
    find_duplicates,
    find_duplicates_in_table,
)
from identity.engine.estimate import BandMetrics, EstimationReport, LabelledPair, estimate_model
from identity.engine.idnumber import (
    ResidentId,
    make_resident_id,
    normalize_document_number,
    parse_resident_id,
    resident_id_errors,
)
from identity.engine.index import MatchIndex
from identity.engine.names import NameForms, derive_name_forms
from identity.engine.records import BirthDate, PersonRecord, PreparedRecord, prepare_record
from identity.engine.scoring import (
    AUTO_LINK,
    NON_MATCH,
    REVIEW,
    FieldComparison,
    MatchModel,
    MatchResult,
    score_pair,
)
from identity.engine.surnames import surname_keys_from_latin

__all__ = [
    "AUTO_LINK",
    "NON_MATCH",
    "REVIEW",
    "BandMetrics",
    "BirthDate",
    "DedupResult",
    "DuplicateCluster",
    "DuplicatePair",
    "EstimationReport",
    "FieldComparison",
    "LabelledPair",
    "MatchIndex",
    "MatchModel",
    "MatchResult",
    "NameForms",
    "PersonRecord",
    "PreparedRecord",
    "ResidentId",
    "blocking_keys",
    "derive_name_forms",
    "estimate_model",
    "find_duplicates",
    "find_duplicates_in_table",
    "make_resident_id",
    "normalize_document_number",
    "parse_resident_id",
    "prepare_record",
    "resident_id_errors",
    "score_pair",
    "surname_keys_from_latin",
]
