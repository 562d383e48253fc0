"""Builders for the health tests: people through the files check, admitted, examined."""

import datetime as dt

from django.utils import timezone

from health import services
from health.models import Vaccine
from people.models import Household
from people.states import JourneyState as S
from people.tests.factories import PersonFactory


def checked_person(station, days_ago: int = 20, **fields):
    """A person registered `days_ago` days ago and through the files check."""
    arrived = timezone.now() - dt.timedelta(days=days_ago)
    fields.setdefault("state", S.IDENTITY_CHECKED)
    return PersonFactory(station=station, created_at=arrived, **fields)


def household_of(station, size: int, days_ago: int = 20, states=None):
    household = Household.objects.create(
        station=station, created_at=timezone.now() - dt.timedelta(days=days_ago)
    )
    states = states or [S.IDENTITY_CHECKED] * size
    return [
        checked_person(
            station, days_ago, household=household, state=state, given_name_latin=f"M{i}"
        )
        for i, state in enumerate(states)
    ]


def admitted(personas, station=None, days_ago: int = 16, user: str = "medical-onsong"):
    station = station or personas.onsong
    person = checked_person(station, days_ago + 2)
    started = timezone.localdate() - dt.timedelta(days=days_ago)
    services.admit(user=personas[user], person=person, started_on=started)
    person.refresh_from_db()
    return person


def complete_checklist(personas, person, user: str = "medical-onsong") -> None:
    officer = personas[user]
    stay = services.open_stay_of(person)
    services.record_hygiene(user=officer, person=person, step="wash", on=stay.started_on)
    services.record_hygiene(user=officer, person=person, step="disinfect", on=stay.started_on)
    for vaccine in Vaccine.objects.filter(doses_required__gt=0):
        for dose in range(1, vaccine.doses_required + 1):
            services.record_vaccination(
                user=officer,
                person=person,
                vaccine=vaccine,
                dose=dose,
                lot_number=f"LOT-{vaccine.code}-{dose}",
                given_on=stay.started_on + dt.timedelta(days=1),
            )
    services.record_examination(
        user=officer, person=person, fitness="heavy", contagious=False, findings="Lungs clear"
    )


def sleeping_place(station, capacity: int = 10):
    """Beds at the station: the supplies app's sleeping places are the only beds there are."""
    from supplies.models import SleepingPlace

    return SleepingPlace.objects.create(
        station=station, name=f"School {capacity}", kind="school", capacity=capacity
    )
