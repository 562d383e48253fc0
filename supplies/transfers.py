"""Transfers between stations: when a station is full, a clerk sends a person or a household to
a station with free beds. The bed at home is released and beds at the destination are given in
the same transaction, so nobody is ever without a bed in the records or counted twice.
"""

from django.db import transaction
from django.utils.translation import gettext as _

from people.audit import AuditEntry, record_audit
from people.models import Household, Person
from people.states import PRESENT_AT_STATION, JourneyState
from stations.access import require
from stations.models import Station
from supplies import beds, passes
from supplies.beds import BedRefused
from supplies.models import StationTransfer
from supplies.services import WRITE_ROLES
from waystation import clock


def _check_movable(person: Person, origin: Station) -> None:
    if person.station_id != origin.pk or person.state not in PRESENT_AT_STATION:
        raise BedRefused(_("%(person)s is not at this station.") % {"person": person})
    if person.state == JourneyState.IN_QUARANTINE:
        # The stay, its checklist and the household rule belong to the station that admitted
        # them; moving a quarantined person would leave the medical record behind.
        raise BedRefused(
            _("%(person)s is in quarantine here; a medical officer must clear them first.")
            % {"person": person}
        )
    if passes.open_pass(person) is not None:
        raise BedRefused(
            _("%(person)s is checked out on a pass; check them back in first.") % {"person": person}
        )


def members_to_move(person: Person, whole_household: bool) -> list[Person]:
    if not (whole_household and person.household_id):
        return [person]
    return list(
        Person.objects.filter(
            household_id=person.household_id,
            station_id=person.station_id,
            state__in=PRESENT_AT_STATION,
        ).order_by("pk")
    )


@transaction.atomic
def transfer(
    *, user: object, persons: list[Person], to_station: Station, reason: str
) -> list[StationTransfer]:
    """Move people of one station to another with beds there, or refuse and change nothing."""
    if not persons:
        raise BedRefused(_("Nobody to transfer."))
    origin = persons[0].station
    require(user, WRITE_ROLES, station=origin)
    reason = " ".join((reason or "").split())[:300]
    if not reason:
        raise BedRefused(_("Say why they are transferred."))
    if to_station.pk == origin.pk or not to_station.is_active:
        raise BedRefused(_("Choose another station that is open."))
    locked = list(Person.objects.select_for_update().filter(pk__in=[p.pk for p in persons]))
    for person in locked:
        _check_movable(person, origin)
    for person in locked:
        beds.release_without_role_check(
            user, person, _("Transferred to %(station)s") % {"station": to_station}
        )
    Person.objects.filter(pk__in=[p.pk for p in locked]).update(station=to_station)
    for person in locked:
        person.station = to_station
    _follow_household(locked, origin, to_station)
    # Refuses (and so rolls back the release and the move) when the destination lacks beds.
    beds.assign_without_role_check(user=user, persons=locked)
    now = clock.now()
    transfers = StationTransfer.objects.bulk_create(
        StationTransfer(
            person=person,
            household_id=person.household_id,
            from_station=origin,
            to_station=to_station,
            at=now,
            by=user,
            reason=reason,
        )
        for person in locked
    )
    for person in locked:
        record_audit(
            user=user,
            action=AuditEntry.Action.UPDATE,
            obj=person,
            person=person,
            station=origin,
            reason=reason,
            detail={"station": [origin.code, to_station.code]},
        )
    return transfers


def _follow_household(moved: list[Person], origin: Station, to_station: Station) -> None:
    """A household whose every member present has moved now belongs to the new station."""
    for household_id in {p.household_id for p in moved if p.household_id}:
        still_here = Person.objects.filter(
            household_id=household_id, station=origin, state__in=PRESENT_AT_STATION
        ).exists()
        if not still_here:
            Household.objects.filter(pk=household_id, station=origin).update(station=to_station)


def destinations(origin: Station) -> list[tuple[Station, int]]:
    """Other open stations with their free beds, most room first."""
    stations = list(Station.objects.filter(is_active=True).exclude(pk=origin.pk))
    figures = beds.occupancy_by_station(stations)
    free = {pk: max(0, total - taken) for pk, (total, taken) in figures.items()}
    rows = [(station, free[station.pk]) for station in stations]
    return sorted(rows, key=lambda row: (-row[1], row[0].code))


def transfers_of(person: Person) -> list[StationTransfer]:
    return list(
        StationTransfer.objects.filter(person=person)
        .select_related("from_station", "to_station")
        .order_by("-at")
    )
