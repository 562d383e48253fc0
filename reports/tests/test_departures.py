"""The situation report counts departures from jobs by reason and by the leavers' age from the
copy the database keeps of them (reports.Departure): it must follow every new departure and
every change of a leaver's station or birth date, as a count over the steps themselves would."""

import datetime as dt
from collections import Counter

import pytest
from django.db.models import Case, Count, IntegerField, Value, When

from people.models import JourneyTransition, Person
from people.states import JourneyState as S
from people.tests.factories import StationFactory
from reports.situation import tally_steps
from reports.tests.history import local, person_with_history

LIMIT = dt.date(1930, 11, 8)  # born after it: aged 30 or less on 8 November 1961
UNTIL = local("1961-11-09", 0)


def _direct(station_ids: list[int]) -> tuple[Counter, int]:
    rows = (
        JourneyTransition.objects.filter(
            to_state=S.LEFT_JOB, at__lt=UNTIL, person__station_id__in=station_ids
        )
        .annotate(
            young=Case(
                When(person__birth_date__gt=LIMIT, then=Value(1)),
                default=Value(0),
                output_field=IntegerField(),
            )
        )
        .values("reason", "young")
        .annotate(n=Count("id"))
        .order_by()
    )
    reasons: Counter = Counter()
    young = 0
    for row in rows:
        reasons[row["reason"]] += row["n"]
        young += row["n"] * row["young"]
    return reasons, young


def _kept(station_ids: list[int]) -> tuple[Counter, int]:
    tally = tally_steps(station_ids, UNTIL, LIMIT)
    return +tally.reasons, tally.young_departures


def _leaver(station, born: dt.date, reason: str, left: dt.datetime) -> Person:  # noqa: ANN001
    return person_with_history(
        station,
        [
            (S.REGISTERED, left - dt.timedelta(days=90), ""),
            (S.PLACED, left - dt.timedelta(days=60), ""),
            (S.AT_WORK, left - dt.timedelta(days=55), ""),
            (S.LEFT_JOB, left, reason),
        ],
        birth_date=born,
    )


@pytest.mark.django_db
def test_departures_follow_new_steps_and_the_leavers_changes() -> None:
    north, south = StationFactory(), StationFactory()
    young = _leaver(north, dt.date(1935, 3, 1), "homesick", local("1961-10-02"))
    _leaver(north, dt.date(1920, 3, 1), "illness", local("1961-10-03"))
    _leaver(south, dt.date(1940, 3, 1), "homesick", local("1961-10-04"))
    _leaver(north, dt.date(1941, 3, 1), "homesick", local("1961-11-09", 1))  # after the day
    both = [north.pk, south.pk]
    assert _kept(both) == _direct(both) == (Counter(homesick=2, illness=1), 2)
    assert _kept([north.pk]) == (Counter(homesick=1, illness=1), 1)

    # A corrected birth date and a move to another station are followed.
    Person.objects.filter(pk=young.pk).update(birth_date=dt.date(1925, 1, 1))
    assert _kept([north.pk]) == _direct([north.pk]) == (Counter(homesick=1, illness=1), 0)
    Person.objects.filter(pk=young.pk).update(station=south)
    assert _kept([north.pk]) == _direct([north.pk]) == (Counter(illness=1), 0)
    assert _kept([south.pk]) == _direct([south.pk]) == (Counter(homesick=2), 1)
