"""The situation report's figures on hand-written histories: as of any date, for any scope."""

import datetime as dt

import pytest

from people.states import JourneyState as S
from reports.scopes import ScopeNotFound, may_read_scope, parse_scope, scope_choices
from reports.situation import birth_date_limit, situation_report
from reports.tests.history import local, person_with_history
from stations.access import staff_profile_of

pytestmark = pytest.mark.django_db

JOURNEY_TO_WORK = [
    (S.ARRIVED, "1961-01-10"),
    (S.REGISTERED, "1961-01-10"),
    (S.IDENTITY_CHECKED, "1961-01-11"),
    (S.IN_QUARANTINE, "1961-01-11"),
    (S.MEDICALLY_CLEARED, "1961-01-26"),
    (S.AWAITING_PLACEMENT, "1961-01-26"),
    (S.PLACED, "1961-02-01"),
    (S.AT_WORK, "1961-02-03"),
]


def steps(*extra: tuple[str, str, str]) -> list[tuple[str, dt.datetime, str]]:
    base = [(state, local(day), "") for state, day in JOURNEY_TO_WORK]
    return base + [(state, local(day), reason) for state, day, reason in extra]


@pytest.fixture
def worker_who_left(personas):
    return person_with_history(
        personas.onsong,
        steps((S.LEFT_JOB, "1961-03-01", "Work too hard")),
        birth_date=dt.date(1935, 6, 1),
    )


def test_figures_follow_the_history_not_the_current_state(personas, worker_who_left) -> None:
    scope = parse_scope("station:onsong")
    before = situation_report(scope, dt.date(1961, 1, 9)).totals
    assert before == dict.fromkeys(before, 0)

    quarantine = situation_report(scope, dt.date(1961, 1, 20))
    assert quarantine.totals["arrivals"] == 1
    assert quarantine.totals["present"] == 1
    assert quarantine.totals["placed"] == 0
    assert quarantine.states[S.IN_QUARANTINE] == 1
    assert sum(quarantine.states.values()) == 1

    working = situation_report(scope, dt.date(1961, 2, 15))
    assert working.totals["present"] == 0 and working.totals["placed"] == 1
    assert working.states[S.AT_WORK] == 1 and working.totals["left_job"] == 0

    left = situation_report(scope, dt.date(1961, 3, 5))
    assert left.totals["left_job"] == 1
    assert left.left_job_reasons == [("work too hard", 1)]
    assert left.left_job_young == 1  # 25 years old
    assert left.states[S.LEFT_JOB] == 1 and left.states[S.AT_WORK] == 0


def test_a_step_late_in_the_evening_counts_for_that_day(personas) -> None:
    person_with_history(personas.onsong, [(S.ARRIVED, local("1961-05-01", 23, 50), "")])
    scope = parse_scope("station:onsong")
    assert situation_report(scope, dt.date(1961, 5, 1)).totals["arrivals"] == 1
    assert situation_report(scope, dt.date(1961, 4, 30)).totals["arrivals"] == 0


def test_scopes_count_only_their_stations(personas, worker_who_left) -> None:
    person_with_history(personas.musan, [(S.ARRIVED, local("1961-01-05"), "")])
    person_with_history(personas.hyesan, [(S.ARRIVED, local("1961-01-05"), "")])
    day = dt.date(1961, 6, 1)
    assert situation_report(parse_scope("station:musan"), day).totals["arrivals"] == 1
    province = situation_report(parse_scope("province:North Hamgyong"), day)
    assert province.totals["arrivals"] == 2
    assert {s.code: s.arrivals for s in province.stations} == {"musan": 1, "onsong": 1}
    county = situation_report(parse_scope("county:Musan County"), day)
    assert [s.code for s in county.stations] == ["musan"]


def test_returns_and_repeat_crossings(personas) -> None:
    trips = []
    for month in range(1, 9):
        trips += [("in", local(f"1961-{month:02d}-01")), ("out", local(f"1961-{month:02d}-05"))]
    person_with_history(
        personas.onsong,
        [(S.ARRIVED, local("1961-01-01"), ""), (S.RETURNED, local("1961-01-05"), "back")],
        crossings=trips,
    )
    scope = parse_scope("station:onsong")
    # The policy (more than 3 crossings in within a year) flags the person, as the
    # repeat-crossers page does; before any crossing nobody is flagged.
    june = situation_report(scope, dt.date(1961, 6, 30)).totals
    assert june["repeat_crossers"] == 1
    assert june["returned"] == 1 and june["arrivals"] == 1
    assert situation_report(scope, dt.date(1960, 12, 31)).totals["repeat_crossers"] == 0


def test_higher_education_needs_three_years_and_an_arrival_by_the_date(personas) -> None:
    day = dt.date(1961, 6, 1)
    for level, years, arrival in (
        ("university", 4, "1961-01-02"),
        ("technical", 3, "1961-01-02"),
        ("technical", 2, "1961-01-02"),
        ("secondary", 6, "1961-01-02"),
        ("university", 5, "1961-07-01"),
    ):
        person_with_history(
            personas.onsong,
            [(S.ARRIVED, local(arrival), "")],
            education_level=level,
            education_years=years,
        )
    assert situation_report(parse_scope("station:onsong"), day).totals["higher_education"] == 2


def test_age_30_or_under_on_the_report_day() -> None:
    limit = birth_date_limit(dt.date(1961, 11, 8), 30)
    assert limit == dt.date(1930, 11, 8)  # born the day after: still 30
    assert birth_date_limit(dt.date(1964, 2, 29), 30) == dt.date(1933, 2, 28)


def test_unknown_scopes_are_refused(personas) -> None:
    for text in ("", "station:", "station:nowhere", "planet:earth", "county:Nowhere"):
        with pytest.raises(ScopeNotFound):
            parse_scope(text)


def test_who_may_read_which_scope(personas) -> None:
    province = parse_scope("province:North Hamgyong")
    onsong = parse_scope("station:onsong")
    registrar = staff_profile_of(personas["registrar-onsong"])
    assert may_read_scope(registrar, onsong) and not may_read_scope(registrar, province)
    assert may_read_scope(staff_profile_of(personas["labour"]), province)
    assert not may_read_scope(staff_profile_of(personas["labour-ryanggang"]), province)
    assert may_read_scope(staff_profile_of(personas["auditor"]), province)
    assert [key for key, _label in scope_choices(registrar)] == ["station:onsong"]
    labour_keys = [key for key, _label in scope_choices(staff_profile_of(personas["labour"]))]
    assert labour_keys[0] == "province:North Hamgyong" and "station:hyesan" not in labour_keys
