"""Loads the demo data set: the six stations, demo logins and the population of the cable."""

import os
import random
import time
import zoneinfo
from collections.abc import Callable

from django.conf import settings
from django.db import connection, transaction

from people.audit import AuditEntry
from people.demo import figures as F
from people.demo.bulk import (
    app_tables,
    foreign_keys_checked_afterwards,
    guarded,
    indexes_built_afterwards,
    set_aside_while_loading,
)
from people.demo.generate import PopulationPlan
from people.demo.outcomes import assign_outcomes
from people.demo.pipeline import LOADED_MODELS, derived_tables, written_chunks
from people.demo.resident_ids import give_resident_ids
from people.demo.rows import RowContext, chunked
from people.demo.users import create_demo_users
from people.extensions import bulk_load_guards, demo_loaders, writes_in_bulk
from people.models import Household, Person
from stations.models import Station
from waystation.rows import next_id, refresh_statistics, reset_sequences

CHUNK_HOUSEHOLDS = 6_000
PARALLEL_FROM = 100_000  # below this, forking workers costs more than it saves


class DemoAlreadyLoaded(Exception):
    pass


def load_demo(
    persons: int,
    seed: int,
    progress: Callable[[int], None] = lambda n: None,
    on_loader: Callable[[str, float, float, dict], None] = lambda app, wall, cpu, counts: None,
    workers: int | None = None,
) -> dict:
    if Station.objects.exists():
        raise DemoAlreadyLoaded(
            "The database already holds stations; the demo loads only into an empty one."
        )
    tz = zoneinfo.ZoneInfo(settings.TIME_ZONE)
    with transaction.atomic():
        stations = _create_stations()
        users = create_demo_users(list(stations.values()), F.PROVINCE)
    _tune_for_bulk_load()
    started, cpu_started = time.perf_counter(), _cpu_seconds()
    plan = PopulationPlan(persons, seed, tz)
    households = list(plan.households())
    assign_outcomes(households, plan.factor, random.Random(seed + 2))
    resident_ids = give_resident_ids(households, seed)
    context = RowContext(
        station_ids={code: station.pk for code, station in stations.items()},
        actors=_actors(stations, users),
        cutoff=plan.cutoff,
        seed=seed,
        vendor=connection.vendor,
    )
    chunks = chunked(
        households,
        CHUNK_HOUSEHOLDS,
        next_id(Household._meta.db_table),
        next_id(Person._meta.db_table),
    )
    if workers is None:
        workers = 0 if persons < PARALLEL_FROM else max(1, (os.cpu_count() or 2))
    written = 0
    tables = [model._meta.db_table for model in LOADED_MODELS] + derived_tables()
    # The rows are generated consistent; foreign keys are checked once at the end instead of
    # on each of millions of inserts (Django's loaddata does the same), and the secondary
    # indexes are built once from all rows.
    with (
        connection.constraint_checks_disabled(),
        guarded(bulk_load_guards()),
        set_aside_while_loading(tables),
    ):
        for persons_written in written_chunks(chunks, context, workers):
            written += persons_written
            progress(persons_written)
        # Before the indexes are built: PostgreSQL builds none on a table with foreign-key
        # checks still pending in the transaction.
        connection.check_constraints(table_names=tables)
    reset_sequences([Person, Household])
    on_loader("people", time.perf_counter() - started, _cpu_seconds() - cpu_started, {})
    extra = {}
    for loader in demo_loaders():
        app = loader.__module__.split(".")[0]
        started, cpu_started = time.perf_counter(), _cpu_seconds()
        tables = app_tables(app)
        # Every loader's foreign keys are checked once at its end; the indexes are set aside
        # only for loaders that never look up what they wrote.
        with (
            foreign_keys_checked_afterwards(tables),
            indexes_built_afterwards(tables if writes_in_bulk(loader) else []),
        ):
            counts = loader(seed, plan.factor)
        extra.update(counts)
        on_loader(
            app,
            time.perf_counter() - started,
            _cpu_seconds() - cpu_started,
            counts,
        )
    refresh_statistics()
    AuditEntry.objects.create(
        action=AuditEntry.Action.CREATE,
        object_type="demo",
        reason=f"Loaded the demo data set: {persons} persons, seed {seed}",
        detail={"persons": persons, "seed": seed},
    )
    return {
        "persons": written,
        "households": len(households),
        "resident ID numbers": resident_ids,
        **extra,
    }


def _cpu_seconds() -> float:
    """This process's processor time and its finished workers': on a busy machine the wall
    clock says more about the neighbours than about the loader."""
    times = os.times()
    return times.user + times.system + times.children_user + times.children_system


def _tune_for_bulk_load() -> None:
    if connection.vendor == "sqlite" and not connection.in_atomic_block:
        # A big page cache keeps the name and history indexes in memory while a million
        # people are written; the data is regenerable, so a crash mid-load loses nothing.
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA cache_size = -400000")
            cursor.execute("PRAGMA synchronous = OFF")


def _create_stations() -> dict[str, Station]:
    stations = {}
    # The beds of each station (F.STATIONS) are the supplies demo's sleeping places.
    for code, name_en, name_ko, name_zh, county, _beds, _present, _share in F.STATIONS:
        stations[code] = Station.objects.create(
            code=code,
            name_en=name_en,
            name_ko=name_ko,
            name_zh=name_zh,
            county=county,
            province=F.PROVINCE,
        )
    return stations


def _actors(stations: dict[str, Station], users: dict) -> dict[tuple[str, str], tuple[int, str]]:
    """(kind, station code) -> (user id, role) of the demo user who takes such steps there."""
    actors = {}
    for code in stations:
        for kind in ("registrar", "medical", "labour", "documents"):
            user = users[kind] if kind in ("labour", "documents") else users[f"{kind}-{code}"]
            actors[kind, code] = (user.pk, user.staff_profile.role)
    return actors
