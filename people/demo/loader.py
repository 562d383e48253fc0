"""Loads the demo data set: the six stations, demo logins and the population of the cable."""

import random
import uuid
import zoneinfo
from collections.abc import Callable

from django.conf import settings
from django.db import connection, transaction

from people.audit import AuditEntry
from people.demo import figures as F
from people.demo.generate import DemoHousehold, PopulationPlan
from people.demo.outcomes import assign_outcomes, build_history
from people.demo.users import create_demo_users
from people.demo.writer import insert_rows, next_id, reset_sequences
from people.models import Crossing, Household, JourneyTransition, Person, PersonName
from people.names import name_form_values
from stations.models import Station

CHUNK = 20_000

PERSON_COLUMNS = (
    "id",
    "client_uuid",
    "submission_hash",
    "family_name_hangul",
    "given_name_hangul",
    "family_name_hanzi",
    "given_name_hanzi",
    "family_name_latin",
    "given_name_latin",
    "sex",
    "birth_date",
    "birth_date_precision",
    "place_of_origin",
    "education_level",
    "education_years",
    "occupation",
    "languages",
    "category",
    "household_id",
    "station_id",
    "state",
    "state_changed_at",
    "registered_by_id",
    "created_at",
    "version",
)
HOUSEHOLD_COLUMNS = (
    "id",
    "client_uuid",
    "submission_hash",
    "station_id",
    "head_id",
    "registered_by_id",
    "created_at",
)
NAME_COLUMNS = ("person_id", "form", "value")
TRANSITION_COLUMNS = (
    "person_id",
    "from_state",
    "to_state",
    "by_id",
    "by_role",
    "at",
    "reason",
    "is_override",
)
CROSSING_COLUMNS = (
    "client_uuid",
    "submission_hash",
    "person_id",
    "station_id",
    "direction",
    "crossed_at",
    "note",
    "recorded_by_id",
    "created_at",
)


class DemoAlreadyLoaded(Exception):
    pass


def load_demo(persons: int, seed: int, progress: Callable[[int], None] = lambda n: None) -> dict:
    if Station.objects.exists():
        raise DemoAlreadyLoaded(
            "The database already holds stations; the demo loads only into an empty one."
        )
    tz = zoneinfo.ZoneInfo(settings.TIME_ZONE)
    with transaction.atomic():
        stations = _create_stations()
        users = create_demo_users(list(stations.values()), F.PROVINCE)
    _tune_for_bulk_load()
    plan = PopulationPlan(persons, seed, tz)
    households = list(plan.households())
    assign_outcomes(households, plan.factor, random.Random(seed + 2))
    writer = _RowWriter(stations, users, plan, random.Random(seed + 3))
    for start in range(0, len(households), CHUNK // 3):
        with transaction.atomic():
            written = writer.write(households[start : start + CHUNK // 3])
        progress(written)
    reset_sequences([Person, Household])
    AuditEntry.objects.create(
        action=AuditEntry.Action.CREATE,
        object_type="demo",
        reason=f"Loaded the demo data set: {persons} persons, seed {seed}",
        detail={"persons": persons, "seed": seed},
    )
    return {"persons": writer.persons_written, "households": len(households)}


def _tune_for_bulk_load() -> None:
    if connection.vendor == "sqlite":
        # A big page cache keeps the name and history indexes in memory while a million
        # people are written; the data is regenerable, so a crash mid-load loses nothing.
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA cache_size = -400000")
            cursor.execute("PRAGMA synchronous = OFF")


def _create_stations() -> dict[str, Station]:
    stations = {}
    for code, name_en, name_ko, name_zh, county, beds, _present, _share in F.STATIONS:
        stations[code] = Station.objects.create(
            code=code,
            name_en=name_en,
            name_ko=name_ko,
            name_zh=name_zh,
            county=county,
            province=F.PROVINCE,
            bed_capacity=beds,
        )
    return stations


class _RowWriter:
    def __init__(
        self, stations: dict[str, Station], users: dict, plan: PopulationPlan, rng: random.Random
    ) -> None:
        self.stations, self.users, self.plan, self.rng = stations, users, plan, rng
        self.next_person = next_id(Person._meta.db_table)
        self.next_household = next_id(Household._meta.db_table)
        self.persons_written = 0

        # (kind, station) -> (user id, role), looked up once per transition written.
        self.actors = {
            (kind, code): self._actor_of(kind, code)
            for code in stations
            for kind in ("registrar", "medical", "labour", "documents")
        }

    def _actor_of(self, kind: str, station_code: str) -> tuple[int, str]:
        user = (
            self.users[kind]
            if kind in ("labour", "documents")
            else self.users[f"{kind}-{station_code}"]
        )
        return user.pk, user.staff_profile.role

    def _uuid(self) -> uuid.UUID:
        return uuid.UUID(int=self.rng.getrandbits(128), version=4)

    def write(self, households: list[DemoHousehold]) -> int:
        rows: dict[str, list] = {
            "household": [],
            "person": [],
            "name": [],
            "transition": [],
            "crossing": [],
        }
        for household in households:
            self._household_rows(household, rows)
        insert_rows(Household._meta.db_table, HOUSEHOLD_COLUMNS, rows["household"])
        insert_rows(Person._meta.db_table, PERSON_COLUMNS, rows["person"])
        insert_rows(PersonName._meta.db_table, NAME_COLUMNS, rows["name"])
        insert_rows(JourneyTransition._meta.db_table, TRANSITION_COLUMNS, rows["transition"])
        insert_rows(Crossing._meta.db_table, CROSSING_COLUMNS, rows["crossing"])
        self.persons_written += len(rows["person"])
        return len(rows["person"])

    def _household_rows(self, household: DemoHousehold, rows: dict[str, list]) -> None:
        station = self.stations[household.station_code]
        registrar_id = self.actors["registrar", station.code][0]
        actors, code = self.actors, station.code
        household_id, head_id = self.next_household, self.next_person
        self.next_household += 1
        rows["household"].append(
            (household_id, self._uuid(), "", station.pk, head_id, registrar_id, household.arrival)
        )
        for member in household.members:
            person_id = self.next_person
            self.next_person += 1
            history = build_history(household, member, self.plan.cutoff, self.rng)
            first_seen = history.steps[0][2]
            name = member.name
            rows["person"].append(
                (
                    person_id,
                    self._uuid(),
                    "",
                    name.family_hangul,
                    name.given_hangul,
                    name.family_hanzi,
                    name.given_hanzi,
                    name.family_latin,
                    name.given_latin,
                    member.sex,
                    member.birth_date,
                    member.birth_precision,
                    member.origin,
                    member.education_level,
                    member.education_years,
                    member.occupation,
                    ["ko", "zh"] if member.age >= 7 else ["ko"],
                    member.category,
                    household_id,
                    station.pk,
                    history.state,
                    history.last_at,
                    registrar_id,
                    first_seen,
                    1,
                )
            )
            forms = name_form_values(
                name.family_hangul,
                name.given_hangul,
                name.family_hanzi,
                name.given_hanzi,
                name.family_latin,
                name.given_latin,
            )
            rows["name"].extend((person_id, form, value) for form, value in forms.items())
            rows["transition"].extend(
                (person_id, source, target, *actors[kind, code], at, reason, False)
                for source, target, at, kind, reason in history.steps
            )
            for direction, at, note in history.crossings:
                rows["crossing"].append(
                    (self._uuid(), "", person_id, station.pk, direction, at, note, registrar_id, at)
                )
