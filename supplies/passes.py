"""Check-out and check-in passes: a person may leave the station for a while (to see family,
to look for work) and keep their bed; whoever has been away more than five days is flagged."""

import datetime as dt

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from people.audit import AuditEntry, record_audit
from people.models import Person
from people.states import PRESENT_AT_STATION
from stations.access import require
from stations.models import Station
from supplies.models import AbsencePass
from supplies.services import WRITE_ROLES, StockRefused
from waystation import clock

ABSENCE_FLAG_DAYS = 5


class PassRefused(StockRefused):
    """A check-out or check-in the rules do not allow; the message says why."""


def open_pass(person: Person) -> AbsencePass | None:
    return AbsencePass.objects.filter(person=person, returned_at__isnull=True).first()


@transaction.atomic
def check_out(
    *, user: object, person: Person, reason: str, at: dt.datetime | None = None
) -> AbsencePass:
    require(user, WRITE_ROLES, station=person.station)
    reason = (reason or "").strip()
    if not reason:
        raise PassRefused(_("A pass needs a reason."))
    if person.state not in PRESENT_AT_STATION:
        raise PassRefused(
            _("%(person)s is not at the station (%(state)s).")
            % {"person": person, "state": person.get_state_display()}
        )
    if open_pass(person) is not None:
        raise PassRefused(_("%(person)s is already checked out.") % {"person": person})
    try:
        with transaction.atomic():
            issued = AbsencePass.objects.create(
                person=person,
                station=person.station,
                left_at=at or clock.now(),
                reason=reason,
                issued_by=user if getattr(user, "is_authenticated", False) else None,
            )
    except IntegrityError as error:
        raise PassRefused(_("%(person)s is already checked out.") % {"person": person}) from error
    record_audit(
        user=user, action=AuditEntry.Action.CREATE, obj=issued, person=person, reason=reason
    )
    return issued


@transaction.atomic
def check_in(*, user: object, person: Person, at: dt.datetime | None = None) -> AbsencePass:
    require(user, WRITE_ROLES, station=person.station)
    current = (
        AbsencePass.objects.select_for_update()
        .filter(person=person, returned_at__isnull=True)
        .first()
    )
    if current is None:
        raise PassRefused(_("%(person)s is not checked out.") % {"person": person})
    current.returned_at = max(at or clock.now(), current.left_at)
    current.returned_by = user if getattr(user, "is_authenticated", False) else None
    current.save(update_fields=["returned_at", "returned_by"])
    record_audit(
        user=user,
        action=AuditEntry.Action.UPDATE,
        obj=current,
        person=person,
        detail={"days_away": (current.returned_at - current.left_at).days},
    )
    return current


def overdue(station: Station, now: dt.datetime | None = None) -> list[AbsencePass]:
    """Open passes older than five days: people to look for."""
    limit = (now or clock.now()) - dt.timedelta(days=ABSENCE_FLAG_DAYS)
    return list(
        AbsencePass.objects.filter(
            station=station, returned_at__isnull=True, left_at__lt=limit
        ).select_related("person")
    )


def is_overdue(absence: AbsencePass | None, now: dt.datetime | None = None) -> bool:
    if absence is None:
        return False
    return (now or clock.now()) - absence.left_at > dt.timedelta(days=ABSENCE_FLAG_DAYS)


def days_away(absence: AbsencePass, now: dt.datetime | None = None) -> int:
    return max(0, ((now or clock.now()) - timezone.localtime(absence.left_at)).days)
