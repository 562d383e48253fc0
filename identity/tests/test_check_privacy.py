"""The files check finds people at every station, but it is no way to read the registry: out of
scope a match shows its names, birth date and station only; every check is audited with the
records it showed; and each user may run only so many checks an hour."""

import datetime as dt

import pytest

from identity.check import CHECK_REASON, checked_by
from identity.tests.helpers import crossing, stored_person
from people.models import AuditEntry

pytestmark = pytest.mark.django_db
BORN = dt.date(1958, 4, 12)
QUERY = {"family_name_hangul": "안", "given_name_hangul": "재수", "sex": "M",
         "birth_date": "1958-04-12", "birth_date_precision": "day"}  # fmt: skip


@pytest.fixture
def musan_person(personas):
    person = stored_person(
        family_name_hangul="안",
        given_name_hangul="재수",
        family_name_hanzi="安",
        given_name_hanzi="在秀",
        sex="M",
        birth_date=BORN,
        station=personas.musan,
        place_of_origin="延吉市 비밀 마을",
    )
    crossing(person, days_ago=40)
    return person


def test_another_stations_match_shows_names_birth_date_and_station_only(
    personas, musan_person
) -> None:
    page = personas.client_for("registrar-onsong").get("/identity/check/", QUERY)
    html = page.content.decode()
    assert page.status_code == 200
    assert 'data-testid="candidate"' in html and "安在秀" in html and "Musan" in html
    assert 'data-testid="out-of-scope"' in html
    assert "延吉" not in html and "crossing" not in html and "identity-reasons" not in html


def test_a_match_in_scope_shows_its_details(personas, musan_person) -> None:
    html = personas.client_for("registrar-musan").get("/identity/check/", QUERY).content.decode()
    assert "identity-reasons" in html and "1 crossing" in html
    assert 'data-testid="out-of-scope"' not in html


def test_every_check_is_audited_with_the_records_it_showed(personas, musan_person) -> None:
    personas.client_for("registrar-onsong").get("/identity/check/", QUERY)
    entry = AuditEntry.objects.get(reason=CHECK_REASON)
    assert entry.user == personas["registrar-onsong"]
    assert entry.detail["shown"] == [musan_person.pk] and entry.detail["in_scope"] == []


def test_checks_are_limited_per_user_and_hour(personas, musan_person, settings) -> None:
    settings.IDENTITY_CHECKS_PER_HOUR = 2
    onsong = personas.client_for("registrar-onsong")
    assert [onsong.get("/identity/check/", QUERY).status_code for _ in range(3)] == [200, 200, 429]
    refused = onsong.get("/identity/check/", QUERY)
    assert 'data-testid="check-limit"' in refused.content.decode()
    assert 'data-testid="candidate"' not in refused.content.decode()
    # another registrar has an hour of their own
    assert personas.client_for("registrar-musan").get("/identity/check/", QUERY).status_code == 200


def test_the_function_behind_the_page_is_the_same_for_any_caller(personas, musan_person) -> None:
    """The API will call checked_by too: the scope, the audit and the limit come with it."""
    _prepared, shown = checked_by(personas["registrar-onsong"], dict(QUERY, birth_date=BORN))
    assert [(item.candidate.person, item.in_scope, item.crossings) for item in shown] == [
        (musan_person, False, None)
    ]
    assert AuditEntry.objects.filter(reason=CHECK_REASON).count() == 1
