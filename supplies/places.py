"""Setting up a station's sleeping places (a school, a building, a room) and their beds.

The set-up pages and `manage.py setup_province` call `set_up_sleeping_place`: it adds the place
or, when the station already has one of that name, sets its kind and beds, so applying a set-up
file twice changes nothing. Every change is audited."""

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from people.audit import AuditEntry, record_audit
from stations.access import require
from stations.models import Station
from stations.roles import Role
from supplies.models import SleepingPlace

SETTING_UP_ROLES = frozenset({Role.ADMINISTRATOR})


@transaction.atomic
def set_up_sleeping_place(
    *, user: Any, station: Station, name: str, kind: str, capacity: int, is_active: bool = True
) -> tuple[SleepingPlace, bool]:
    """The station's sleeping place of this name with these beds; (place, changed)."""
    require(user, SETTING_UP_ROLES, station=station)
    name = " ".join((name or "").split())
    if not name or len(name) > 120:
        raise ValidationError({"name": [_("Name the sleeping place (at most 120 characters).")]})
    if kind not in SleepingPlace.Kind.values:
        raise ValidationError({"kind": [_("Choose a school, a building or a room.")]})
    if not isinstance(capacity, int) or capacity < 1:
        raise ValidationError({"capacity": [_("A sleeping place has at least one bed.")]})
    place = SleepingPlace.objects.select_for_update().filter(station=station, name=name).first()
    wanted = {"kind": kind, "capacity": capacity, "is_active": is_active}
    if place is None:
        place = SleepingPlace.objects.create(station=station, name=name, **wanted)
        action = AuditEntry.Action.CREATE
    elif any(getattr(place, key) != value for key, value in wanted.items()):
        for key, value in wanted.items():
            setattr(place, key, value)
        place.save(update_fields=list(wanted))
        action = AuditEntry.Action.UPDATE
    else:
        return place, False
    record_audit(
        user=user,
        action=action,
        obj=place,
        station=station,
        reason=_("Set up a sleeping place"),
        detail={"name": name, "kind": kind, "capacity": capacity, "in_use": is_active},
    )
    return place, True
