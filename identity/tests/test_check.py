"""The live files check: the earlier record is found whatever script the name is typed in,
and a common surname with a birth date alone is never called a certain match."""

import datetime as dt

import pytest

from identity.check import live_check
from identity.engine import REVIEW, MatchModel
from identity.models import MatchModelVersion
from identity.tests.helpers import stored_person
from waystation import clock

pytestmark = pytest.mark.django_db
BORN = dt.date(1958, 4, 12)


@pytest.fixture
def an_jaesu(personas):
    """Registered years ago in Hanzi only."""
    return stored_person(
        family_name_hanzi="安",
        given_name_hanzi="在秀",
        sex="M",
        birth_date=BORN,
        station=personas.musan,
        place_of_origin="延吉",
    )


def typed(**fields):
    return {"sex": "M", "birth_date": BORN, "birth_date_precision": "day", **fields}


@pytest.mark.parametrize(
    "names",
    [
        {"family_name_hangul": "안", "given_name_hangul": "재수"},
        {"family_name_latin": "An", "given_name_latin": "Zaixiu"},
        {"family_name_latin": "Ahn", "given_name_latin": "Jae Soo"},
        {"family_name_latin": "An", "given_name_latin": "Chae-su"},
    ],
    ids=["hangul", "pinyin", "informal", "mccune-reischauer"],
)
def test_a_person_stored_in_hanzi_is_found_when_typed_in_another_script(an_jaesu, names) -> None:
    stored_person(family_name_hanzi="安", given_name_hanzi="美玲", sex="F", birth_date=BORN)
    _, candidates = live_check(typed(**names))
    assert candidates, "the earlier record was not found"
    top = candidates[0]
    assert top.person == an_jaesu
    assert top.names.hanzi == "安在秀" and "안 재수" in top.names.hangul
    fields = {row.field: row.level for row in top.result.comparisons}
    assert fields["family_name"] == "exact" and fields["birth_date"] == "exact"


def test_a_day_off_birth_date_still_finds_the_record(an_jaesu) -> None:
    _, candidates = live_check(
        typed(family_name_hangul="안", given_name_hangul="재수", birth_date=dt.date(1958, 4, 13))
    )
    assert candidates[0].person == an_jaesu


def test_common_surname_with_name_and_birth_date_alone_is_not_an_automatic_link(personas) -> None:
    # a station whose labels kept the common-surname rule (em.py fits it on or off)
    MatchModelVersion.objects.create(
        model=MatchModel(common_surname_share=0.02).to_dict(), created_at=clock.now()
    )
    kim = stored_person(family_name_hanzi="金", given_name_hanzi="英哲", sex="M", birth_date=BORN)
    _, candidates = live_check(typed(family_name_hangul="김", given_name_hangul="영철"))
    assert candidates[0].person == kim
    assert candidates[0].result.band == REVIEW
    # the same name and date under a rare surname weighs more: Kim is worth little
    yeon = stored_person(family_name_hanzi="延", given_name_hanzi="英哲", sex="M", birth_date=BORN)
    _, rare = live_check(typed(family_name_hangul="연", given_name_hangul="영철"))
    assert rare[0].person == yeon and rare[0].result.score > candidates[0].result.score


def test_unrelated_people_are_not_offered(an_jaesu) -> None:
    _, candidates = live_check(
        typed(family_name_hangul="최", given_name_hangul="민호", birth_date=dt.date(1990, 1, 1))
    )
    assert candidates == []


def test_the_check_page_shows_the_candidate_side_by_side(personas, an_jaesu) -> None:
    # a registrar of the record's own station, who sees the per-field reasons
    client = personas.client_for("registrar-musan")
    response = client.get(
        "/identity/check/",
        {
            "family_name_latin": "An",
            "given_name_latin": "Zaixiu",
            "sex": "M",
            "birth_date": BORN.isoformat(),
            "birth_date_precision": "day",
        },
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "安在秀" in html and "안 재수" in html and "an jaesu" in html
    assert f'data-candidate="{an_jaesu.pk}"' in html
    assert "Date of birth" in html and "agrees" in html


def test_the_registration_page_carries_the_files_check(personas) -> None:
    html = personas.client_for("registrar-onsong").get("/people/register/").content.decode()
    assert "identity/check.js" in html and 'data-url="/identity/check/"' in html
    empty = personas.client_for("registrar-onsong").get("/identity/check/").content.decode()
    assert "Type a name" in empty


def test_candidates_are_scored_from_their_stored_name_forms(an_jaesu, monkeypatch) -> None:
    from identity.engine import records, score_pair
    from identity.keys import prepared_of

    query = typed(family_name_hangul="안", given_name_hangul="재수")
    expected = score_pair(prepared_of(query), prepared_of(an_jaesu)).score
    derived = []
    derive = records.derive_name_forms

    def counted(**names):
        derived.append(names)
        return derive(**names)

    monkeypatch.setattr(records, "derive_name_forms", counted)
    _, candidates = live_check(query)
    assert candidates[0].person == an_jaesu
    assert candidates[0].result.score == pytest.approx(expected)
    assert len(derived) == 1  # the typed record's names only: the candidate's were stored


def test_the_check_and_the_batch_raise_the_thresholds_with_the_registry(personas) -> None:
    """A station whose thresholds were fitted on two records: as the registry grows, the
    same pair needs a higher score, in the live check and in the batch alike."""
    from django.core.cache import cache

    from identity.batch import run_dedup, start_run
    from identity.check import registry_size
    from identity.models import PersonLink, ReviewItem

    an = stored_person(family_name_hanzi="安", given_name_hanzi="在秀", sex="M", birth_date=BORN)
    ahn = stored_person(family_name_hangul="안", given_name_hangul="재수", sex="M", birth_date=BORN)
    query = typed(family_name_hangul="안", given_name_hangul="재수")
    score = live_check(query, exclude={ahn.pk})[1][0].result.score
    MatchModelVersion.objects.create(
        model=MatchModel(reference_registry_size=2, auto_link_threshold=score - 0.5).to_dict(),
        created_at=clock.now(),
        active=True,
    )

    def bands() -> tuple[str, str]:
        cache.clear()  # the count is kept five minutes; the test does not wait
        (candidate,) = live_check(query, exclude={ahn.pk})[1]
        run = run_dedup(start_run(None))  # from the command line: every pair is listed
        (item,) = ReviewItem.objects.filter(run=run)
        return candidate.result.band, item.band

    assert registry_size() == 2
    assert bands() == ("auto_link", "auto_link")
    others = ("최민호", "박영희", "이순자", "정광수", "강미란", "조성철")
    for number, name in enumerate(others):  # eight records, two doublings: one bit
        stored_person(
            family_name_hangul=name[0],
            given_name_hangul=name[1:],
            birth_date=dt.date(1960 + number, 1 + number, 1),
        )
    assert bands() == ("review", "review")
    # a merged record is no longer one of the registry's records
    PersonLink.objects.create(person=ahn, merged_into=an, linked_at=clock.now())
    cache.clear()
    assert registry_size() == 7
