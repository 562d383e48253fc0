"""Retention after arriving at work, by station and age group."""

import datetime as dt

import pytest

from people.states import JourneyState as S
from reports.retention import overall_by_age, retention_by_group
from reports.scopes import parse_scope
from reports.tests.history import local, person_with_history

pytestmark = pytest.mark.django_db
DAY = dt.date(1961, 11, 8)


def worker(station, started: str, born: dt.date, left: str | None = None, state: str = S.LEFT_JOB):
    steps = [(S.ARRIVED, local("1960-12-01"), ""), (S.AT_WORK, local(started), "")]
    if left:
        steps.append((state, local(left), "work too hard"))
    return person_with_history(station, steps, birth_date=born)


def test_shares_still_working_after_30_90_and_180_days(personas) -> None:
    young, older = dt.date(1940, 1, 1), dt.date(1910, 1, 1)
    worker(personas.onsong, "1961-03-01", young, left="1961-04-20")  # left after 50 days
    worker(personas.onsong, "1961-03-01", young)  # still working
    worker(personas.onsong, "1961-03-01", young, left="1961-03-10", state=S.RETURNED)
    worker(personas.onsong, "1961-10-20", young)  # too recent for any period
    worker(personas.onsong, "1961-03-01", older, left="1961-11-01")  # left after 245 days
    rows = {
        (r.station, r.age_group): r for r in retention_by_group(parse_scope("station:onsong"), DAY)
    }
    young_row = rows["Onsong", "30 or under"]
    assert young_row.cohorts == {30: 3, 90: 3, 180: 3}
    assert young_row.kept == {30: 2, 90: 1, 180: 1}
    assert young_row.shares == [66.7, 33.3, 33.3]
    older_row = rows["Onsong", "over 45"]
    assert older_row.shares == [100.0, 100.0, 100.0]
    assert rows["Onsong", "31 to 45"].shares == [None, None, None]
    by_age = {
        label: (cohort, shares) for label, cohort, shares in overall_by_age(list(rows.values()))
    }
    assert by_age["30 or under"] == (3, [66.7, 33.3, 33.3])


def test_an_earlier_date_only_counts_what_had_happened_by_then(personas) -> None:
    worker(personas.onsong, "1961-03-01", dt.date(1940, 1, 1), left="1961-07-01")
    rows = retention_by_group(parse_scope("station:onsong"), dt.date(1961, 6, 1))
    young = next(row for row in rows if row.age_group == "30 or under")
    assert young.cohorts == {30: 1, 90: 1, 180: 0}
    assert young.kept == {30: 1, 90: 1, 180: 0}
