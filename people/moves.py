"""Taking the steps of the journey and recording crossings. A step is taken only by the domain
action that owns it (people/journey.py names it), through `take_step`; an officer with the
right forces a state through `override`, with a written reason. Both check the journey's
guards, run its effects in the same transaction, and write the audit log."""

import datetime as dt
import uuid
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from people import journey
from people.audit import AuditEntry, record_audit
from people.models import Crossing, JourneyTransition, Person
from people.states import JourneyState
from people.submissions import create_once, submission_hash
from people.validation import check_crossing_time
from stations.access import WRITING_ROLES, require
from stations.models import StaffProfile, Station
from stations.roles import Role
from waystation import clock
from waystation.text import invisible_problem

MAX_REASON = 2000
CROSSING_ROLES = frozenset({Role.REGISTRAR, Role.ADMINISTRATOR})


def take_step(
    *,
    user: Any,
    person: Person,
    target: str,
    owner: str,
    reason: str = "",
    at: dt.datetime | None = None,
) -> JourneyTransition:
    """Take a regular step of the journey on behalf of `owner`, the domain action the journey
    table names for it (its dotted path). Refused with TransitionRefused when the step is not
    allowed or a guard fails."""
    profile = require(user, WRITING_ROLES, station=person.station)
    reason = _clean_reason(reason)

    def approve(locked: Person) -> journey.Approval:
        return journey.check_step(locked.state, target, profile.role, owner)

    return _move(user, profile, person, target, reason, at, approve)


def override(
    *, user: Any, person: Person, target: str, reason: str, at: dt.datetime | None = None
) -> JourneyTransition:
    """Force a person into `target` against the rules, with a written reason (audited as an
    override). States that stand for a record (a stay, a clearance, a placement) are reached
    only through the action that makes the record."""
    profile = require(user, WRITING_ROLES, station=person.station)
    reason = _clean_reason(reason)
    if target not in JourneyState.values:
        raise ValidationError({"target": [_("Unknown journey state.")]})

    def approve(locked: Person) -> journey.Approval:
        return journey.check_override(locked.state, target, profile.role, reason)

    return _move(user, profile, person, target, reason, at, approve)


def _clean_reason(reason: str) -> str:
    reason = " ".join((reason or "").split())
    if len(reason) > MAX_REASON:
        raise ValidationError(
            {"reason": [_("At most %(limit)d characters.") % {"limit": MAX_REASON}]}
        )
    return reason


def _move(
    user: Any,
    profile: StaffProfile,
    person: Person,
    target: str,
    reason: str,
    at: dt.datetime | None,
    approve: Any,
) -> JourneyTransition:
    try:
        return _take(user, profile, person, target, reason, at, approve)
    except journey.TransitionRefused as refusal:
        # Recorded outside the refused step's transaction, which has been rolled back.
        record_audit(
            user=user,
            action=AuditEntry.Action.REFUSED,
            obj=person,
            person=person,
            reason=str(refusal),
            detail={"from": person.state, "to": target},
        )
        raise


def _take(
    user: Any,
    profile: StaffProfile,
    person: Person,
    target: str,
    reason: str,
    at: dt.datetime | None,
    approve: Any,
) -> JourneyTransition:
    with transaction.atomic():
        locked = Person.objects.select_for_update().select_related("station").get(pk=person.pk)
        approval: journey.Approval = approve(locked)
        problems = journey.guard_problems(approval, locked, profile)
        if problems:
            raise journey.TransitionRefused(" ".join(problems))
        at = at or clock.now()
        transition = JourneyTransition.objects.create(
            person=locked,
            from_state=locked.state,
            to_state=target,
            by=user,
            by_role=profile.role,
            at=at,
            reason=reason,
            is_override=approval.is_override,
        )
        Person.objects.filter(pk=locked.pk).update(
            state=target, state_changed_at=at, version=locked.version + 1
        )
        action = (
            AuditEntry.Action.OVERRIDE if approval.is_override else AuditEntry.Action.TRANSITION
        )
        record_audit(
            user=user,
            action=action,
            obj=locked,
            person=locked,
            reason=reason,
            detail={"from": approval.source, "to": target},
        )
        locked.state, locked.state_changed_at, locked.version = target, at, locked.version + 1
        journey.run_effects(approval, user, locked)
    person.state, person.state_changed_at, person.version = target, at, locked.version
    return transition


def record_crossing(
    *,
    user: Any,
    person: Person,
    station: Station,
    direction: str,
    crossed_at: dt.datetime,
    note: str = "",
    client_uuid: uuid.UUID | None = None,
) -> tuple[Crossing, bool]:
    """Record a crossing in or out. Going out moves the person to 'returned'; coming back
    after a return starts the journey again at 'arrived' on the same person."""
    require(user, CROSSING_ROLES, station=station)
    if person.state == JourneyState.MERGED:
        raise ValidationError(
            _("This record was merged into another: record the crossing on that person.")
        )
    coming_back = person.state == JourneyState.RETURNED and direction == Crossing.Direction.IN
    if not coming_back:
        # A returned person may come back through any station; otherwise the record is local.
        require(user, CROSSING_ROLES, station=person.station)
    if direction not in Crossing.Direction.values:
        raise ValidationError({"direction": [_("Direction is 'in' or 'out'.")]})
    check_crossing_time(crossed_at)
    note = " ".join((note or "").split())
    if problem := invisible_problem(note):
        raise ValidationError({"note": [problem]})
    if len(note) > 500:
        raise ValidationError({"note": [_("At most %(limit)d characters.") % {"limit": 500}]})
    client_uuid = client_uuid or uuid.uuid4()
    digest = submission_hash(
        {
            "person": person.pk,
            "station": station.pk,
            "direction": direction,
            "at": crossed_at.isoformat(),
            "note": note,
        }
    )

    def create() -> Crossing:
        crossing = Crossing.objects.create(
            client_uuid=client_uuid,
            submission_hash=digest,
            person=person,
            station=station,
            direction=direction,
            crossed_at=crossed_at,
            note=note,
            recorded_by=user,
            created_at=clock.now(),
        )
        record_audit(
            user=user,
            action=AuditEntry.Action.CREATE,
            obj=crossing,
            person=person,
            detail={"direction": direction},
        )
        target = (
            JourneyState.RETURNED if direction == Crossing.Direction.OUT else JourneyState.ARRIVED
        )
        if coming_back and person.station_id != station.pk:
            # The person is now in this station's care.
            Person.objects.filter(pk=person.pk).update(station=station)
            person.station = station
        if journey.step_between(person.state, target) is not None:
            take_step(
                user=user,
                person=person,
                target=target,
                owner=journey.CROSSING,
                reason=_("Crossing recorded"),
                at=crossed_at,
            )
        return crossing

    return create_once(
        Crossing,
        client_uuid,
        digest,
        create,
        user=user,
        persons_of=lambda crossing: [crossing.person],
    )
