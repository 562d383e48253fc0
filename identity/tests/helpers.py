"""Factories for the files check's tests: persons stored with their keys, as registration
would store them."""

import datetime as dt
from typing import Any

from django.utils import timezone

from identity.keys import store_keys
from people.models import Crossing, Person
from people.tests.factories import PersonFactory

NO_NAMES = {
    "family_name_hangul": "",
    "given_name_hangul": "",
    "family_name_hanzi": "",
    "given_name_hanzi": "",
    "family_name_latin": "",
    "given_name_latin": "",
}


def stored_person(**fields: Any) -> Person:
    """A person with only the names given (no default names in other scripts) and keys."""
    names = {**NO_NAMES, **{k: v for k, v in fields.items() if k in NO_NAMES}}
    rest = {k: v for k, v in fields.items() if k not in NO_NAMES}
    person = PersonFactory(**names, **rest)
    store_keys([person])
    return person


def crossing(person: Person, days_ago: int, direction: str = "in") -> Crossing:
    at = timezone.now() - dt.timedelta(days=days_ago)
    return Crossing.objects.create(
        person=person, station=person.station, direction=direction, crossed_at=at, created_at=at
    )
