"""Citizenship and status applications as cases: renunciation (made at the embassy, as An's
was), naturalisation and residency. "Undecided by policy" is a state of its own: the cable's
question of the arrivals' citizenship that no one had decided, which reports count.
"""

import datetime as dt
import uuid
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Count, QuerySet
from django.utils.translation import gettext as _

from documents.models import ApplicationEvent, CitizenshipApplication
from documents.rules import ISSUING_ROLES
from documents.services import clean_text
from people.audit import AuditEntry, record_audit
from people.models import Person
from stations.access import require, scope_to_holders
from stations.models import StaffProfile
from waystation import clock

State = CitizenshipApplication.State

# Which state may follow which. A policy that stays undecided can still be decided later.
NEXT_STATES: dict[str, frozenset[str]] = {
    State.SUBMITTED: frozenset({State.UNDER_REVIEW, State.GRANTED, State.REFUSED, State.UNDECIDED}),
    State.UNDER_REVIEW: frozenset({State.GRANTED, State.REFUSED, State.UNDECIDED}),
    State.UNDECIDED: frozenset({State.UNDER_REVIEW, State.GRANTED, State.REFUSED}),
    State.GRANTED: frozenset(),
    State.REFUSED: frozenset(),
}
DECIDED = frozenset({State.GRANTED, State.REFUSED, State.UNDECIDED})


def file_application(
    *,
    user: Any,
    person: Person,
    kind: str,
    lodged_at: str,
    submitted_on: dt.date | None = None,
    client_uuid: uuid.UUID | None = None,
) -> CitizenshipApplication:
    require(user, ISSUING_ROLES, station=person.station)
    if kind not in CitizenshipApplication.Kind.values:
        raise ValidationError({"kind": [_("Unknown kind of application.")]})
    lodged_at = clean_text(lodged_at, "lodged_at", limit=120)
    today = clock.today()
    submitted_on = submitted_on or today
    if submitted_on > today:
        raise ValidationError({"submitted_on": [_("The date cannot be in the future.")]})
    if client_uuid is not None:
        existing = CitizenshipApplication.objects.filter(client_uuid=client_uuid).first()
        if existing is not None:
            return existing
    try:
        with transaction.atomic():
            application = CitizenshipApplication.objects.create(
                client_uuid=client_uuid or uuid.uuid4(),
                person=person,
                kind=kind,
                lodged_at=lodged_at,
                submitted_on=submitted_on,
                recorded_by=user,
            )
            ApplicationEvent.objects.create(
                application=application, to_state=State.SUBMITTED, at=clock.now(), by=user
            )
            record_audit(
                user=user,
                action=AuditEntry.Action.CREATE,
                obj=application,
                person=person,
                detail={"kind": kind},
            )
    except IntegrityError as error:
        raise ValidationError(
            _("This person already has an open application of this kind.")
        ) from error
    return application


def decide_application(
    *, user: Any, application: CitizenshipApplication, state: str, decision: str
) -> CitizenshipApplication:
    """Move an application on: under review, granted, refused or undecided by policy."""
    require(user, ISSUING_ROLES)
    decision = clean_text(decision, "decision", required=state in DECIDED, limit=2000)
    with transaction.atomic():
        locked = (
            CitizenshipApplication.objects.select_for_update()
            .select_related("person__station")
            .get(pk=application.pk)
        )
        require(user, ISSUING_ROLES, station=locked.person.station)
        if state not in NEXT_STATES.get(locked.state, frozenset()):
            raise ValidationError(
                {
                    "state": [
                        _("An application that is “%(state)s” cannot move to that state.")
                        % {"state": locked.get_state_display()}
                    ]
                }
            )
        previous = locked.state
        locked.state = state
        if state in DECIDED:
            locked.decision = decision
            locked.decided_by = user
            locked.decided_on = clock.today()
        locked.save()
        ApplicationEvent.objects.create(
            application=locked,
            from_state=previous,
            to_state=state,
            at=clock.now(),
            by=user,
            note=decision,
        )
        record_audit(
            user=user,
            action=AuditEntry.Action.UPDATE,
            obj=locked,
            person=locked.person,
            reason=decision,
            detail={"from": previous, "to": state},
        )
    application.refresh_from_db()
    return application


def visible_applications(profile: StaffProfile | None) -> QuerySet[CitizenshipApplication]:
    return scope_to_holders(profile, CitizenshipApplication.objects.select_related("person"))


def people_by_state(
    applications: QuerySet[CitizenshipApplication] | None = None, kind: str | None = None
) -> dict[str, int]:
    """How many people have an application in each state (reports count "undecided")."""
    queryset = applications if applications is not None else CitizenshipApplication.objects.all()
    if kind:
        queryset = queryset.filter(kind=kind)
    counts = dict(
        queryset.values_list("state").annotate(people=Count("person", distinct=True)).order_by()
    )
    return {state.value: counts.get(state.value, 0) for state in State}
