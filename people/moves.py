"""Moving people along the journey and recording their crossings: every step goes through the
state machine (people/journey.py), the other apps' guards and listeners, and the audit log."""

import datetime as dt
import uuid
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from people import journey
from people.audit import AuditEntry, record_audit
from people.extensions import guard_failures, notify_transition
from people.models import (
    Crossing,
    JourneyTransition,
    Person,
)
from people.states import JourneyState
from people.submissions import create_once, submission_hash
from people.validation import check_crossing_time
from stations.access import can_see_station, staff_profile_of
from stations.models import StaffProfile, Station
from stations.roles import Role
from waystation import clock
from waystation.text import invisible_problem


def require_role(user: Any, roles: frozenset[Role]) -> StaffProfile:
    profile = staff_profile_of(user)
    if profile is None or profile.role not in roles:
        raise PermissionDenied(_("Your role may not do this."))
    return profile


def require_station(profile: StaffProfile, station: Station) -> None:
    if not can_see_station(profile, station):
        raise PermissionDenied(_("You work at another station."))


def move_person(
    *,
    user: Any,
    person: Person,
    target: str,
    reason: str = "",
    override: bool = False,
    at: dt.datetime | None = None,
) -> JourneyTransition:
    """Take one step of the journey, or force one with a written reason (an override)."""
    profile = staff_profile_of(user)
    if profile is None:
        raise PermissionDenied(_("Only staff may change a person's journey."))
    require_station(profile, person.station)
    reason = " ".join((reason or "").split())
    if len(reason) > 2000:
        raise ValidationError({"reason": [_("At most %(limit)d characters.") % {"limit": 2000}]})
    if target not in JourneyState.values:
        raise ValidationError({"target": [_("Unknown journey state.")]})
    try:
        return _take_step(user, profile, person, target, reason, override, at)
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


def _take_step(
    user: Any,
    profile: StaffProfile,
    person: Person,
    target: str,
    reason: str,
    override: bool,
    at: dt.datetime | None,
) -> JourneyTransition:
    with transaction.atomic():
        locked = Person.objects.select_for_update().get(pk=person.pk)
        approval = journey.check_transition(
            locked.state, target, profile.role, reason if override else ""
        )
        problems = guard_failures(locked, target, profile)
        if problems and not (override and reason):
            raise journey.TransitionRefused(
                " ".join(problems)
                + " "
                + _("An officer with the right may override this with a written reason.")
            )
        if problems:
            approval = journey.Approval(approval.source, approval.target, is_override=True)
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
        notify_transition(user, locked, target)
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
    profile = require_role(user, frozenset({Role.REGISTRAR, Role.ADMINISTRATOR}))
    require_station(profile, station)
    coming_back = person.state == JourneyState.RETURNED and direction == Crossing.Direction.IN
    if not coming_back:
        # A returned person may come back through any station; otherwise the record is local.
        require_station(profile, person.station)
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
            move_person(
                user=user,
                person=person,
                target=target,
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
