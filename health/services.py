"""Business rules of the quarantine: admission, the checklist, changes of the planned end,
the household rule and the clearance decision. Views and the demo call these functions.

Every function checks the role and station, refuses bad input with a ValidationError naming
the field, changes nothing when it refuses, and writes an audit entry for every change.
"""

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from health.checklist import Checklist, checklist_of, required_vaccines
from health.models import (
    Clearance,
    Disease,
    Examination,
    Fitness,
    QuarantineStay,
    StayAdjustment,
    Vaccination,
    Vaccine,
)
from health.rules import (
    MEDICAL_ROLES,
    _check_date,
    _clean_note,
    _open_stay_or_refuse,
    arrival_date,
    latest_stay_of,
    open_stay_of,
    policy_for,
)
from people import journey
from people.audit import AuditEntry, record_audit
from people.models import Person
from people.moves import take_step
from people.states import JourneyState
from stations.access import require
from stations.models import StaffProfile
from supplies import beds
from waystation import clock

# The shared checks live in health.rules; callers may reach them through this module.
__all__ = [
    "Checklist",
    "adjust_stay",
    "admit",
    "checklist_of",
    "clear",
    "clearance_guard",
    "close_open_stay",
    "open_stay_of",
    "policy_for",
    "record_examination",
    "record_hygiene",
    "record_vaccination",
    "required_vaccines",
]


def admit(
    *, user: Any, person: Person, started_on: dt.date | None = None, split_reason: str = ""
) -> list[QuarantineStay]:
    """Admit the person and the household with them (a household stays in quarantine
    together): every member must be through the files check, unless an officer splits the
    household with a written reason. Beds are the supplies app's: the household is given the
    station's free beds (supplies.beds.give_beds), together where one place has room."""
    require(user, MEDICAL_ROLES, station=person.station)
    split_reason = _clean_note(split_reason, "split_reason")
    started_on = started_on or clock.today()
    _check_date(started_on, "started_on", arrival_date(person), _("the arrival"))
    with transaction.atomic():
        members = [person]
        if person.household_id:
            members = list(
                Person.objects.select_for_update()
                .filter(household_id=person.household_id, station=person.station)
                .exclude(state=JourneyState.RETURNED)
                .order_by("id")
            )
        waiting = [m for m in members if m.state != JourneyState.IDENTITY_CHECKED]
        if person in waiting:
            raise ValidationError(
                {"person": [_("Only a person through the files check can be admitted.")]}
            )
        blocking = [
            m for m in waiting if m.state in (JourneyState.ARRIVED, JourneyState.REGISTERED)
        ]
        if blocking and not split_reason:
            names = ", ".join(m.display_name for m in blocking)
            raise ValidationError(
                {
                    "split_reason": [
                        _(
                            "A household is admitted together, and %(names)s is not through "
                            "the files check yet. Wait, or split the household with a reason."
                        )
                        % {"names": names}
                    ]
                }
            )
        entering = [m for m in members if m.state == JourneyState.IDENTITY_CHECKED]
        stays = []
        for member in entering:
            policy = policy_for(member.category, member.station)
            _end_stale_stay(user, member, started_on)
            stay = QuarantineStay.objects.create(
                person=member,
                station=member.station,
                household_id=member.household_id,
                started_on=started_on,
                planned_days=policy.quarantine_days,
                planned_end=started_on + dt.timedelta(days=policy.quarantine_days),
                admitted_by=user,
            )
            take_step(
                user=user,
                person=member,
                target=JourneyState.IN_QUARANTINE,
                owner=journey.ADMISSION,
                reason=split_reason if blocking else "",
            )
            record_audit(
                user=user,
                action=AuditEntry.Action.CREATE,
                obj=stay,
                person=member,
                reason=split_reason,
                detail={"days": policy.quarantine_days},
            )
            stays.append(stay)
            if member.pk == person.pk:
                person.state, person.version = member.state, member.version
        beds.give_beds(user=user, persons=entering)
    return stays


def _end_stale_stay(user: Any, person: Person, on: dt.date) -> None:
    """A person who left during quarantine (back across the border) and came back starts a
    new stay; the old one is closed as left before clearance, never deleted."""
    stale = QuarantineStay.objects.select_for_update().filter(person=person, status="open").first()
    if stale is None:
        return
    stale.status = QuarantineStay.Status.ENDED
    stale.closed_on = max(on, stale.started_on)
    stale.save(update_fields=["status", "closed_on"])
    record_audit(
        user=user,
        action=AuditEntry.Action.UPDATE,
        obj=stale,
        person=person,
        detail={"status": ["open", "ended"]},
    )


def close_open_stay(user: Any, person: Person, target_state: str) -> None:
    """A journey effect: a person who leaves quarantine other than by clearance (back across
    the border, recognised as someone on file, moved on by an override) leaves the board the
    moment the step is taken, rather than when they next come back."""
    _end_stale_stay(user, person, clock.local_date(person.state_changed_at))


def stay_guard(person: Person, target: str, profile: StaffProfile) -> str | None:
    """Nobody is in quarantine without a stay: admission records it before the step."""
    if open_stay_of(person) is None:
        return _("No quarantine stay is open for %(name)s; admit them on the quarantine page.") % {
            "name": person.display_name
        }
    return None


def record_hygiene(*, user: Any, person: Person, step: str, on: dt.date | None = None) -> None:
    """Record washing (step "wash") or disinfection (step "disinfect") once per stay."""
    if step not in ("wash", "disinfect"):
        raise ValidationError({"step": [_("Unknown checklist step.")]})
    require(user, MEDICAL_ROLES, station=person.station)
    with transaction.atomic():
        stay = _open_stay_or_refuse(person)
        on = _check_date(on or clock.today(), "on", stay.started_on, _("the admission"))
        column = "washed" if step == "wash" else "disinfected"
        if getattr(stay, f"{column}_on") is not None:
            raise ValidationError({"step": [_("This step is already recorded for this stay.")]})
        setattr(stay, f"{column}_on", on)
        setattr(stay, f"{column}_by", user)
        stay.save(update_fields=[f"{column}_on", f"{column}_by"])
        record_audit(
            user=user, action=AuditEntry.Action.UPDATE, obj=stay, person=person, detail={step: 1}
        )


def record_vaccination(
    *,
    user: Any,
    person: Person,
    vaccine: Vaccine,
    dose: int,
    lot_number: str,
    given_on: dt.date | None,
) -> Vaccination:
    require(user, MEDICAL_ROLES, station=person.station)
    lot_number = " ".join((lot_number or "").split())
    if not lot_number or len(lot_number) > 40:
        raise ValidationError({"lot_number": [_("Give the lot number (at most 40 characters).")]})
    if not isinstance(dose, int) or not 1 <= dose <= 10:
        raise ValidationError({"dose": [_("The dose is a number from 1 to 10.")]})
    with transaction.atomic():
        stay = _open_stay_or_refuse(person)
        given_on = given_on or clock.today()
        _check_date(given_on, "given_on", arrival_date(person), _("the arrival"))
        _check_date(given_on, "given_on", stay.started_on, _("the admission to quarantine"))
        if Vaccination.objects.filter(stay=stay, vaccine=vaccine, dose=dose).exists():
            raise ValidationError({"dose": [_("This dose is already recorded for this stay.")]})
        vaccination = Vaccination.objects.create(
            stay=stay,
            person=person,
            vaccine=vaccine,
            dose=dose,
            lot_number=lot_number,
            given_on=given_on,
            given_by=user,
            recorded_at=clock.now(),
        )
        record_audit(user=user, action=AuditEntry.Action.CREATE, obj=vaccination, person=person)
    return vaccination


def record_examination(
    *,
    user: Any,
    person: Person,
    fitness: str,
    contagious: bool,
    findings: str = "",
    disease: Disease | None = None,
    examined_on: dt.date | None = None,
) -> Examination:
    """Record an examination. A contagious finding extends the stay of the whole household
    (the policy's extension, counted from the examination)."""
    require(user, MEDICAL_ROLES, station=person.station)
    if fitness not in Fitness.values:
        raise ValidationError({"fitness": [_("Choose the fitness for work.")]})
    if disease is not None and not contagious:
        raise ValidationError({"disease": [_("A disease is named only for a contagious finding.")]})
    findings = _clean_note(findings, "findings")
    with transaction.atomic():
        stay = _open_stay_or_refuse(person)
        examined_on = examined_on or clock.today()
        _check_date(examined_on, "examined_on", stay.started_on, _("the admission to quarantine"))
        exam = Examination.objects.create(
            stay=stay,
            examined_on=examined_on,
            examined_by=user,
            findings=findings,
            fitness=fitness,
            contagious=contagious,
            disease=disease,
            recorded_at=clock.now(),
        )
        record_audit(user=user, action=AuditEntry.Action.CREATE, obj=exam, person=person)
        if contagious:
            _extend_household(user, stay, examined_on)
    return exam


def _extend_household(user: Any, stay: QuarantineStay, found_on: dt.date) -> None:
    stays = QuarantineStay.objects.select_for_update().filter(status="open")
    stays = stays.filter(household_id=stay.household_id) if stay.household_id else stays
    stays = stays.filter(pk=stay.pk) if not stay.household_id else stays
    for member_stay in stays.select_related("person", "station"):
        policy = policy_for(member_stay.person.category, member_stay.station)
        new_end = found_on + dt.timedelta(days=policy.contagious_extension_days)
        if new_end > member_stay.planned_end:
            _change_end(
                user,
                member_stay,
                new_end,
                _("A member of the household was found contagious on %(date)s.")
                % {"date": found_on},
                StayAdjustment.Kind.CONTAGIOUS_HOUSEHOLD,
            )


def _change_end(user: Any, stay: QuarantineStay, new_end: dt.date, reason: str, kind: str) -> None:
    StayAdjustment.objects.create(
        stay=stay,
        kind=kind,
        previous_end=stay.planned_end,
        new_end=new_end,
        reason=reason,
        by=user,
        at=clock.now(),
    )
    record_audit(
        user=user,
        action=AuditEntry.Action.UPDATE,
        obj=stay,
        person=stay.person,
        detail={"planned_end": [str(stay.planned_end), str(new_end)], "kind": kind},
    )
    stay.planned_end = new_end
    stay.save(update_fields=["planned_end"])


def adjust_stay(*, user: Any, person: Person, new_end: dt.date | None, reason: str) -> None:
    """Extend or shorten a stay: a medical officer, with a written reason."""
    require(user, MEDICAL_ROLES, station=person.station)
    reason = _clean_note(reason, "reason", required=True)
    with transaction.atomic():
        stay = _open_stay_or_refuse(person)
        if new_end is None or new_end <= stay.started_on:
            raise ValidationError({"new_end": [_("The stay must end after it began.")]})
        if new_end == stay.planned_end:
            raise ValidationError({"new_end": [_("The stay already ends on this date.")]})
        _change_end(user, stay, new_end, reason, StayAdjustment.Kind.OFFICER)


def clear(*, user: Any, person: Person, notes: str = "") -> Clearance:
    """Record the clearance decision and move the person to medically cleared. Needs the
    checklist complete, the stay over and nobody cleared twice."""
    require(user, MEDICAL_ROLES, station=person.station)
    notes = _clean_note(notes, "notes")
    with transaction.atomic():
        stay = QuarantineStay.objects.select_for_update().filter(person=person, status="open")
        stay = stay.first()
        if stay is None:
            done = Clearance.objects.filter(person=person).order_by("-decided_at").first()
            if done is not None and person.state != JourneyState.IN_QUARANTINE:
                raise ValidationError(
                    {"person": [_("Already cleared on %(date)s.") % {"date": done.decided_on}]}
                )
        stay = _open_stay_or_refuse(person)
        checklist = checklist_of(stay)
        if not checklist.complete:
            raise ValidationError(
                {
                    "person": [
                        _("Still missing: %(items)s.") % {"items": ", ".join(checklist.missing)}
                    ]
                }
            )
        today = clock.today()
        if today < stay.planned_end:
            raise ValidationError(
                {"person": [_("The stay ends on %(date)s.") % {"date": stay.planned_end}]}
            )
        clearance = Clearance.objects.create(
            stay=stay,
            person=person,
            fitness=checklist.fitness,
            notes=notes,
            decided_by=user,
            decided_on=today,
            decided_at=clock.now(),
        )
        stay.status, stay.closed_on = QuarantineStay.Status.CLEARED, today
        stay.save(update_fields=["status", "closed_on"])
        record_audit(user=user, action=AuditEntry.Action.CREATE, obj=clearance, person=person)
        take_step(
            user=user,
            person=person,
            target=JourneyState.MEDICALLY_CLEARED,
            owner=journey.CLEARANCE,
            reason=_("Medical clearance recorded"),
        )
    return clearance


def clearance_guard(person: Person, target: str, profile: StaffProfile) -> str | None:
    """Nobody becomes medically cleared without a recorded clearance decision."""
    stay = latest_stay_of(person)
    if stay is None:
        return _("No quarantine stay is recorded for this person.")
    if (
        stay.status == QuarantineStay.Status.OPEN
        or not Clearance.objects.filter(stay=stay).exists()
    ):
        return _("No medical clearance decision is recorded for the current quarantine stay.")
    return None
