"""The shared checks of the health rules: who may act, which policy applies, which stay is
current, and the validation of dates and notes."""

import datetime as dt

from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils.translation import gettext as _

from health.models import QuarantinePolicy, QuarantineStay
from people.models import Crossing, Person
from people.states import JourneyState
from stations.models import Station
from stations.roles import Role
from waystation import clock

MAX_NOTE = 4000


MEDICAL_ROLES = frozenset({Role.MEDICAL_OFFICER})


def policy_for(category: str, station: Station) -> QuarantinePolicy:
    rows = sorted(
        QuarantinePolicy.objects.filter(category=category).filter(
            Q(station=station) | Q(station__isnull=True)
        ),
        key=lambda row: row.station_id is None,
    )
    if not rows:
        raise ValidationError(
            {
                "category": [
                    _("No quarantine policy is set for this category; ask an administrator.")
                ]
            }
        )
    return rows[0]


def open_stay_of(person: Person) -> QuarantineStay | None:
    return QuarantineStay.objects.filter(person=person, status=QuarantineStay.Status.OPEN).first()


def latest_stay_of(person: Person) -> QuarantineStay | None:
    return QuarantineStay.objects.filter(person=person).order_by("-started_on", "-id").first()


def arrival_date(person: Person) -> dt.date:
    crossed = (
        Crossing.objects.filter(person=person, direction=Crossing.Direction.IN)
        .order_by("-crossed_at")
        .values_list("crossed_at", flat=True)
        .first()
    )
    return clock.local_date(crossed or person.created_at)


def _check_date(value: dt.date | None, name: str, earliest: dt.date, what: str) -> dt.date:
    if value is None:
        raise ValidationError({name: [_("Give the date.")]})
    if value > clock.today():
        raise ValidationError({name: [_("The date is in the future.")]})
    if value < earliest:
        raise ValidationError(
            {
                name: [
                    _("The date is before %(what)s (%(date)s).") % {"what": what, "date": earliest}
                ]
            }
        )
    return value


def _clean_note(text: str, name: str, required: bool = False) -> str:
    text = (text or "").strip()
    if required and not text:
        raise ValidationError({name: [_("Write the reason.")]})
    if len(text) > MAX_NOTE:
        raise ValidationError({name: [_("At most %(limit)d characters.") % {"limit": MAX_NOTE}]})
    return text


def _open_stay_or_refuse(person: Person) -> QuarantineStay:
    stay = QuarantineStay.objects.select_for_update().filter(person=person, status="open").first()
    person.state = Person.objects.filter(pk=person.pk).values_list("state", flat=True).get()
    if stay is None or person.state != JourneyState.IN_QUARANTINE:
        raise ValidationError(
            {"person": [_("%(name)s is not in quarantine.") % {"name": person.display_name}]}
        )
    return stay
