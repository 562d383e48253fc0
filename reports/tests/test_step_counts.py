"""The daily step counts kept by database triggers must always equal a direct count of the
journey steps by each person's current station: the situation report trusts them."""

import datetime as dt
from collections import Counter

import pytest
from django.db import connection
from django.db.models import Count, F
from django.utils import timezone

from identity.services import complete_files_check
from people import services as people_services
from people.journey import ARRIVAL, FILES_CHECK
from people.models import JourneyTransition, Person
from people.moves import take_step
from people.states import JourneyState as S
from people.tests.factories import HouseholdFactory, PersonFactory
from reports.models import StepCount
from reports.situation import step_counts
from reports.step_counts import merge_slots
from supplies import transfers
from supplies.models import SleepingPlace

FAR_FUTURE = dt.datetime(2100, 1, 1, tzinfo=dt.UTC)


def _kept(station_ids: list[int], until: dt.datetime = FAR_FUTURE) -> Counter:
    counted: Counter = Counter()
    for row in step_counts(station_ids, until):
        counted[row["station_key"], row["from_state"], row["to_state"]] += row["n"]
    return +counted  # drop keys whose steps all moved away


def _direct(station_ids: list[int], until: dt.datetime = FAR_FUTURE) -> Counter:
    rows = (
        JourneyTransition.objects.filter(at__lt=until, person__station_id__in=station_ids)
        .values("from_state", "to_state", station_key=F("person__station_id"))
        .annotate(n=Count("id"))
        .order_by()
    )
    return Counter({(r["station_key"], r["from_state"], r["to_state"]): r["n"] for r in rows})


@pytest.mark.django_db
def test_counts_follow_steps_and_station_changes(personas) -> None:
    ids = [personas.onsong.pk, personas.musan.pk, personas.hyesan.pk]
    registrar = personas["registrar-onsong"]
    household = HouseholdFactory(station=personas.onsong)
    members = [
        PersonFactory(station=personas.onsong, household=household, state=S.ARRIVED)
        for _ in range(3)
    ]
    for member in members:
        people_services.register_arrival(user=registrar, person=member)
    complete_files_check(user=registrar, person=members[0])
    assert _kept(ids) == _direct(ids) and sum(_kept(ids).values()) == 7

    # A station change moves every earlier step of the person with them.
    SleepingPlace.objects.create(station=personas.musan, name="Hall", kind="building", capacity=9)
    transfers.transfer(
        user=personas["supplies-onsong"],
        persons=members[1:],
        to_station=personas.musan,
        reason="Onsong is full",
    )
    kept = _kept(ids)
    assert kept == _direct(ids)
    assert kept[personas.musan.pk, S.ARRIVED, S.REGISTERED] == 2

    # Going back and coming again through another station.
    people_services.record_crossing(
        user=registrar,
        person=members[0],
        station=personas.onsong,
        direction="out",
        crossed_at=timezone.now(),
    )
    people_services.record_crossing(
        user=personas["registrar-musan"],
        person=Person.objects.get(pk=members[0].pk),
        station=personas.musan,
        direction="in",
        crossed_at=timezone.now(),
    )
    assert _kept(ids) == _direct(ids)
    assert not any(key[0] == personas.onsong.pk for key in _kept(ids))


@pytest.mark.django_db
def test_a_report_date_inside_a_day_counts_only_the_steps_before_it(personas) -> None:
    person = PersonFactory(station=personas.onsong, state=S.ARRIVED)
    registrar = personas["registrar-onsong"]
    morning = dt.datetime(1961, 11, 8, 1, 0, tzinfo=dt.UTC)
    # the owners' own steps, at given moments (the counts are what is tested here)
    take_step(user=registrar, person=person, target=S.REGISTERED, owner=ARRIVAL, at=morning)
    take_step(
        user=registrar,
        person=person,
        target=S.IDENTITY_CHECKED,
        owner=FILES_CHECK,
        at=morning + dt.timedelta(hours=10),
    )
    ids = [personas.onsong.pk]
    noon = morning + dt.timedelta(hours=5)
    assert _kept(ids, noon) == _direct(ids, noon)
    assert (personas.onsong.pk, S.REGISTERED, S.IDENTITY_CHECKED) not in _kept(ids, noon)
    next_day = noon + dt.timedelta(days=1)
    assert _kept(ids, next_day) == _direct(ids, next_day)
    assert (personas.onsong.pk, S.REGISTERED, S.IDENTITY_CHECKED) in _kept(ids, next_day)
    # Cut at every hour of that day: the steps before the cut are added, or those after it
    # taken from the day's count, and both give the direct count.
    midnight = dt.datetime(1961, 11, 8, tzinfo=dt.UTC)
    for hour in range(25):
        until = midnight + dt.timedelta(hours=hour, minutes=30 if hour < 24 else 0)
        assert _kept(ids, until) == _direct(ids, until), until


@pytest.mark.django_db
def test_merging_a_past_days_slots_keeps_every_count(personas) -> None:
    if connection.vendor != "postgresql":
        pytest.skip("SQLite counts in one slot only")
    station = personas.onsong.pk
    old, recent = dt.date(1961, 11, 1), dt.date(1961, 11, 8)
    for day in (old, recent):
        for slot in range(4):
            StepCount.objects.create(
                day=day, station_id=station, from_state="", to_state="arrived", slot=slot, n=2
            )
    StepCount.objects.create(
        day=old, station_id=station, from_state="arrived", to_state="registered", slot=5, n=3
    )
    merge_slots(before=recent)
    kept = {
        (row.day, row.from_state, row.slot): row.n
        for row in StepCount.objects.filter(station_id=station)
    }
    assert kept == {
        (old, "", 0): 8,
        (old, "arrived", 0): 3,
        **{(recent, "", slot): 2 for slot in range(4)},
    }
