"""The planning page's history: arrivals per local week (Monday to Sunday) and station."""

import datetime as dt
import zoneinfo

import pytest
from django.utils import timezone

from people.models import Crossing
from people.tests.factories import PersonFactory
from supplies.planning import weekly_arrivals

pytestmark = pytest.mark.django_db
PYONGYANG = zoneinfo.ZoneInfo("Asia/Pyongyang")


def _cross(station, when: dt.datetime, direction: str = "in") -> None:
    Crossing.objects.create(
        person=PersonFactory(station=station),
        station=station,
        direction=direction,
        crossed_at=when,
        created_at=timezone.now(),
    )


def test_weeks_run_from_local_monday_midnight_and_count_only_arrivals(personas, settings):
    settings.TIME_ZONE = "Asia/Pyongyang"
    monday = dt.datetime(1961, 10, 2, tzinfo=PYONGYANG)  # a Monday, local midnight
    onsong, musan = personas.onsong, personas.musan
    _cross(onsong, monday - dt.timedelta(seconds=1))  # Sunday night: the week before
    _cross(onsong, monday)  # the first instant of the week
    _cross(onsong, monday + dt.timedelta(days=6, hours=23, minutes=59))
    _cross(onsong, monday + dt.timedelta(days=2), direction="out")  # a departure: not counted
    _cross(onsong, monday + dt.timedelta(weeks=3, hours=12))  # two empty weeks between
    _cross(musan, monday + dt.timedelta(weeks=1))

    with timezone.override(PYONGYANG):
        weeks = weekly_arrivals([onsong, musan, personas.hyesan])

    assert weeks == {
        "onsong": [
            (dt.date(1961, 9, 25), 1),
            (dt.date(1961, 10, 2), 2),
            (dt.date(1961, 10, 23), 1),  # weeks without an arrival are left out
        ],
        "musan": [(dt.date(1961, 10, 9), 1)],
        "hyesan": [],
    }


def test_many_weeks_and_stations_are_counted_past_one_compound_query(personas, settings):
    """More (station, week) ranges than one UNION ALL may hold (SQLite allows 500)."""
    settings.TIME_ZONE = "Asia/Pyongyang"
    start = dt.datetime(1958, 1, 6, 12, tzinfo=PYONGYANG)  # a Monday noon
    person = PersonFactory(station=personas.onsong)
    Crossing.objects.bulk_create(
        Crossing(
            person=person,
            station=station,
            direction="in",
            crossed_at=start + dt.timedelta(weeks=week),
            created_at=timezone.now(),
        )
        for week in range(200)
        for station in (personas.onsong, personas.musan, personas.hyesan)
        if station != personas.musan or week % 2
    )

    with timezone.override(PYONGYANG):
        weeks = weekly_arrivals([personas.onsong, personas.musan, personas.hyesan])

    assert len(weeks["onsong"]) == len(weeks["hyesan"]) == 200
    assert len(weeks["musan"]) == 100
    assert weeks["musan"][0] == (dt.date(1958, 1, 13), 1)
    assert weeks["onsong"][-1] == (dt.date(1958, 1, 6) + dt.timedelta(weeks=199), 1)
