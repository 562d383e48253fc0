"""Test helpers: people with hand-written histories of crossings and journey steps."""

from __future__ import annotations

import datetime as dt
import zoneinfo

from django.conf import settings

from people.models import Crossing, JourneyTransition, Person
from people.tests.factories import PersonFactory
from stations.models import Station


def local(day: dt.date | str, hour: int = 12, minute: int = 0) -> dt.datetime:
    if isinstance(day, str):
        day = dt.date.fromisoformat(day)
    tz = zoneinfo.ZoneInfo(settings.TIME_ZONE)
    return dt.datetime.combine(day, dt.time(hour, minute), tzinfo=tz)


def person_with_history(
    station: Station,
    steps: list[tuple[str, dt.datetime, str]],
    *,
    crossings: list[tuple[str, dt.datetime]] | None = None,
    **fields: object,
) -> Person:
    """A person whose journey is exactly ``steps`` (target state, moment, reason) and whose
    crossings are ``crossings`` (direction, moment); the first step's moment is the
    registration time. Person.state ends as the last step's state."""
    first_at = steps[0][1]
    person = PersonFactory.build(station=station, state=steps[-1][0], **fields)
    person.created_at = first_at
    person.state_changed_at = steps[-1][1]
    person.save()
    previous = ""
    for target, at, reason in steps:
        JourneyTransition.objects.create(
            person=person, from_state=previous, to_state=target, at=at, reason=reason
        )
        previous = target
    for direction, at in crossings if crossings is not None else [("in", first_at)]:
        Crossing.objects.create(
            person=person, station=station, direction=direction, crossed_at=at, created_at=at
        )
    return person
