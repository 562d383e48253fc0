"""Handing people over for placement: after medical clearance (or after leaving a job) a
registrar or labour officer puts the household on the list the placement runs draw from."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from labour.services.access import ACTING_ROLES
from people import journey
from people.models import JourneyTransition, Person
from people.moves import take_step
from people.states import JourneyState
from stations.access import require
from stations.roles import Role

HAND_OVER_ROLES = ACTING_ROLES | {Role.REGISTRAR}
READY = (JourneyState.MEDICALLY_CLEARED, JourneyState.LEFT_JOB)


def members_ready(person: Person) -> list[Person]:
    """The person and the members of their household at the same station who are ready to
    be handed over (a household is placed together unless an officer splits it)."""
    if person.household_id is None:
        return [person] if person.state in READY else []
    return list(
        Person.objects.filter(
            household_id=person.household_id, station_id=person.station_id, state__in=READY
        ).order_by("pk")
    )


def hand_over(*, user: Any, person: Person, reason: str = "") -> list[JourneyTransition]:
    """Move the person, and every member of their household ready with them, to “awaiting
    placement”. Refused for a person who is not medically cleared or out of a job."""
    require(user, HAND_OVER_ROLES, station=person.station)
    if person.state not in READY:
        raise ValidationError(
            _(
                "%(name)s is “%(state)s”: only a medically cleared person, or one who left a job, is handed over for placement."
            )
            % {"name": person.display_name, "state": person.get_state_display()}
        )
    with transaction.atomic():
        return [
            take_step(
                user=user,
                person=member,
                target=JourneyState.AWAITING_PLACEMENT,
                owner=journey.HAND_OVER,
                reason=reason,
            )
            for member in members_ready(person)
        ]
