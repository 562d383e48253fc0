"""Supplies owns the beds (issue 16, item 7): migrating keeps the beds the other system held.
A station's recorded bed capacity becomes sleeping places (topping up the ones it has), and a
person in quarantine with a numbered bed gets a bed in them."""

import datetime as dt

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

BEFORE = [
    ("supplies", "0006_entitlement_override"),
    ("stations", "0002_province"),
    ("health", "0002_seed_policy_diseases_vaccines"),
]
AFTER = [("supplies", "0007_beds_belong_to_supplies")]


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_migration_keeps_every_bed_and_every_sleeper() -> None:
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    apps = executor.loader.project_state(BEFORE).apps
    Station = apps.get_model("stations", "Station")
    SleepingPlace = apps.get_model("supplies", "SleepingPlace")
    Person = apps.get_model("people", "Person")
    QuarantineStay = apps.get_model("health", "QuarantineStay")
    now = dt.datetime(1961, 11, 1, 9, tzinfo=dt.UTC)

    def station(code: str, beds: int):  # noqa: ANN202
        return Station.objects.create(
            code=code, name_en=code, name_ko=code, name_zh=code, county="C", province="P",
            bed_capacity=beds,
        )  # fmt: skip

    onsong, musan = station("onsong", 50), station("musan", 30)
    SleepingPlace.objects.create(station=onsong, name="School", kind="school", capacity=20)
    sleepers = []
    for index in range(3):
        person = Person.objects.create(
            sex="F", station=onsong, state="in_quarantine", state_changed_at=now, created_at=now,
            birth_date=dt.date(1930, 1, 1),
            given_name_latin=f"P{index}",
        )  # fmt: skip
        QuarantineStay.objects.create(
            person=person, station=onsong, started_on=now.date(), planned_days=15,
            planned_end=now.date() + dt.timedelta(days=15), bed=index + 1,
        )  # fmt: skip
        sleepers.append(person.pk)

    executor = MigrationExecutor(connection)
    executor.migrate(AFTER)
    apps = executor.loader.project_state(AFTER).apps
    places = apps.get_model("supplies", "SleepingPlace").objects
    assignments = apps.get_model("supplies", "BedAssignment").objects
    assert sum(p.capacity for p in places.filter(station_id=onsong.pk)) == 50
    assert sum(p.capacity for p in places.filter(station_id=musan.pk)) == 30
    kept = assignments.filter(released_at__isnull=True)
    assert sorted(kept.values_list("person_id", flat=True)) == sorted(sleepers)
    assert set(kept.values_list("station_id", flat=True)) == {onsong.pk}

    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())
