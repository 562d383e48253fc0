"""Supplies demo data: the school buildings the stations were set up in (beds scaled with the
data set), beds for the people present on 8 November 1961 (households kept together; Onsong
overflows, as the cable says housing was the big problem), the Cabinet Office's blankets
received and the 11,000 blankets handed out (one per person, the most recent arrivals), a few
write-offs, and travel funds paid to everyone who reached placement.

Registered with people.extensions.register_demo_loader; everything is bulk inserted in
chain order, so the ledger triggers check each row with one index lookup.
"""

import datetime as dt
import random
import zoneinfo
from collections import defaultdict
from collections.abc import Iterator
from itertools import islice

from django.conf import settings
from django.db import connection, transaction

from people.demo import figures as F
from people.demo.figures import CABLE_DATE, after_cable_date
from people.models import Person
from people.states import PRESENT_AT_STATION, JourneyState
from stations.models import Station
from supplies.entitlements import period_key
from supplies.models import (
    BedAssignment,
    Entitlement,
    EntitlementIssue,
    Item,
    Movement,
    Period,
    SleepingPlace,
    StockLock,
)
from supplies.policy import ensure_policy
from waystation.rows import (
    adapt_rows,
    insert_rows,
    new_uuid_sql,
    next_id,
    reset_sequences,
    seeded_uuid,
)

BLANKETS_HANDED_OUT = 11_000
BATCH = 5_000
# Share of a station's beds in each building (the cable: stations at elementary schools).
BUILDINGS = (
    ("{name} People's School, main building", "school", 0.5),
    ("{name} People's School, annex", "school", 0.3),
    ("{name} Middle School hall", "building", 0.2),
)
# item code, per person present on the cable date (scaled), delivered on
OTHER_RECEIPTS = (
    ("winter-clothing", 1.2, dt.date(1961, 10, 25)),
    ("soap", 3.0, dt.date(1961, 10, 1)),
    ("food-ration", 20.0, dt.date(1961, 11, 1)),
    ("ration-coupon", 45.0, dt.date(1961, 11, 1)),
)


def _moment(day: dt.date, hour: int, tz: zoneinfo.ZoneInfo) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour, 0), tzinfo=tz)


def _beds_of(station: Station) -> int:
    """The beds the demo gives a station (the figures' table; another station: a hundred)."""
    return next((row[5] for row in F.STATIONS if row[0] == station.code), 100)


def _places(stations: list[Station], factor: float) -> dict[int, list[SleepingPlace]]:
    places = []
    for station in stations:
        beds = max(len(BUILDINGS), round(_beds_of(station) * factor))
        left = beds
        for index, (pattern, kind, share) in enumerate(BUILDINGS):
            still_to_come = len(BUILDINGS) - index - 1
            # every building keeps at least one bed, however small the demo
            capacity = (
                left
                if not still_to_come
                else max(1, min(round(beds * share), left - still_to_come))
            )
            left -= capacity
            places.append(
                SleepingPlace(
                    station=station,
                    name=pattern.format(name=station.name_en.split(" (")[0]),
                    kind=kind,
                    capacity=capacity,
                )
            )
    SleepingPlace.objects.bulk_create(places)
    by_station: dict[int, list[SleepingPlace]] = defaultdict(list)
    for place in places:
        by_station[place.station_id].append(place)
    return by_station


def _beds(places: dict[int, list[SleepingPlace]]) -> int:
    present = (
        Person.objects.filter(state__in=PRESENT_AT_STATION)
        .order_by("station_id", "household_id", "id")
        .values_list("id", "station_id", "household_id", "created_at")
    )
    free = {place.pk: place.capacity for plist in places.values() for place in plist}
    rows = []
    for person_id, station_id, household_id, created_at in present.iterator(chunk_size=BATCH):
        # A household goes where its first member went if there is room, else the roomiest.
        candidates = places.get(station_id, [])
        room = [p for p in candidates if free[p.pk] > 0]
        if not room:
            continue
        place = max(room, key=lambda p: free[p.pk])
        free[place.pk] -= 1
        rows.append(
            BedAssignment(
                person_id=person_id,
                place=place,
                station_id=station_id,
                household_id=household_id,
                assigned_at=created_at,
            )
        )
    BedAssignment.objects.bulk_create(rows, batch_size=BATCH)
    return len(rows)


def _chain(
    station_id: int, item: Item, entries: list[dict], seqs: dict[tuple[int, int], list[int]]
) -> Iterator[tuple]:
    """Movements of one (station, item) in time order, numbered and with running balances,
    as rows in MOVEMENT_COLUMNS order without the id."""
    seq, balance = seqs.get((station_id, item.pk), [0, 0])
    for entry in sorted(entries, key=lambda e: e["at"]):
        seq += 1
        balance += entry["quantity"]
        yield (station_id, item.pk, seq, entry["kind"], entry["quantity"], balance) + (
            entry.get("person_id"),
            entry.get("reason", ""),
            entry["at"],
        )
    seqs[(station_id, item.pk)] = [seq, balance]


def _blankets(
    stations: list[Station],
    factor: float,
    rng: random.Random,
    tz: zoneinfo.ZoneInfo,
    ids: random.Random,
) -> tuple[int, int]:
    blanket = Item.objects.get(code="blanket")
    lines = {e.category: e for e in Entitlement.objects.filter(code="blanket")}
    wanted = round(BLANKETS_HANDED_OUT * factor)
    persons = list(
        Person.objects.filter(created_at__lt=after_cable_date(tz))
        .order_by("-created_at", "-id")
        .values_list("id", "station_id", "category", "created_at")[:wanted]
    )
    by_station: dict[int, list[tuple]] = defaultdict(list)
    for row in persons:
        by_station[row[1]].append(row)
    category_of = {row[0]: row[2] for row in persons}
    issued = moved = 0
    seqs: dict[tuple[int, int], list[int]] = {}
    for station in stations:
        rows = by_station.get(station.pk, [])
        reserve = max(10, round(0.04 * len(rows)))
        spoiled = max(1, reserve // 4)
        first = min((row[3] for row in rows), default=_moment(CABLE_DATE, 9, tz))
        entries = [
            {
                "kind": Movement.Kind.RECEIPT,
                "quantity": len(rows) + reserve,
                "reason": "Cabinet Office: blankets for the reception stations",
                "at": first - dt.timedelta(days=2),
            },
            {
                "kind": Movement.Kind.WRITE_OFF,
                "quantity": -spoiled,
                "reason": "Soaked and mouldy after the autumn rains",
                "at": _moment(CABLE_DATE - dt.timedelta(days=3), 16, tz),
            },
        ]
        for person_id, _station, _category, created_at in rows:
            at = min(
                created_at + dt.timedelta(hours=rng.uniform(1, 30)), _moment(CABLE_DATE, 17, tz)
            )
            entries.append(
                {"kind": Movement.Kind.ISSUE, "quantity": -1, "person_id": person_id, "at": at}
            )
        written = _write_chain(
            _chain(station.pk, blanket, entries, seqs), lines, category_of, tz, ids
        )
        issued += written[0]
        moved += written[1]
    _other_receipts(stations, factor, tz, seqs, ids)
    StockLock.objects.bulk_create(
        [StockLock(station_id=s, item_id=i) for s, i in seqs], ignore_conflicts=True
    )
    return issued, moved


MOVEMENT_COLUMNS = ("id", "client_uuid", "station_id", "item_id", "seq", "kind", "quantity")
MOVEMENT_COLUMNS += ("balance_after", "person_id", "reason", "at")
ISSUE_COLUMNS = ("client_uuid", "person_id", "entitlement_id", "period_key", "station_id")
ISSUE_COLUMNS += ("movement_id", "quantity", "amount", "currency", "at")


def _insert(model: type, columns: tuple[str, ...], rows: list[tuple]) -> None:
    insert_rows(model._meta.db_table, columns, adapt_rows(rows, connection.vendor))


def _write_chain(
    chain: Iterator[tuple],
    lines: dict[str, Entitlement],
    category_of: dict[int, str],
    tz: zoneinfo.ZoneInfo,
    ids: random.Random,
) -> tuple[int, int]:
    """Insert a chain in batches with explicit ids (memory stays flat at a million persons),
    each issue with its entitlement row; the ledger trigger still checks every movement."""
    issued = moved = 0
    while batch := list(islice(chain, BATCH)):
        first_id = next_id(Movement._meta.db_table)
        movements, issues = [], []
        for movement_id, row in enumerate(batch, start=first_id):
            station_id, _item, _seq, kind, _quantity, _balance, person_id, _reason, at = row
            movements.append((movement_id, seeded_uuid(ids)) + row)
            if kind == Movement.Kind.ISSUE:
                line = lines[category_of[person_id]]
                key = period_key(Period.WINTER, at.astimezone(tz).date())
                issues.append(
                    (seeded_uuid(ids), person_id, line.pk, key, station_id, movement_id, 1)
                    + (None, "", at)
                )
        _insert(Movement, MOVEMENT_COLUMNS, movements)
        _insert(EntitlementIssue, ISSUE_COLUMNS, issues)
        issued += len(issues)
        moved += len(batch)
    return issued, moved


def _other_receipts(
    stations: list[Station],
    factor: float,
    tz: zoneinfo.ZoneInfo,
    seqs: dict,
    ids: random.Random,
) -> None:
    items = {item.code: item for item in Item.objects.all()}
    present = max(1, round(1_500 * factor))
    movements = []
    for station in stations:
        share = _beds_of(station) / max(1, sum(_beds_of(s) for s in stations))
        for code, per_person, day in OTHER_RECEIPTS:
            quantity = max(1, round(per_person * present * share))
            entries = [
                {
                    "kind": Movement.Kind.RECEIPT,
                    "quantity": quantity,
                    "reason": "Provincial People's Committee delivery",
                    "at": _moment(day, 10, tz),
                }
            ]
            movements.extend(_chain(station.pk, items[code], entries, seqs))
    _write_chain(iter(movements), {}, {}, tz, ids)


def _travel_funds() -> int:
    """Travel funds for everyone who reached placement, paid at their first placement: one
    INSERT ... SELECT, so a million-person demo moves no rows through Python."""
    sql = f"""
        INSERT INTO supplies_entitlementissue (client_uuid, person_id, entitlement_id,
            period_key, station_id, movement_id, quantity, amount, currency, at)
        SELECT {new_uuid_sql()}, p.id, e.id, 'once', p.station_id, NULL, 0, e.amount,
               e.currency, placed.first_at
          FROM (SELECT person_id, MIN(at) AS first_at FROM people_journeytransition
                 WHERE to_state = %s GROUP BY person_id) placed
          JOIN people_person p ON p.id = placed.person_id
          JOIN supplies_entitlement e ON e.code = 'travel-funds' AND e.category = p.category
    """
    with connection.cursor() as cursor:
        cursor.execute(sql, [JourneyState.PLACED])
        return cursor.rowcount


def load(seed: int, factor: float) -> dict[str, int]:
    tz = zoneinfo.ZoneInfo(settings.TIME_ZONE)
    rng = random.Random(seed + 50)
    stations = list(Station.objects.order_by("pk"))
    with transaction.atomic():
        ensure_policy()
        places = _places(stations, factor)
        beds = _beds(places)
        blankets, movements = _blankets(stations, factor, rng, tz, random.Random(seed + 51))
        funds = _travel_funds()
        reset_sequences([Movement, EntitlementIssue])
    return {
        "sleeping places": sum(len(p) for p in places.values()),
        "beds assigned": beds,
        "blankets handed out": blankets,
        "stock movements": movements + len(stations) * len(OTHER_RECEIPTS),
        "travel funds paid": funds,
    }
