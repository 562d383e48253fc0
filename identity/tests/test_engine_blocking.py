"""Blocking keys, blocking recall, the live index and batch deduplication."""

from __future__ import annotations

from functools import lru_cache

import numpy as np

from identity.engine.blocking import blocking_keys
from identity.engine.dedup import find_duplicates
from identity.engine.evaluate import true_pairs
from identity.engine.index import MatchIndex
from identity.engine.pairs import candidate_pairs
from identity.engine.records import PersonRecord, PreparedRecord, prepare_record
from identity.engine.scoring import AUTO_LINK, NON_MATCH
from identity.engine.synthetic import generate_registry


def person(record_id: str, family: str, given: str = "", **fields: object) -> PreparedRecord:
    return prepare_record(PersonRecord.from_typed(record_id, family, given, **fields))  # type: ignore[arg-type]


def share_a_key(left: PreparedRecord, right: PreparedRecord) -> bool:
    return bool(set(blocking_keys(left)) & set(blocking_keys(right)))


def test_each_single_error_leaves_a_shared_key() -> None:
    original = person("a", "安在秀", birth_date="1935-03-07")
    assert share_a_key(original, person("b", "An", "Zaixiu", birth_date="1936-03-07"))
    assert share_a_key(original, person("c", "안", "재수", birth_date="1935-07-03"))
    assert share_a_key(original, person("d", "Ahn", "Jae Soo", birth_date="1935-03-08"))
    assert share_a_key(original, person("e", "Amn", "Jae-su", birth_date="1935-03-07"))
    assert share_a_key(original, person("f", "안재수", birth_date="1935"))


def test_unrelated_people_share_no_key() -> None:
    assert not share_a_key(
        person("a", "安在秀", birth_date="1935-03-07"),
        person("b", "朴英順", birth_date="1951-10-20"),
    )


@lru_cache(maxsize=1)
def small_registry() -> tuple[list[PreparedRecord], dict[str, str]]:
    rows = list(generate_registry(2500, seed=7))
    return [prepare_record(record) for record, _ in rows], {r.record_id: p for r, p in rows}


def test_blocking_recall_on_a_synthetic_registry() -> None:
    prepared, person_of = small_registry()
    truth = true_pairs(person_of)
    pairs, stats = candidate_pairs(prepared)
    ids = [record.record_id for record in prepared]
    found = {tuple(sorted((ids[a], ids[b]))) for a, b in pairs.tolist()}
    assert len(found & truth) / len(truth) >= 0.94
    # blocking must prune: far fewer pairs than all n(n-1)/2
    assert stats["candidate_pairs"] < len(prepared) * 10


def test_live_check_finds_the_earlier_record_and_explains_it() -> None:
    index = MatchIndex()
    index.add(person("old", "安在秀", birth_date="1935-03-07", sex="M"))
    index.add(person("other", "朴英順", birth_date="1951-10-20", sex="F"))
    results = index.check(person("new", "An", "Chae-su", birth_date="1935-03-07", sex="M"))
    assert [result.right_id for result in results] == ["old"]
    assert results[0].band == AUTO_LINK
    assert results[0].reasons


def test_live_check_never_returns_the_record_itself_or_removed_records() -> None:
    index = MatchIndex()
    record = person("same", "안재수", birth_date="1935-03-07")
    index.add(record)
    assert index.check(record) == []
    index.add(person("twin", "안재수", birth_date="1935-03-07"))
    index.remove("twin")
    assert index.check(record) == []
    assert len(index) == 1


def test_live_check_reaches_undated_records() -> None:
    index = MatchIndex()
    index.add(person("undated", "Yeon", "Jae-su"))
    results = index.check(person("q", "연재수", birth_date="1935-03-07"), include_non_matches=True)
    assert [result.right_id for result in results] == ["undated"]


def test_batch_dedup_clusters_are_ordered_and_report_progress() -> None:
    prepared, person_of = small_registry()
    stages: set[str] = set()
    result = find_duplicates(prepared, progress=lambda stage, done, total: stages.add(stage))
    assert {"prepare", "block", "score"} <= stages
    scores = [cluster.score for cluster in result.clusters]
    assert scores == sorted(scores, reverse=True)
    auto = [pair for pair in result.pairs if pair.band == AUTO_LINK]
    correct = sum(person_of[pair.left_id] == person_of[pair.right_id] for pair in auto)
    assert correct / len(auto) >= 0.99
    assert all(pair.band != NON_MATCH for pair in result.pairs)
    cluster = result.clusters[0]
    assert {pair.left_id for pair in cluster.pairs} <= set(cluster.record_ids)


def test_linking_two_registries_pairs_only_across_them() -> None:
    records = [
        PersonRecord.from_typed("a1", "안재수", birth_date="1935-03-07", source="A"),
        PersonRecord.from_typed("a2", "안재수", birth_date="1935-03-07", source="A"),
        PersonRecord.from_typed("b1", "Ahn", "Jae Soo", birth_date="1935-03-07", source="B"),
    ]
    result = find_duplicates(records, across_sources_only=True)
    assert {frozenset((p.left_id, p.right_id)) for p in result.pairs} == {
        frozenset(("a1", "b1")),
        frozenset(("a2", "b1")),
    }


def test_column_wise_scores_agree_with_pair_scores() -> None:
    from identity.engine.column_score import score_columns
    from identity.engine.columns import RecordColumns
    from identity.engine.scoring import MatchModel, score_pair
    from identity.engine.surnames import surname_share

    prepared, _ = small_registry()
    pairs, _ = candidate_pairs(prepared)
    pairs = pairs[:3000]
    model = MatchModel()
    columns = RecordColumns.build(prepared, surname_share)
    fast, _, _ = score_columns(columns, pairs[:, 0], pairs[:, 1], model)
    slow = [score_pair(prepared[a], prepared[b], model).score for a, b in pairs.tolist()]
    close = sum(abs(x - y) < 0.5 for x, y in zip(fast.tolist(), slow, strict=True))
    assert close / len(slow) >= 0.95


def test_index_built_in_bulk_and_one_by_one_finds_the_same() -> None:
    bulk = MatchIndex()
    bulk.add_many([person("old", "安在秀", birth_date="1935-03-07")])
    trickle = MatchIndex()
    trickle.MERGE_PENDING_AT = 2  # force merges of the pending dict into the sorted arrays
    for number in range(5):
        trickle.add(person(f"x{number}", "朴英順", birth_date=f"195{number}-10-20"))
    trickle.add(person("old", "安在秀", birth_date="1935-03-07"))
    query = person("new", "Ahn", "Jae Soo", birth_date="1935-03-07")
    assert [r.right_id for r in bulk.check(query)] == ["old"]
    assert [r.right_id for r in trickle.check(query)] == ["old"]


def test_column_date_levels_are_the_pair_comparison_levels() -> None:
    from identity.engine.column_dates import DATE_LEVELS, date_levels
    from identity.engine.columns import RecordColumns
    from identity.engine.dates import compare_birth_dates
    from identity.engine.surnames import surname_share

    dates = [
        "1935-03-07", "1935-03-08", "1935-07-03", "1953-03-07", "1936-03-07", "1945-03-07",
        "1935-03-06", "1935-04-07", "1935-12-31", "1936-01-01", "1935", "1936", "1938",
        "1935-03", "1935-04", "1935?", "c. 1937", "约1933年", "1978-10-12", "1987-10-21",
        "1987-01-12", "1928", "1982-10", "1982?", None,
    ]  # fmt: skip
    prepared = [person(f"r{n}", "안재수", birth_date=date) for n, date in enumerate(dates)]
    columns = RecordColumns.build(prepared, surname_share)
    left, right = zip(*[(a, b) for a in range(len(dates)) for b in range(len(dates))], strict=True)
    levels = date_levels(columns, np.array(left), np.array(right))
    expected = [
        compare_birth_dates(prepared[a].birth_date, prepared[b].birth_date).level
        for a, b in zip(left, right, strict=True)
    ]
    assert [DATE_LEVELS[level] for level in levels] == expected


def test_upper_bound_never_drops_a_pair_scoring_review() -> None:
    from identity.engine.column_bound import score_upper_bound_columns
    from identity.engine.column_score import score_columns
    from identity.engine.columns import RecordColumns
    from identity.engine.scoring import MatchModel
    from identity.engine.surnames import surname_share

    prepared, _ = small_registry()
    pairs, _ = candidate_pairs(prepared)
    random_pairs = np.random.default_rng(3).integers(0, len(prepared), size=(5000, 2))
    pairs = np.concatenate([pairs, random_pairs])
    model = MatchModel()
    columns = RecordColumns.build(prepared, surname_share)
    bound = score_upper_bound_columns(columns, pairs[:, 0], pairs[:, 1], model)
    score, _, _ = score_columns(columns, pairs[:, 0], pairs[:, 1], model)
    assert (bound >= score - 1e-9).all()
    # and it is worth computing: most pairs are ruled out before any string comparison
    assert (bound < model.review_threshold).mean() > 0.5


def test_a_pinyin_name_meets_its_korean_spellings_when_the_year_is_mistyped() -> None:
    # 1957 typed 1975: no year bucket is shared; day and month and the given name's
    # Korean reading still bring the records together, in Hangul and in romanisation
    pinyin = prepare_record(PersonRecord.from_typed("a", "Guo", "Zhushun", birth_date="1975-02-26"))
    for other in (
        PersonRecord.from_typed("b", "곽", "주순", birth_date="1957-02-26"),
        PersonRecord.from_typed("c", "Gwak", "Jusun", birth_date="1957-02-26"),
    ):
        shared = set(blocking_keys(pinyin)) & set(blocking_keys(prepare_record(other)))
        assert {key.split(":")[0] for key in shared} & {"rmd", "gmd"}, other
    stranger = prepare_record(PersonRecord.from_typed("d", "곽", "주순", birth_date="1957-03-26"))
    assert not {
        k.split(":")[0] for k in set(blocking_keys(pinyin)) & set(blocking_keys(stranger))
    } & {
        "rmd",
        "gmd",
    }


def test_a_pinyin_and_a_korean_name_of_one_county_meet_whatever_their_dates() -> None:
    # 1947 typed for 1974 and the other date only approximate: no date key is shared, the
    # surname, the Korean reading of the given name and the county are
    korean = prepare_record(
        PersonRecord.from_typed(
            "a", "Ri", "Su Son", birth_date="1947-02-02", attributes={"place": "Longjing"}
        )
    )
    pinyin = prepare_record(
        PersonRecord.from_typed(
            "b", "Li", "Xiushan", birth_date="~1974", attributes={"place": "龙井市"}
        )
    )
    elsewhere = prepare_record(
        PersonRecord.from_typed(
            "c", "Li", "Xiushan", birth_date="~1974", attributes={"place": "延吉市"}
        )
    )
    shared = set(blocking_keys(korean)) & set(blocking_keys(pinyin))
    assert {key.split(":")[0] for key in shared} == {"sra"}
    assert not set(blocking_keys(korean)) & set(blocking_keys(elsewhere))
