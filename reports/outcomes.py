"""Recording what became of a placed person: the outcome and its journey step, together."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from labour.services.moves import end_active_placement
from people import journey
from people.audit import AuditEntry, record_audit
from people.models import JourneyTransition, Person
from people.moves import take_step
from reports.models import OUTCOME_STATES, LeaveReason, Outcome
from stations.access import require
from stations.roles import Role
from waystation import clock

# Only labour officers take these journey steps (people.journey); others read the outcomes.
RECORDING_ROLES = frozenset({Role.LABOUR_OFFICER})


def record_outcome(
    *,
    user: Any,
    person: Person,
    kind: str,
    occurred_at: dt.datetime,
    source: str,
    source_detail: str = "",
    reason: LeaveReason | None = None,
    reason_text: str = "",
    client_uuid: uuid.UUID | None = None,
) -> tuple[Outcome, bool]:
    """Record an outcome and move the person along the journey in one transaction.

    Sending the same client UUID again returns the first outcome (created=False). A step the
    journey rules refuse raises people.journey.TransitionRefused and records nothing.
    """
    require(user, RECORDING_ROLES, station=person.station)
    if client_uuid is not None:
        existing = Outcome.objects.filter(client_uuid=client_uuid).first()
        if existing is not None:
            return existing, False
    source_detail = " ".join((source_detail or "").split())
    reason_text = " ".join((reason_text or "").split())
    errors = _problems(kind, occurred_at, source, source_detail, reason, reason_text)
    last_step = last_step_at(person)
    if occurred_at is not None and last_step is not None and occurred_at < last_step:
        errors.setdefault("occurred_at", []).append(
            _("This is before the person's last recorded step (%(at)s).")
            % {"at": timezone.localtime(last_step).strftime("%Y-%m-%d %H:%M")}
        )
    if errors:
        raise ValidationError(errors)
    step_reason = ""
    if reason is not None:
        step_reason = f"{reason.label_en}: {reason_text}" if reason_text else reason.label_en
    elif source_detail:
        step_reason = source_detail
    with transaction.atomic():
        if kind == Outcome.Kind.LEFT_JOB:
            # leaving the job ends the placement it was (kept as history with the reason)
            end_active_placement(user, person, step_reason)
        step = take_step(
            user=user,
            person=person,
            target=OUTCOME_STATES[Outcome.Kind(kind)],
            owner=journey.OUTCOME,
            reason=step_reason,
            at=occurred_at,
        )
        outcome = Outcome.objects.create(
            client_uuid=client_uuid or uuid.uuid4(),
            person=person,
            kind=kind,
            occurred_at=occurred_at,
            source=source,
            source_detail=source_detail,
            reason=reason,
            reason_text=reason_text,
            transition=step,
            recorded_by=user,
            recorded_at=clock.now(),
        )
        record_audit(
            user=user,
            action=AuditEntry.Action.CREATE,
            obj=outcome,
            person=person,
            detail={"kind": kind, "source": source, "reason": reason.code if reason else ""},
        )
    return outcome, True


def last_step_at(person: Person) -> dt.datetime | None:
    return (
        JourneyTransition.objects.filter(person=person)
        .order_by("-at", "-id")
        .values_list("at", flat=True)
        .first()
    )


def moment_on(day: dt.date, person: Person) -> dt.datetime:
    """When an outcome reported for ``day`` is recorded: midday, but never before the person's
    last step on that same day nor after now."""
    moment = timezone.make_aware(dt.datetime.combine(day, dt.time(12)))
    last_step = last_step_at(person)
    if last_step is not None and timezone.localtime(last_step).date() == day:
        moment = max(moment, last_step + dt.timedelta(minutes=1))
    return min(moment, clock.now()) if day == clock.today() else moment


def _problems(
    kind: str,
    occurred_at: dt.datetime | None,
    source: str,
    source_detail: str,
    reason: LeaveReason | None,
    reason_text: str,
) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    if kind not in Outcome.Kind.values:
        errors["kind"] = [_("Choose what happened.")]
    if source not in Outcome.Source.values:
        errors["source"] = [_("Say where this information comes from.")]
    if occurred_at is None:
        errors["occurred_at"] = [_("Give the date.")]
    elif occurred_at > clock.now() + dt.timedelta(minutes=5):
        errors["occurred_at"] = [_("The date is in the future.")]
    if len(source_detail) > 200:
        errors["source_detail"] = [_("At most %(limit)d characters.") % {"limit": 200}]
    if len(reason_text) > 500:
        errors["reason_text"] = [_("At most %(limit)d characters.") % {"limit": 500}]
    if kind == Outcome.Kind.LEFT_JOB:
        if reason is None:
            errors["reason"] = [_("Choose why the person left the job.")]
        elif not reason.is_active:
            errors["reason"] = [_("This reason is no longer in use.")]
        elif reason.needs_text and not reason_text:
            errors["reason_text"] = [_("Explain the reason in a few words.")]
    elif reason is not None or reason_text:
        errors["reason"] = [_("A reason is recorded only when a person leaves a job.")]
    return errors
