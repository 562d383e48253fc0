"""Business rules for people: registration of households and persons. Moves along the journey
and crossings live in people/moves.py, typed input in people/validation.py and idempotent
submissions in people/submissions.py; their public names are imported here too, so callers
keep one place to import the rules of people from.

Views, the API and commands call these functions; none of them writes a person directly.
"""

import datetime as dt
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from people.audit import AuditEntry, append_entries, audit_entries, record_audit
from people.extensions import prepare_new_persons
from people.models import (
    Crossing,
    Household,
    JourneyTransition,
    Person,
    PersonName,
)
from people.moves import move_person, record_crossing, require_role, require_station
from people.names import name_form_values, name_parts
from people.states import JourneyState
from people.submissions import IdempotencyConflict, create_once, submission_hash
from people.validation import PersonInput, check_crossing_time, validate_person
from stations.access import staff_profile_of
from stations.models import Station
from stations.roles import Role
from waystation import clock
from waystation.rows import insert_instances, insert_model_rows, insert_returning_ids

__all__ = [
    "IdempotencyConflict",
    "PersonInput",
    "add_person",
    "log_person_view",
    "move_person",
    "record_crossing",
    "register_household",
    "submission_hash",
    "validate_person",
]

MAX_HOUSEHOLD_SIZE = 30
REGISTERING_ROLES = frozenset({Role.REGISTRAR, Role.ADMINISTRATOR})


@dataclass
class Arrivals:
    """People about to be registered, with every row that goes with them (journey steps,
    name forms, inward crossing, audit entry, the apps' keys) built before the write lock
    is taken: inside it, they only get the persons' ids and are inserted. Writers queue on
    that lock, so what is done while holding it sets how many registrations a second a
    station's server takes."""

    people: list[Person]
    names: list[dict[str, str]]
    steps: list[list[JourneyTransition]]
    crossings: list[Crossing]
    audits: list[AuditEntry]
    write_derived: Callable[[list[Person]], None]


FIRST_STEPS = (("", JourneyState.ARRIVED), (JourneyState.ARRIVED, JourneyState.REGISTERED))


def _arrivals(
    members: list[PersonInput],
    station: Station,
    user: Any,
    now: dt.datetime,
    crossed_at: dt.datetime,
) -> Arrivals:
    profile = staff_profile_of(user)
    role = profile.role if profile else ""
    people = [
        Person(
            **{k: v for k, v in vars(member).items() if k != "client_uuid"},
            client_uuid=member.client_uuid or uuid.uuid4(),
            station=station,
            state=JourneyState.REGISTERED,
            state_changed_at=now,
            registered_by=user,
            created_at=now,
        )
        for member in members
    ]
    return Arrivals(
        people=people,
        names=[name_form_values(*name_parts(person)) for person in people],
        steps=[
            [
                JourneyTransition(from_state=a, to_state=b, by=user, by_role=role, at=now)
                for a, b in FIRST_STEPS
            ]
            for _person in people
        ],
        crossings=[
            Crossing(
                station=station,
                direction=Crossing.Direction.IN,
                crossed_at=crossed_at,
                recorded_by=user,
                created_at=now,
            )
            for _person in people
        ],
        audits=audit_entries(user, AuditEntry.Action.CREATE, people, _("Registered on arrival")),
        write_derived=prepare_new_persons(people),
    )


def _create_people(arrivals: Arrivals, household: Household | None) -> list[Person]:
    """Create arriving people with their first two steps, name forms, inward crossing and
    audit entries, a handful of bulk queries whatever the household's size."""
    for person in arrivals.people:
        person.household = household
    people = arrivals.people
    insert_returning_ids(Person, people)
    for person, steps, crossing, audit in zip(
        people, arrivals.steps, arrivals.crossings, arrivals.audits, strict=True
    ):
        for step in steps:
            step.person_id = person.pk
        crossing.person_id = person.pk
        audit.person_id, audit.object_id = person.pk, str(person.pk)
    # rows nothing else in the request refers to are written without the ORM's per-value
    # SQL compilation (a third of a registration's time went to it)
    insert_instances(JourneyTransition, [step for steps in arrivals.steps for step in steps])
    insert_model_rows(
        PersonName,
        ("person_id", "form", "value"),
        [
            (p.pk, form, value)
            for p, forms in zip(people, arrivals.names, strict=True)
            for form, value in forms.items()
        ],
    )
    insert_instances(Crossing, arrivals.crossings)
    append_entries(arrivals.audits)
    arrivals.write_derived(people)
    return people


def register_household(
    *,
    user: Any,
    station: Station,
    members: list[PersonInput],
    head_index: int = 0,
    client_uuid: uuid.UUID | None = None,
    crossed_at: dt.datetime | None = None,
) -> tuple[Household, bool]:
    """Register a household that arrived together: every member gets an inward crossing and
    starts the journey as registered. Returns (household, created); sending the same client
    UUID again returns the first household untouched."""
    profile = require_role(user, REGISTERING_ROLES)
    require_station(profile, station)
    if not members:
        raise ValidationError({"members": [_("A household has at least one member.")]})
    if len(members) > MAX_HOUSEHOLD_SIZE:
        raise ValidationError(
            {"members": [_("At most %(n)d members.") % {"n": MAX_HOUSEHOLD_SIZE}]}
        )
    if not 0 <= head_index < len(members):
        raise ValidationError({"head_index": [_("The head must be one of the members.")]})
    now = clock.now()
    requested_crossing = crossed_at.isoformat() if crossed_at else None
    crossed_at = crossed_at or now
    check_crossing_time(crossed_at)
    cleaned, member_errors = [], {}
    for index, member in enumerate(members):
        try:
            cleaned.append(validate_person(member))
        except ValidationError as error:
            member_errors[f"members.{index}"] = [
                f"{name}: {message}"
                for name, messages in error.message_dict.items()
                for message in messages
            ]
    if member_errors:
        raise ValidationError(member_errors)
    client_uuid = client_uuid or uuid.uuid4()
    digest = submission_hash(
        {
            "station": station.pk,
            "members": [vars(m) for m in cleaned],
            "head": head_index,
            "crossed_at": requested_crossing,
        }
    )
    arrivals = _arrivals(cleaned, station, user, now, crossed_at)
    for index, person in enumerate(arrivals.people):
        # A member was sent as part of the household, never alone: resending its UUID as a
        # person of its own is a conflict, not a way to read it.
        person.submission_hash = submission_hash({"household": digest, "member": index})
    return create_once(
        Household,
        client_uuid,
        digest,
        lambda: _create_household(user, station, arrivals, head_index, client_uuid, digest, now),
        user=user,
        persons_of=lambda household: list(household.members.select_related("station")),
    )


def _create_household(
    user: Any,
    station: Station,
    arrivals: Arrivals,
    head_index: int,
    client_uuid: uuid.UUID,
    digest: str,
    now: dt.datetime,
) -> Household:
    household = Household(
        client_uuid=client_uuid,
        submission_hash=digest,
        station=station,
        registered_by=user,
        created_at=now,
    )
    insert_returning_ids(Household, [household])
    people = _create_people(arrivals, household)
    household.head = people[head_index]
    Household.objects.filter(pk=household.pk).update(head=household.head)
    # the members as saved, in order: callers answering with them need not read them again
    household.registered_members = people
    return household


def add_person(
    *,
    user: Any,
    station: Station,
    data: PersonInput,
    household: Household | None = None,
    crossed_at: dt.datetime | None = None,
) -> tuple[Person, bool]:
    """Register one person (alone or joining an existing household), idempotently."""
    profile = require_role(user, REGISTERING_ROLES)
    require_station(profile, station)
    if household is not None and household.station_id != station.pk:
        raise ValidationError({"household": [_("The household is registered at another station.")]})
    cleaned = validate_person(data)
    now = clock.now()
    requested_crossing = crossed_at.isoformat() if crossed_at else None
    crossed_at = crossed_at or now
    check_crossing_time(crossed_at)
    client_uuid = cleaned.client_uuid or uuid.uuid4()
    cleaned.client_uuid = client_uuid
    digest = submission_hash(
        {
            "station": station.pk,
            "person": vars(cleaned),
            "household": household.pk if household else None,
            "crossed_at": requested_crossing,
        }
    )

    arrivals = _arrivals([cleaned], station, user, now, crossed_at)
    arrivals.people[0].submission_hash = digest

    def create() -> Person:
        (person,) = _create_people(arrivals, household)
        if household is not None and household.head_id is None:
            household.head = person
            household.save(update_fields=["head"])
        return person

    return create_once(
        Person, client_uuid, digest, create, user=user, persons_of=lambda person: [person]
    )


def log_person_view(user: Any, person: Person, reason: str = "") -> None:
    record_audit(user=user, action=AuditEntry.Action.VIEW, obj=person, person=person, reason=reason)
