"""The dashboard's weekly and monthly charts count in local time: a step taken just after
local midnight on the first of a month (still the previous day in UTC) belongs to the new
month, and one just before it to the old, whether the count comes from the daily step
counts the database keeps or from the steps themselves."""

import datetime as dt

import pytest

from people.states import JourneyState as S
from people.tests.factories import StationFactory
from reports.dashboard import monthly_placements, weekly_arrivals
from reports.periods import day_stretches, split_utc_days
from reports.scopes import Scope
from reports.tests.history import local, person_with_history

DAY = dt.date(1961, 11, 8)


def _placed_at(station, at: dt.datetime) -> None:  # noqa: ANN001
    person_with_history(
        station,
        [(S.REGISTERED, at - dt.timedelta(days=20), ""), (S.PLACED, at, "")],
    )


@pytest.mark.django_db
def test_placements_fall_in_the_local_month_they_were_made() -> None:
    station = StationFactory()
    _placed_at(station, local("1961-10-31", 23, 50))  # 14:50 UTC on the 31st: October
    _placed_at(station, local("1961-11-01", 0, 10))  # 15:10 UTC on the 31st: November
    _placed_at(station, local("1961-10-15", 9))  # a whole UTC day inside October
    _placed_at(station, local("1961-09-30", 23, 59))  # September's last minute
    _placed_at(station, local("1961-11-08", 23, 59))  # the report's day, its last minute
    _placed_at(station, local("1961-11-09", 0, 1))  # after the report's day: not counted
    series = monthly_placements(Scope("station", station.code, (station,)), DAY)
    placed = dict(zip(series.labels, dict(series.series)[str(S.PLACED.label)], strict=True))
    assert (placed["1961-09"], placed["1961-10"], placed["1961-11"]) == (1, 2, 2)
    assert sum(placed.values()) == 5


@pytest.mark.django_db
def test_arrivals_fall_in_the_local_week_they_crossed() -> None:
    station = StationFactory()
    monday = dt.date(1961, 11, 6)
    for moment in (local(monday, 0, 5), local(monday - dt.timedelta(days=1), 23, 55)):
        person_with_history(station, [(S.REGISTERED, moment, "")])
    series = weekly_arrivals(Scope("station", station.code, (station,)), DAY)
    weeks = dict(zip(series.labels, dict(series.series)[station.localized_name], strict=True))
    assert weeks["11-06"] == 1 and weeks["10-30"] == 1 and sum(weeks.values()) == 2


def test_every_moment_is_counted_once_by_whole_days_or_by_the_partial_stretches() -> None:
    bounds = [local("1961-10-01", 0), local("1961-11-01", 0), local("1961-11-08", 23, 59)]
    whole, stretches = split_utc_days(bounds)
    covered = dt.timedelta(0)
    for day in whole:
        covered += dt.timedelta(days=1)
        start = dt.datetime.combine(day, dt.time.min, tzinfo=dt.UTC)
        assert whole[day] == (0 if start < bounds[1] else 1)
    for since, until, period in stretches:
        covered += until - since
        assert period == (0 if until <= bounds[1] else 1)
    assert covered == bounds[-1] - bounds[0]


@pytest.mark.parametrize(
    "bounds",
    [
        [local("1961-10-01", 0), local("1961-11-01", 0), local("1961-11-08", 23, 59)],
        [local("1961-11-06", 0), local("1961-11-09", 0)],  # a report's day ends at midnight
        [local("1961-11-06", 10, 30), local("1961-11-06", 20), local("1961-11-07", 3)],
        [dt.datetime(1961, 11, 6, tzinfo=dt.UTC), dt.datetime(1961, 11, 8, tzinfo=dt.UTC)],
    ],
)
def test_whole_days_and_moved_stretches_put_every_moment_in_its_own_period(bounds) -> None:  # noqa: ANN001
    whole, stretches = day_stretches(bounds)
    moment = bounds[0] - dt.timedelta(days=1)
    while moment < bounds[-1] + dt.timedelta(days=1):
        net: dict[int, int] = {}
        day = moment.astimezone(dt.UTC).date()
        if day in whole:
            net[whole[day]] = net.get(whole[day], 0) + 1
        for since, until, to_period, from_period in stretches:
            if since <= moment < until:
                for period, sign in ((to_period, 1), (from_period, -1)):
                    if period is not None:
                        net[period] = net.get(period, 0) + sign
        inside = [i for i in range(len(bounds) - 1) if bounds[i] <= moment < bounds[i + 1]]
        assert {p: n for p, n in net.items() if n} == {p: 1 for p in inside}, moment
        moment += dt.timedelta(minutes=17)
