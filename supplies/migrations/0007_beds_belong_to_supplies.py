"""Supplies owns the beds (issue 16): before the station's bed_capacity and the quarantine
stays' bed numbers are dropped (stations 0002, health 0003), what they held is kept here.

- A station with no sleeping place gets one holding its recorded bed capacity.
- A station whose places hold fewer beds than its recorded capacity gets the difference as
  one more place, so no bed that was counted disappears.
- A person in an open quarantine stay with a bed number and no bed here gets a bed in the
  station's place with the most room (beds are counted, not numbered, here).
"""

from django.db import migrations
from django.db.models import Sum

PLACE_NAME = "Station beds (recorded before supplies kept them)"


def keep_beds(apps, schema_editor) -> None:  # noqa: ANN001
    Station = apps.get_model("stations", "Station")
    SleepingPlace = apps.get_model("supplies", "SleepingPlace")
    BedAssignment = apps.get_model("supplies", "BedAssignment")
    QuarantineStay = apps.get_model("health", "QuarantineStay")
    for station in Station.objects.all():
        recorded = station.bed_capacity or 0
        places = SleepingPlace.objects.filter(station=station, is_active=True)
        held = places.aggregate(n=Sum("capacity"))["n"] or 0
        if recorded > held:
            SleepingPlace.objects.create(
                station=station, name=PLACE_NAME, kind="building", capacity=recorded - held
            )
    stays = (
        QuarantineStay.objects.filter(status="open", bed__isnull=False)
        .exclude(person_id__in=BedAssignment.objects.filter(released_at__isnull=True).values(
            "person_id"
        ))
        .order_by("station_id", "household_id", "id")
    )
    for stay in stays.iterator():
        loads = {
            place.pk: place.capacity
            - BedAssignment.objects.filter(place=place, released_at__isnull=True).count()
            for place in SleepingPlace.objects.filter(station_id=stay.station_id, is_active=True)
        }
        if not loads:
            continue
        place_id = max(loads, key=lambda pk: (loads[pk], -pk))
        BedAssignment.objects.create(
            person_id=stay.person_id,
            place_id=place_id,
            station_id=stay.station_id,
            household_id=stay.household_id,
            assigned_at=_start(stay),
        )


def _start(stay):  # noqa: ANN001, ANN202
    import datetime as dt

    from django.conf import settings
    from zoneinfo import ZoneInfo

    return dt.datetime.combine(stay.started_on, dt.time(12), tzinfo=ZoneInfo(settings.TIME_ZONE))


class Migration(migrations.Migration):
    dependencies = [
        ("supplies", "0006_entitlement_override"),
        ("stations", "0001_initial"),
        ("health", "0002_seed_policy_diseases_vaccines"),
    ]

    operations = [migrations.RunPython(keep_beds, migrations.RunPython.noop)]
