"""Pairs the automatic links already join: linked with them, not sent to a reviewer
(issue 17, item 8), unless the pair contradicts itself."""

from dataclasses import replace

import numpy as np

from identity.engine import (
    AUTO_LINK,
    REVIEW,
    MatchModel,
    PersonRecord,
    find_duplicates,
    prepare_record,
    score_pair,
)
from identity.engine.dedup import joined_by_automatic_links
from identity.engine.records import PreparedRecord
from identity.engine.scoring import DEFAULT_M


def test_records_joined_through_a_third_are_found_joined() -> None:
    left, right = np.array([0, 1, 0, 3]), np.array([1, 2, 2, 0])
    auto = np.array([True, True, False, False])
    joined = joined_by_automatic_links(left, right, auto, 4)
    assert joined.tolist() == [True, True, True, False]


def _kim(record_id: str, *, place: str = "", sex: str = "M", latin: bool = False) -> PreparedRecord:
    names = ("Kim", "Yongchol") if latin else ("金英哲", "")
    return prepare_record(
        PersonRecord.from_typed(
            record_id,
            *names,
            birth_date="1953-03-07",
            sex=sex,
            attributes={"place": place} if place else {},
        )  # fmt: skip
    )


def _model_linking_through_b(a: PreparedRecord, b: PreparedRecord, c: PreparedRecord) -> MatchModel:
    """A model whose automatic-link threshold lies between the direct pair a~c and the
    two pairs through b (common-surname rule off: only the scores decide here)."""
    model = MatchModel(common_surname_share=1.0)
    through_b = min(score_pair(a, b, model).score, score_pair(b, c, model).score)
    direct = score_pair(a, c, model).score
    assert model.review_threshold < direct < through_b
    return MatchModel(common_surname_share=1.0, auto_link_threshold=(direct + through_b) / 2)


def test_a_review_pair_whose_records_are_linked_through_a_third_is_linked() -> None:
    # a and c give different places (a review on their own); b, without a place, is
    # linked automatically to each
    a, b, c = _kim("a", place="延吉"), _kim("b"), _kim("c", place="海林", latin=True)
    model = _model_linking_through_b(a, b, c)
    assert score_pair(a, c, model).band == REVIEW
    bands = {(p.left_id, p.right_id): p.band for p in find_duplicates([a, b, c], model=model).pairs}
    assert bands[("a", "c")] == AUTO_LINK
    alone = find_duplicates([a, b, c], model=model, join_through_links=False)
    assert {(p.left_id, p.right_id): p.band for p in alone.pairs}[("a", "c")] == REVIEW


def test_two_sexes_stay_for_review_even_when_linked_through_a_third() -> None:
    a, b, c = _kim("a", place="延吉"), _kim("b", sex=""), _kim("c", sex="F", latin=True)
    model = MatchModel(common_surname_share=1.0)
    through_b = min(score_pair(a, b, model).score, score_pair(b, c, model).score)
    model = MatchModel(common_surname_share=1.0, auto_link_threshold=through_b - 0.1)
    assert score_pair(a, b, model).band == AUTO_LINK
    assert score_pair(b, c, model).band == AUTO_LINK
    bands = {(p.left_id, p.right_id): p.band for p in find_duplicates([a, b, c], model=model).pairs}
    assert bands[("a", "c")] == REVIEW


def test_a_pair_whose_own_fields_speak_against_it_is_not_carried_by_a_chain() -> None:
    # b (no date, no place) links to a and to c; a and c give birth dates a year and a half
    # and places two prefectures apart: in a registry whose dates and places are rarely
    # wrong (weights below), their own score is below 0 bits
    def record(record_id: str, names: tuple[str, str], **typed: str) -> PreparedRecord:
        return prepare_record(
            PersonRecord.from_typed(
                record_id,
                *names,
                birth_date=typed.get("birth"),
                sex="M",
                attributes={"place": typed["place"]} if "place" in typed else {},
            )  # fmt: skip
        )

    a = record("a", ("金英哲", ""), birth="1953-03-07", place="延吉")
    b = record("b", ("金英哲", ""))
    c = record("c", ("Kim", "Yongchol"), birth="1954-11-20", place="海林")
    m = {
        **DEFAULT_M,
        "birth_date": {**DEFAULT_M["birth_date"], "different": 0.001},
        "attribute:place": {**DEFAULT_M["attribute:place"], "different": 0.002},
    }
    loose = MatchModel(m=m, common_surname_share=1.0, review_threshold=-20.0)
    through_b = min(score_pair(a, b, loose).score, score_pair(b, c, loose).score)
    assert score_pair(a, c, loose).score < 0 < through_b
    model = replace(loose, auto_link_threshold=through_b - 0.1)
    bands = {(p.left_id, p.right_id): p.band for p in find_duplicates([a, b, c], model=model).pairs}
    assert bands[("a", "b")] == bands[("b", "c")] == AUTO_LINK
    assert bands[("a", "c")] == REVIEW


def test_a_pair_whose_birth_dates_differ_is_not_joined_through_links() -> None:
    # a and c agree on name and place (their own score is above 0 bits) but give two
    # full birth dates that differ: a reviewer looks, as a link in the chain may be wrong
    def record(record_id: str, names: tuple[str, str], birth: str | None) -> PreparedRecord:
        return prepare_record(
            PersonRecord.from_typed(
                record_id, *names, birth_date=birth, sex="M", attributes={"place": "延吉"}
            )
        )

    a = record("a", ("金英哲", ""), "1953-03-07")
    b = record("b", ("金英哲", ""), None)
    c = record("c", ("Kim", "Yongchol"), "1954-11-20")
    loose = MatchModel(common_surname_share=1.0)
    through_b = min(score_pair(a, b, loose).score, score_pair(b, c, loose).score)
    direct = score_pair(a, c, loose)
    assert 0 < direct.score < through_b
    model = MatchModel(
        common_surname_share=1.0,
        review_threshold=min(direct.score, through_b) - 1,
        auto_link_threshold=through_b - 0.1,
    )
    bands = {(p.left_id, p.right_id): p.band for p in find_duplicates([a, b, c], model=model).pairs}
    assert bands[("a", "b")] == bands[("b", "c")] == AUTO_LINK
    assert bands[("a", "c")] == REVIEW
