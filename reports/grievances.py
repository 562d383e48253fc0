"""Complaints and appeals about decisions (a job assignment, a group return, a refused
document): filed for a person, given to a responsible officer with a due date, answered in
writing and closed. Nothing is deleted; every change is in the audit log."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.utils.translation import gettext as _

from people.audit import AuditEntry, record_audit
from people.models import Person
from reports.models import Grievance
from stations.access import can_see_station, require, scope_to_holders, staff_profile_of
from stations.models import StaffProfile
from stations.roles import Role
from waystation import clock
from waystation.text import invisible_problem

ANSWER_DAYS = 30  # the time an officer has to answer, from filing
OFFICER_ROLES = frozenset({Role.LABOUR_OFFICER, Role.DOCUMENTS_OFFICER, Role.ADMINISTRATOR})
FILING_ROLES = OFFICER_ROLES | {Role.REGISTRAR}
OPEN_STATES = (Grievance.State.OPEN, Grievance.State.UNDER_REVIEW)


def visible_grievances(profile: StaffProfile | None) -> QuerySet[Grievance]:
    # "there is such a holder" rather than a join: over the join PostgreSQL read all of a
    # station's 300,000 people to find the holders of its few thousand cases (0.2 s)
    return scope_to_holders(profile, Grievance.objects.all())


def overdue(grievances: QuerySet[Grievance], today: dt.date | None = None) -> QuerySet[Grievance]:
    today = today or clock.today()
    return grievances.filter(state__in=OPEN_STATES, due_on__lt=today)


def file_grievance(
    *,
    user: Any,
    person: Person,
    filing: str,
    kind: str,
    subject: str,
    client_uuid: uuid.UUID | None = None,
) -> tuple[Grievance, bool]:
    require(user, FILING_ROLES, station=person.station)
    if client_uuid is not None:
        existing = Grievance.objects.filter(client_uuid=client_uuid).first()
        if existing is not None:
            return existing, False
    subject = (subject or "").strip()
    errors: dict[str, list[str]] = {}
    if filing not in Grievance.Filing.values:
        errors["filing"] = [_("Say whether this is a complaint or an appeal.")]
    if kind not in Grievance.Kind.values:
        errors["kind"] = [_("Say which decision this is about.")]
    if not subject:
        errors["subject"] = [_("Write down what the person says.")]
    elif problem := invisible_problem(subject, multiline=True):
        errors["subject"] = [problem]
    elif len(subject) > 2000:
        errors["subject"] = [_("At most %(limit)d characters.") % {"limit": 2000}]
    if errors:
        raise ValidationError(errors)
    now = clock.now()
    with transaction.atomic():
        grievance = Grievance.objects.create(
            client_uuid=client_uuid or uuid.uuid4(),
            case_number=f"G-{clock.today().year}-{uuid.uuid4().hex[:8].upper()}",
            person=person,
            filing=filing,
            kind=kind,
            subject=subject,
            due_on=clock.today() + dt.timedelta(days=ANSWER_DAYS),
            filed_by=user,
            filed_at=now,
        )
        record_audit(user=user, action=AuditEntry.Action.CREATE, obj=grievance, person=person)
    return grievance, True


def assign(*, user: Any, grievance: Grievance, officer: Any, due_on: dt.date) -> Grievance:
    """Give the case to a responsible officer (who must be able to see the person)."""
    require(user, OFFICER_ROLES, station=grievance.person.station)
    if grievance.state not in OPEN_STATES:
        raise ValidationError({"state": [_("This case has already been answered.")]})
    officer_profile = staff_profile_of(officer)
    if (
        officer_profile is None
        or officer_profile.role not in OFFICER_ROLES
        or not can_see_station(officer_profile, grievance.person.station)
    ):
        raise ValidationError({"officer": [_("Choose an officer who works in this area.")]})
    if due_on < grievance.filed_at.date():
        raise ValidationError({"due_on": [_("The due date is before the filing date.")]})
    with transaction.atomic():
        Grievance.objects.filter(pk=grievance.pk).update(
            responsible=officer, due_on=due_on, state=Grievance.State.UNDER_REVIEW
        )
        record_audit(
            user=user,
            action=AuditEntry.Action.UPDATE,
            obj=grievance,
            person=grievance.person,
            detail={"responsible": officer.get_username(), "due_on": due_on.isoformat()},
        )
    grievance.refresh_from_db()
    return grievance


def answer(*, user: Any, grievance: Grievance, text: str) -> Grievance:
    """Record the written answer; only the responsible officer (or an administrator)."""
    require(user, OFFICER_ROLES, station=grievance.person.station)
    if grievance.state != Grievance.State.UNDER_REVIEW:
        raise ValidationError({"state": [_("Only a case under review can be answered.")]})
    if grievance.responsible_id != user.pk:
        # besides the responsible officer, only an administrator may answer
        require(user, {Role.ADMINISTRATOR}, station=grievance.person.station)
    text = (text or "").strip()
    if not text:
        raise ValidationError({"answer": [_("Write the answer.")]})
    if problem := invisible_problem(text, multiline=True):
        raise ValidationError({"answer": [problem]})
    with transaction.atomic():
        Grievance.objects.filter(pk=grievance.pk).update(
            answer=text[:4000], answered_at=clock.now(), state=Grievance.State.ANSWERED
        )
        record_audit(
            user=user, action=AuditEntry.Action.UPDATE, obj=grievance, person=grievance.person,
            detail={"state": Grievance.State.ANSWERED},
        )  # fmt: skip
    grievance.refresh_from_db()
    return grievance


def close(*, user: Any, grievance: Grievance) -> Grievance:
    require(user, OFFICER_ROLES, station=grievance.person.station)
    if grievance.state != Grievance.State.ANSWERED:
        raise ValidationError({"state": [_("Only an answered case can be closed.")]})
    with transaction.atomic():
        Grievance.objects.filter(pk=grievance.pk).update(state=Grievance.State.CLOSED)
        record_audit(
            user=user, action=AuditEntry.Action.UPDATE, obj=grievance, person=grievance.person,
            detail={"state": Grievance.State.CLOSED},
        )  # fmt: skip
    grievance.refresh_from_db()
    return grievance


def officers_for(grievance: Grievance) -> list[Any]:
    """Users who may be made responsible for the case."""
    users = (
        get_user_model()
        .objects.filter(
            staff_profile__role__in=[role.value for role in OFFICER_ROLES], is_active=True
        )
        .select_related("staff_profile")
    )
    return [user for user in users if can_see_station(user.staff_profile, grievance.person.station)]
