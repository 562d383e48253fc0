"""Beds: sleeping places at a station (a school, a building, a room), who sleeps where, and
how full the station is. Supplies owns the beds: the station dashboard, the quarantine board
and the reports read these figures (`occupancy`, `occupancy_by_station`), and quarantine
admission gives beds through `give_beds`. A household is kept in one place when one place has room for all of
it, and split across places (largest free space first) only when none has.

Assigning locks the station's sleeping places (SELECT ... FOR UPDATE), so two clerks cannot
both give away the last bed.
"""

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.db.models import Count, Exists, OuterRef, QuerySet, Sum
from django.utils.translation import gettext as _

from people.audit import AuditEntry, record_audit
from people.models import Household, Person
from people.states import PRESENT_AT_STATION, JourneyState
from stations.access import require
from stations.models import Station
from supplies.models import BedAssignment, SleepingPlace
from supplies.services import WRITE_ROLES, StockRefused
from waystation import clock


class BedRefused(StockRefused):
    """A bed assignment the rules do not allow; the message says why."""


@dataclass(frozen=True)
class PlaceLoad:
    place: SleepingPlace
    occupied: int

    @property
    def free(self) -> int:
        return max(0, self.place.capacity - self.occupied)


@dataclass(frozen=True)
class Occupancy:
    station: Station
    places: tuple[PlaceLoad, ...]

    @property
    def capacity(self) -> int:
        return sum(load.place.capacity for load in self.places)

    @property
    def occupied(self) -> int:
        return sum(load.occupied for load in self.places)

    @property
    def free(self) -> int:
        return sum(load.free for load in self.places)

    @property
    def is_full(self) -> bool:
        return bool(self.places) and self.free == 0

    @property
    def percent(self) -> int:
        return round(100 * self.occupied / self.capacity) if self.capacity else 0


def _loads(station: Station, lock: bool = False) -> list[PlaceLoad]:
    places = SleepingPlace.objects.filter(station=station, is_active=True).order_by("pk")
    if lock:
        places = list(places.select_for_update())
    counts = dict(
        BedAssignment.objects.filter(station=station, released_at__isnull=True)
        .values("place_id")
        .annotate(n=Count("*"))  # COUNT(*): answered from the covering index alone
        .values_list("place_id", "n")
    )
    return [PlaceLoad(place, counts.get(place.pk, 0)) for place in places]


def occupancy(station: Station) -> Occupancy:
    return Occupancy(station, tuple(_loads(station)))


def occupancy_by_station(stations: list[Station]) -> dict[int, tuple[int, int]]:
    """Station id -> (beds, occupied), two grouped queries for any number of stations; the
    same count as `occupancy` (beds in the places in use, and who sleeps in them)."""
    ids = [s.pk for s in stations]
    beds = dict(
        SleepingPlace.objects.filter(station_id__in=ids, is_active=True)
        .values("station_id")
        .annotate(total=Sum("capacity"))
        .values_list("station_id", "total")
    )
    occupied = dict(
        BedAssignment.objects.filter(
            station_id__in=ids, released_at__isnull=True, place__is_active=True
        )
        .values("station_id")
        .annotate(n=Count("id"))
        .values_list("station_id", "n")
    )
    return {pk: (beds.get(pk, 0), occupied.get(pk, 0)) for pk in ids}


@dataclass(frozen=True)
class BedFigures:
    """A station's beds beside the number of people present (for "without a bed")."""

    capacity: int
    occupied: int
    present: int

    @property
    def free(self) -> int:
        return max(0, self.capacity - self.occupied)

    @property
    def without_bed(self) -> int:
        return max(0, self.present - self.occupied)

    @property
    def percent(self) -> int:
        return min(100, round(100 * self.occupied / self.capacity)) if self.capacity else 0


def bed_figures(stations: list[Station], present: dict[int, int]) -> dict[int, BedFigures]:
    """Station id -> its beds, for pages that show them beside the people present."""
    counts = occupancy_by_station(stations)
    return {
        pk: BedFigures(capacity, occupied, present.get(pk, 0))
        for pk, (capacity, occupied) in counts.items()
    }


def without_bed(records: QuerySet[Any], person_field: str = "person_id") -> int:
    """How many of these records (one per person, such as open quarantine stays) belong to
    someone without a bed: one query, each person's open bed looked up by its unique index
    (a list of the people's ids, thousands at a big station, took Django ~0.15 s to bind)."""
    has_bed = BedAssignment.objects.filter(
        person_id=OuterRef(person_field), released_at__isnull=True
    )
    return records.filter(~Exists(has_bed)).count()


def places_of(person_ids: list[int]) -> dict[int, str]:
    """Person id -> the name of the place they sleep in, for those with a bed."""
    return dict(
        BedAssignment.objects.filter(
            person_id__in=person_ids, released_at__isnull=True
        ).values_list("person_id", "place__name")
    )


def give_beds(*, user: object, persons: list[Person]) -> list[BedAssignment]:
    """Beds for the people (one household, one station) who have none, as many as are free:
    admission to quarantine does not wait for a bed, and those left without one show on the
    quarantine board. The caller has checked the user's right to its own action."""
    if not persons:
        return []
    with transaction.atomic():
        station = persons[0].station
        _loads(station, lock=True)
        have = set(
            BedAssignment.objects.filter(person__in=persons, released_at__isnull=True).values_list(
                "person_id", flat=True
            )
        )
        wanting = [p for p in persons if p.pk not in have]
        free = occupancy(station).free
        if not wanting or not free:
            return []
        return assign_without_role_check(user=user, persons=wanting[:free])


def current_bed(person: Person) -> BedAssignment | None:
    return (
        BedAssignment.objects.filter(person=person, released_at__isnull=True)
        .select_related("place")
        .first()
    )


def _check_person(person: Person, station: Station) -> None:
    if person.station_id != station.pk:
        raise BedRefused(_("%(person)s is not at this station.") % {"person": person})
    if person.state not in PRESENT_AT_STATION:
        raise BedRefused(
            _("%(person)s is not at the station (%(state)s).")
            % {"person": person, "state": person.get_state_display()}
        )


def _plan(loads: list[PlaceLoad], size: int, prefer: set[int]) -> list[SleepingPlace]:
    """Where `size` people of one household sleep: one place if any has room (the one some
    of them already sleep in, else the smallest that fits), otherwise the largest free spaces."""
    fitting = [load for load in loads if load.free >= size]
    if fitting:
        fitting.sort(key=lambda load: (load.place.pk not in prefer, load.free, load.place.pk))
        return [fitting[0].place] * size
    plan: list[SleepingPlace] = []
    for load in sorted(loads, key=lambda load: (-load.free, load.place.pk)):
        plan.extend([load.place] * min(load.free, size - len(plan)))
    return plan


@transaction.atomic
def assign(
    *,
    user: object,
    persons: list[Person],
    place: SleepingPlace | None = None,
    at: dt.datetime | None = None,
) -> list[BedAssignment]:
    """Give beds to people of one station (a household or one person), or refuse and change
    nothing when there are not enough free beds."""
    if not persons:
        raise BedRefused(_("Nobody to give a bed to."))
    require(user, WRITE_ROLES, station=persons[0].station)
    return assign_without_role_check(user=user, persons=persons, place=place, at=at)


@transaction.atomic
def assign_without_role_check(
    *,
    user: object,
    persons: list[Person],
    place: SleepingPlace | None = None,
    at: dt.datetime | None = None,
) -> list[BedAssignment]:
    """The rules of `assign` for callers that have checked the user's right themselves (a
    transfer gives beds at a station the sending clerk does not work at)."""
    station = persons[0].station
    for person in persons:
        _check_person(person, station)
    taken = BedAssignment.objects.filter(
        person__in=persons, released_at__isnull=True
    ).select_related("person", "place")
    for bed in taken:
        raise BedRefused(
            _("%(person)s already has a bed in %(place)s.")
            % {"person": bed.person, "place": bed.place}
        )
    loads = _loads(station, lock=True)
    if place is not None:
        if place.station_id != station.pk or not place.is_active:
            raise BedRefused(_("That sleeping place is not in use at this station."))
        loads = [load for load in loads if load.place.pk == place.pk]
    free = sum(load.free for load in loads)
    if free < len(persons):
        raise BedRefused(
            _("Not enough free beds: %(free)d free, %(needed)d needed.")
            % {"free": free, "needed": len(persons)}
        )
    household_ids = {p.household_id for p in persons if p.household_id}
    prefer = set(
        BedAssignment.objects.filter(
            household_id__in=household_ids, released_at__isnull=True
        ).values_list("place_id", flat=True)
    )
    plan = _plan(loads, len(persons), prefer)
    at = at or clock.now()
    by = user if getattr(user, "is_authenticated", False) else None
    beds = BedAssignment.objects.bulk_create(
        BedAssignment(
            person=person,
            place=bed_place,
            station=station,
            household_id=person.household_id,
            assigned_at=at,
            assigned_by=by,
        )
        for person, bed_place in zip(persons, plan, strict=True)
    )
    for bed in beds:
        record_audit(
            user=user,
            action=AuditEntry.Action.CREATE,
            obj=bed,
            person=bed.person,
            station=station,
            detail={"place": bed.place.name, "bed": "assigned"},
        )
    return beds


def assign_household(*, user: object, household: Household) -> list[BedAssignment]:
    """Beds for every member of the household present at its station and without one."""
    members = [
        person
        for person in Person.objects.filter(
            household=household, state__in=PRESENT_AT_STATION, station=household.station
        ).order_by("pk")
        if not BedAssignment.objects.filter(person=person, released_at__isnull=True).exists()
    ]
    if not members:
        raise BedRefused(_("Every member of this household present here already has a bed."))
    return assign(user=user, persons=members)


@transaction.atomic
def release(*, user: object, person: Person, reason: str = "") -> BedAssignment:
    """Free a person's bed (they left, moved on, were placed)."""
    require(user, WRITE_ROLES, station=person.station)
    bed = release_without_role_check(user, person, reason)
    if bed is None:
        raise BedRefused(_("%(person)s has no bed to release.") % {"person": person})
    return bed


def release_on_departure(user: object, person: Person, target_state: str) -> None:
    """A journey effect: someone who went back across the border (or whose record closed as a
    second record of one person, or who registered again at another station) no longer sleeps
    here; the bed is freed by that step itself, so the count of who is really there stays true."""
    release_without_role_check(user, person, str(JourneyState(target_state).label))


def release_without_role_check(user: object, person: Person, reason: str) -> BedAssignment | None:
    bed = (
        BedAssignment.objects.select_for_update()
        .filter(person=person, released_at__isnull=True)
        .first()
    )
    if bed is None:
        return None
    bed.released_at = max(clock.now(), bed.assigned_at)
    bed.released_by = user if getattr(user, "is_authenticated", False) else None
    bed.release_reason = reason.strip()
    bed.save(update_fields=["released_at", "released_by", "release_reason"])
    record_audit(
        user=user,
        action=AuditEntry.Action.UPDATE,
        obj=bed,
        person=person,
        station=person.station,
        reason=bed.release_reason,
        detail={"place": bed.place.name, "bed": "released"},
    )
    return bed


def hand_over_bed(user: object, previous: Person, person: Person) -> BedAssignment | None:
    """When a second record of one person closes at the desk, the bed given under it goes to
    the record that stands for the person: freed under the one, given in the same place under
    the other (both audited; nothing is rewritten)."""
    bed = release_without_role_check(user, previous, _("Merged into another record"))
    if bed is None or current_bed(person) is not None:
        return None
    person.refresh_from_db(fields=["station", "state"])
    (given,) = assign_without_role_check(user=user, persons=[person], place=bed.place)
    return given
