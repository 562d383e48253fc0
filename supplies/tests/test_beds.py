import pytest
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.utils import timezone

from people.states import JourneyState
from people.tests.factories import HouseholdFactory, PersonFactory
from supplies import beds
from supplies.beds import BedRefused
from supplies.models import BedAssignment, SleepingPlace


def household_of(station, size: int):  # noqa: ANN001, ANN201
    household = HouseholdFactory(station=station)
    return household, [PersonFactory(station=station, household=household) for _ in range(size)]


def test_a_household_is_kept_together_where_a_place_has_room(personas, school) -> None:
    hall = SleepingPlace.objects.create(
        station=personas.onsong, name="Hall", kind="building", capacity=2
    )
    household, members = household_of(personas.onsong, 3)
    assigned = beds.assign_household(user=personas["supplies-onsong"], household=household)
    assert {bed.place for bed in assigned} == {school}
    occupancy = beds.occupancy(personas.onsong)
    assert (occupancy.capacity, occupancy.occupied, occupancy.free) == (5, 3, 2)
    assert hall.assignments.count() == 0


def test_a_household_is_split_only_when_no_place_has_room(personas, school) -> None:
    SleepingPlace.objects.create(station=personas.onsong, name="Hall", kind="building", capacity=2)
    household, members = household_of(personas.onsong, 5)
    assigned = beds.assign_household(user=personas["supplies-onsong"], household=household)
    assert len(assigned) == 5 and len({bed.place_id for bed in assigned}) == 2
    assert beds.occupancy(personas.onsong).is_full


def test_a_full_station_refuses_and_changes_nothing(personas, school) -> None:
    household, members = household_of(personas.onsong, 4)
    with pytest.raises(BedRefused, match="3 free, 4 needed"):
        beds.assign_household(user=personas["supplies-onsong"], household=household)
    assert not BedAssignment.objects.exists()


def test_a_person_has_one_bed_at_a_time_and_release_frees_it(personas, school) -> None:
    clerk = personas["supplies-onsong"]
    person = PersonFactory(station=personas.onsong)
    beds.assign(user=clerk, persons=[person])
    with pytest.raises(BedRefused, match="already has a bed"):
        beds.assign(user=clerk, persons=[person])
    with pytest.raises(IntegrityError), transaction.atomic():
        BedAssignment.objects.create(
            person=person, place=school, station=personas.onsong, assigned_at=timezone.now()
        )
    beds.release(user=clerk, person=person, reason="Placed at the Musan mine")
    assert beds.current_bed(person) is None and beds.occupancy(personas.onsong).occupied == 0
    with pytest.raises(BedRefused, match="no bed to release"):
        beds.release(user=clerk, person=person)
    beds.assign(user=clerk, persons=[person])
    assert BedAssignment.objects.filter(person=person).count() == 2


def test_people_who_left_the_station_get_no_bed(personas, school) -> None:
    person = PersonFactory(station=personas.onsong, state=JourneyState.AT_WORK)
    with pytest.raises(BedRefused, match="not at the station"):
        beds.assign(user=personas["supplies-onsong"], persons=[person])


def test_only_the_stations_clerk_assigns(personas, school) -> None:
    person = PersonFactory(station=personas.onsong)
    with pytest.raises(PermissionDenied):
        beds.assign(user=personas["supplies-musan"], persons=[person])
    with pytest.raises(PermissionDenied):
        beds.assign(user=personas["registrar-onsong"], persons=[person])


def test_occupancy_by_station(personas, school) -> None:
    beds.assign(user=personas["supplies-onsong"], persons=[PersonFactory(station=personas.onsong)])
    figures = beds.occupancy_by_station([personas.onsong, personas.musan])
    assert figures == {personas.onsong.pk: (3, 1), personas.musan.pk: (0, 0)}


def test_a_return_across_the_border_frees_the_bed(personas, school) -> None:
    from people import services as people_services

    person = PersonFactory(station=personas.onsong)
    beds.assign(user=personas["supplies-onsong"], persons=[person])
    people_services.record_crossing(
        user=personas["registrar-onsong"],
        person=person,
        station=personas.onsong,
        direction="out",
        crossed_at=timezone.now(),
    )
    assert beds.current_bed(person) is None
    released = BedAssignment.objects.get(person=person)
    assert released.release_reason == "Returned across the border"
    assert beds.occupancy(personas.onsong).occupied == 0
