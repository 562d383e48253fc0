"""A large registry raises the review threshold; the registrar's files check still shows the
best earlier records between the fitted threshold and the raised one, as "probably
different", and nothing waits for a decision on them."""

import datetime as dt

import pytest
from django.core.cache import cache

from identity.check import live_check
from identity.engine import NON_MATCH, MatchModel
from identity.models import MatchModelVersion, ReviewItem
from identity.services import FilesCheck, decide_person
from identity.tests.helpers import stored_person
from waystation import clock

pytestmark = pytest.mark.django_db
BORN = dt.date(1958, 4, 12)
QUERY = {
    "family_name_hangul": "안",
    "given_name_hangul": "재수",
    "sex": "M",
    "birth_date": BORN,
    "birth_date_precision": "day",
}


@pytest.fixture
def an_below_the_band(personas):
    """安在秀 at Musan in a registry of four, with a model fitted on one record: the
    thresholds rise one bit (two doublings), which puts 안재수's score for 安在秀 half a bit
    below the review threshold and half a bit above the fitted one."""
    an = stored_person(
        family_name_hanzi="安",
        given_name_hanzi="在秀",
        sex="M",
        birth_date=BORN,
        station=personas.musan,
    )
    score = live_check(QUERY)[1][0].result.score
    for number, name in enumerate(("최민호", "박영희", "이순자")):
        stored_person(
            family_name_hangul=name[0],
            given_name_hangul=name[1:],
            birth_date=dt.date(1960 + number, 1 + number, 1),
        )
    MatchModelVersion.objects.create(
        model=MatchModel(
            reference_registry_size=1, review_threshold=score - 0.5, auto_link_threshold=score + 5
        ).to_dict(),
        created_at=clock.now(),
        active=True,
    )
    cache.clear()
    return an


def test_only_the_registrars_check_offers_the_record_below_the_band(an_below_the_band) -> None:
    assert live_check(QUERY)[1] == []
    (offered,) = live_check(QUERY, offer_below_band=True)[1]
    assert offered.person == an_below_the_band
    assert offered.result.band == NON_MATCH


def test_the_page_labels_it_probably_different(personas, an_below_the_band) -> None:
    client = personas.client_for("registrar-onsong")
    page = client.get("/identity/check/", QUERY).content.decode()
    assert "安在秀" in page
    assert "Probably different" in page
    assert 'data-testid="below-band"' in page


def test_nothing_waits_for_a_decision_on_it(personas, an_below_the_band) -> None:
    later = stored_person(**QUERY, station=personas.onsong)
    decide_person(user=personas["registrar-onsong"], person=later, files_check=FilesCheck({}))
    assert not ReviewItem.objects.exists()
    later.refresh_from_db()
    assert later.state == "identity_checked"


def test_a_record_below_the_fitted_threshold_is_not_offered(personas, an_below_the_band) -> None:
    stored_person(
        family_name_hangul="안", given_name_hangul="재민", sex="F", birth_date=dt.date(1990, 1, 1)
    )
    offered = live_check(QUERY, offer_below_band=True)[1]
    assert [candidate.person for candidate in offered] == [an_below_the_band]
