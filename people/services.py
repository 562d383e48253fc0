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
from django.db import transaction
from django.utils.translation import gettext as _

from identity.keys import prepare_keys
from identity.services import FilesCheck, MemberCheck, check_member, record_verdicts
from people import journey
from people.audit import AuditEntry, append_entries, audit_entries, record_audit
from people.models import (
    Crossing,
    Household,
    JourneyTransition,
    Person,
    PersonName,
    Relationship,
)
from people.moves import override, record_crossing, take_step
from people.names import name_form_values, name_parts
from people.records import apply_changes, blanks_filled_by
from people.states import JourneyState
from people.submissions import IdempotencyConflict, create_once, submission_hash
from people.validation import PersonInput, check_crossing_time, validate_person
from stations.access import require, staff_profile_of
from stations.models import Station
from stations.roles import Role
from waystation import clock
from waystation.rows import insert_instances, insert_model_rows, insert_returning_ids

__all__ = [
    "FilesCheck",
    "IdempotencyConflict",
    "PersonInput",
    "add_person",
    "log_person_view",
    "override",
    "record_crossing",
    "register_arrival",
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
        write_derived=prepare_keys(people),
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


def _checked(
    members: list[PersonInput], files_checks: list[FilesCheck] | None
) -> list[MemberCheck]:
    """The files check of every member, run before the write lock (scoring is the slow
    part); a client without verdicts leaves every candidate for the review queue."""
    if files_checks is None:
        files_checks = [FilesCheck() for _member in members]
    if len(files_checks) != len(members):
        raise ValidationError({"files_check": [_("Send one files check for each member.")]})
    checks = [check_member(m, fc) for m, fc in zip(members, files_checks, strict=True)]
    same = [c.same_as.pk for c in checks if c.same_as is not None]
    if len(same) != len(set(same)):
        raise ValidationError(
            {"files_check": [_("Two members cannot both be the same earlier record.")]}
        )
    return checks


def _digestable(member: PersonInput) -> dict[str, Any]:
    """What of a member a submission's digest covers: a relationship left unstated is left
    out, so resends made before the field existed still match their first submission."""
    values = vars(member)
    return (
        values
        if values.get("relationship")
        else {k: v for k, v in values.items() if k != "relationship"}
    )


def _digest_of_checks(checks: list[MemberCheck]) -> list[dict[str, str]]:
    return [{str(k): v for k, v in sorted(c.files_check.verdicts.items())} for c in checks]


def register_household(
    *,
    user: Any,
    station: Station,
    members: list[PersonInput],
    head_index: int = 0,
    client_uuid: uuid.UUID | None = None,
    crossed_at: dt.datetime | None = None,
    files_checks: list[FilesCheck] | None = None,
) -> tuple[Household, bool]:
    """Register a household that arrived together, each member through the files check.

    A member the registrar found to be an earlier record is not registered twice: the new
    crossing and whatever the form adds go to that record, which joins the household and
    starts the journey again here. Every other member is a new person with an inward
    crossing. A member whose candidates all have a verdict passes the identity step; any
    candidate left undecided (or "not sure") waits in the station's review queue and holds
    the member at "registered". Returns (household, created); sending the same client UUID
    again returns the first household untouched."""
    require(user, REGISTERING_ROLES, station=station)
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
    checks = _checked(cleaned, files_checks)
    client_uuid = client_uuid or uuid.uuid4()
    digest = submission_hash(
        {
            "station": station.pk,
            "members": [_digestable(m) for m in cleaned],
            "head": head_index,
            "crossed_at": requested_crossing,
            "files_check": _digest_of_checks(checks),
        }
    )
    if not cleaned[head_index].relationship:
        # said by choosing the head; after the digest, which covers what was sent
        cleaned[head_index].relationship = Relationship.HEAD
    new_members = [m for m, c in zip(cleaned, checks, strict=True) if c.same_as is None]
    arrivals = _arrivals(new_members, station, user, now, crossed_at)
    for index, person in enumerate(arrivals.people):
        # A member was sent as part of the household, never alone: resending its UUID as a
        # person of its own is a conflict, not a way to read it.
        person.submission_hash = submission_hash({"household": digest, "member": index})

    def create() -> Household:
        household = Household(
            client_uuid=client_uuid,
            submission_hash=digest,
            station=station,
            registered_by=user,
            created_at=now,
        )
        insert_returning_ids(Household, [household])
        created = iter(_create_people(arrivals, household))
        people = [
            next(created)
            if check.same_as is None
            else register_again(
                user=user,
                person=check.same_as,
                station=station,
                household=household,
                values=member,
                crossed_at=crossed_at,
            )
            for member, check in zip(cleaned, checks, strict=True)
        ]
        household.head = people[head_index]
        Household.objects.filter(pk=household.pk).update(head=household.head)
        for person, check in zip(people, checks, strict=True):
            record_verdicts(user, person, check)
        # the members as saved, in order: callers answering with them need not read them again
        household.registered_members = people  # type: ignore[attr-defined]
        return household

    return create_once(
        Household,
        client_uuid,
        digest,
        create,
        user=user,
        persons_of=lambda household: list(household.members.select_related("station")),
    )


def register_again(
    *,
    user: Any,
    person: Person,
    station: Station,
    household: Household | None,
    values: PersonInput,
    crossed_at: dt.datetime,
) -> Person:
    """A person on file arrived again: the crossing is added to their record, the record
    joins the household and this station, takes what the new registration adds that it
    lacked (what was said at this arrival is kept with the crossing), and starts the journey
    again at "registered" (a quarantine, bed or job elsewhere ends with that step)."""
    now = clock.now()
    locked = Person.objects.select_for_update().select_related("station").get(pk=person.pk)
    if locked.state == JourneyState.MERGED:
        raise ValidationError(_("That earlier record was merged into another person's record."))
    previous_station = locked.station
    Person.objects.filter(pk=locked.pk).update(station=station, household=household)
    locked.station, locked.household = station, household
    typed = {k: v for k, v in vars(values).items() if k != "client_uuid"}
    filled = blanks_filled_by(locked, typed)
    Crossing.objects.create(
        person=locked,
        station=station,
        direction=Crossing.Direction.IN,
        crossed_at=crossed_at,
        recorded_by=user,
        created_at=now,
        registered_as=_json_safe(typed),
    )
    if filled:
        apply_changes(user, locked, filled, _("Added at a new registration"))
    if locked.state != JourneyState.REGISTERED:
        take_step(
            user=user,
            person=locked,
            target=JourneyState.REGISTERED,
            owner=journey.REGISTRATION,
            reason=_("Registered again on a new arrival at %(station)s") % {"station": station},
            at=max(crossed_at, locked.state_changed_at),
        )
    record_audit(
        user=user,
        action=AuditEntry.Action.UPDATE,
        obj=locked,
        person=locked,
        reason=_("Registered again on a new arrival"),
        detail={
            "from_station": previous_station.pk,
            "household": household.pk if household else None,
            "fields": sorted(filled),
        },
    )
    locked.refresh_from_db()
    return locked


def _json_safe(values: dict[str, Any]) -> dict[str, Any]:
    return {k: v.isoformat() if isinstance(v, dt.date) else v for k, v in values.items()}


def add_person(
    *,
    user: Any,
    station: Station,
    data: PersonInput,
    household: Household | None = None,
    crossed_at: dt.datetime | None = None,
    files_check: FilesCheck | None = None,
) -> tuple[Person, bool]:
    """Register one person (alone or joining an existing household) through the files
    check, idempotently; a person found to be an earlier record is registered again on it."""
    require(user, REGISTERING_ROLES, station=station)
    if household is not None and household.station_id != station.pk:
        raise ValidationError({"household": [_("The household is registered at another station.")]})
    cleaned = validate_person(data)
    now = clock.now()
    requested_crossing = crossed_at.isoformat() if crossed_at else None
    crossed_at = crossed_at or now
    check_crossing_time(crossed_at)
    client_uuid = cleaned.client_uuid or uuid.uuid4()
    cleaned.client_uuid = client_uuid
    (check,) = _checked([cleaned], [files_check] if files_check is not None else None)
    digest = submission_hash(
        {
            "station": station.pk,
            "person": _digestable(cleaned),
            "household": household.pk if household else None,
            "crossed_at": requested_crossing,
            "files_check": _digest_of_checks([check]),
        }
    )
    if check.same_as is not None:
        return _add_returning(user, station, cleaned, household, crossed_at, check, digest)
    arrivals = _arrivals([cleaned], station, user, now, crossed_at)
    arrivals.people[0].submission_hash = digest

    def create() -> Person:
        (person,) = _create_people(arrivals, household)
        if household is not None and household.head_id is None:
            household.head = person
            household.save(update_fields=["head"])
        record_verdicts(user, person, check)
        person.refresh_from_db()
        return person

    return create_once(
        Person, client_uuid, digest, create, user=user, persons_of=lambda person: [person]
    )


def _add_returning(
    user: Any,
    station: Station,
    cleaned: PersonInput,
    household: Household | None,
    crossed_at: dt.datetime,
    check: MemberCheck,
    digest: str,
) -> tuple[Person, bool]:
    """add_person for someone on file: their client UUID is kept on the crossing's audit, and
    a resend (the same person already registered again with this crossing) changes nothing."""
    assert check.same_as is not None
    resent = Crossing.objects.filter(
        person=check.same_as, direction=Crossing.Direction.IN, crossed_at=crossed_at
    ).exists()
    if resent:
        return check.same_as, False
    with transaction.atomic():
        person = register_again(
            user=user,
            person=check.same_as,
            station=station,
            household=household,
            values=cleaned,
            crossed_at=crossed_at,
        )
        record_verdicts(user, person, check)
    person.refresh_from_db()
    return person, True


def register_arrival(*, user: Any, person: Person) -> JourneyTransition:
    """Register a person who arrived again after going back across the border (their
    crossing in was recorded on their record): the files check follows."""
    require(user, REGISTERING_ROLES, station=person.station)
    return take_step(
        user=user,
        person=person,
        target=JourneyState.REGISTERED,
        owner=journey.ARRIVAL,
        reason=_("Registered on arrival"),
    )


def log_person_view(user: Any, person: Person, reason: str = "") -> None:
    record_audit(user=user, action=AuditEntry.Action.VIEW, obj=person, person=person, reason=reason)
