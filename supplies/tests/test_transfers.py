import pytest
from django.core.exceptions import PermissionDenied

from people.audit import AuditEntry
from people.states import JourneyState
from people.tests.factories import HouseholdFactory, PersonFactory
from supplies import beds, transfers
from supplies.beds import BedRefused
from supplies.models import BedAssignment, SleepingPlace, StationTransfer


@pytest.fixture
def musan_hall(personas) -> SleepingPlace:  # noqa: ANN001
    return SleepingPlace.objects.create(
        station=personas.musan, name="Musan hall", kind="building", capacity=3
    )


def family_with_beds(personas, school, size: int = 3):  # noqa: ANN001, ANN201
    household = HouseholdFactory(station=personas.onsong)
    members = [PersonFactory(station=personas.onsong, household=household) for _ in range(size)]
    beds.assign_household(user=personas["supplies-onsong"], household=household)
    return household, members


def test_a_household_moves_with_its_beds_to_a_station_with_room(
    personas, school, musan_hall
) -> None:
    household, members = family_with_beds(personas, school)
    assert beds.occupancy(personas.onsong).is_full
    moved = transfers.transfer(
        user=personas["supplies-onsong"],
        persons=transfers.members_to_move(members[0], whole_household=True),
        to_station=personas.musan,
        reason="Onsong school is full",
    )
    assert len(moved) == 3
    assert beds.occupancy(personas.onsong).occupied == 0
    assert beds.occupancy(personas.musan).occupied == 3
    household.refresh_from_db()
    assert household.station == personas.musan
    for member in members:
        member.refresh_from_db()
        assert member.station == personas.musan
        assert beds.current_bed(member).place == musan_hall
    assert StationTransfer.objects.filter(to_station=personas.musan).count() == 3
    assert AuditEntry.objects.filter(reason="Onsong school is full").count() == 3


def test_a_transfer_to_a_station_without_room_changes_nothing(personas, school) -> None:
    SleepingPlace.objects.create(station=personas.musan, name="Hut", kind="room", capacity=2)
    household, members = family_with_beds(personas, school)
    with pytest.raises(BedRefused, match="2 free, 3 needed"):
        transfers.transfer(
            user=personas["supplies-onsong"],
            persons=members,
            to_station=personas.musan,
            reason="Onsong school is full",
        )
    assert BedAssignment.objects.filter(station=personas.onsong, released_at=None).count() == 3
    assert not StationTransfer.objects.exists()
    members[0].refresh_from_db()
    assert members[0].station == personas.onsong


@pytest.mark.parametrize(
    ("state", "message"),
    [(JourneyState.IN_QUARANTINE, "in quarantine"), (JourneyState.PLACED, "not at this station")],
)
def test_people_in_quarantine_or_gone_are_not_transferred(
    personas, musan_hall, state, message
) -> None:
    person = PersonFactory(station=personas.onsong, state=state)
    with pytest.raises(BedRefused, match=message):
        transfers.transfer(
            user=personas["supplies-onsong"],
            persons=[person],
            to_station=personas.musan,
            reason="Full",
        )


def test_a_transfer_needs_a_reason_and_the_sending_stations_clerk(personas, musan_hall) -> None:
    person = PersonFactory(station=personas.onsong)
    with pytest.raises(BedRefused, match="Say why"):
        transfers.transfer(
            user=personas["supplies-onsong"], persons=[person], to_station=personas.musan, reason=""
        )
    with pytest.raises(PermissionDenied):
        transfers.transfer(
            user=personas["supplies-musan"],
            persons=[person],
            to_station=personas.musan,
            reason="Full",
        )


def test_the_person_page_offers_stations_with_free_beds_and_transfers(
    personas, school, musan_hall
) -> None:
    household, members = family_with_beds(personas, school, size=2)
    client = personas.client_for("supplies-onsong")
    page = client.get(f"/people/{members[0].pk}/").content.decode()
    assert "Transfer to" in page and "(3 beds free)" in page
    refused = personas.client_for("supplies-musan").post(
        f"/supplies/people/{members[0].pk}/transfer/",
        {"to_station": personas.musan.code, "reason": "Taking them"},
    )
    assert refused.status_code in (403, 404)
    response = client.post(
        f"/supplies/people/{members[0].pk}/transfer/",
        {"to_station": personas.musan.code, "reason": "School full", "household": "1"},
    )
    assert response.status_code == 302
    assert set(StationTransfer.objects.values_list("person_id", flat=True)) == {
        m.pk for m in members
    }
