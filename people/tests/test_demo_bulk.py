"""The demo loader's bulk write sets indexes aside and builds them again, and the rows other
apps derive in its workers are the rows they would write themselves."""

import os
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.db import IntegrityError, connection, transaction

from people.demo.bulk import (
    app_tables,
    foreign_keys,
    foreign_keys_checked_afterwards,
    indexes_built_afterwards,
    secondary_indexes,
)
from people.demo.loader import load_demo
from people.demo.pipeline import LOADED_MODELS
from people.models import Person, PersonName

TABLES = [model._meta.db_table for model in LOADED_MODELS]


def index_names(tables: list[str]) -> set[str]:
    # Names, not statements: PostgreSQL words a rebuilt partial index's condition anew.
    return {name for name, _create in secondary_indexes(tables)}


@pytest.mark.django_db
def test_the_demo_load_leaves_every_index_and_foreign_key_it_set_aside() -> None:
    tables = TABLES + ["identity_blockingkey", "identity_personkeys"]
    before = index_names(tables)
    assert {"person_name_value", "transition_person_time", "blocking_key_person"} <= before
    keys_before = foreign_keys(tables)

    load_demo(400, seed=3)

    assert index_names(tables) == before
    assert foreign_keys(tables) == keys_before
    assert Person.objects.count() == 400


@pytest.mark.django_db
def test_a_row_written_without_its_foreign_key_fails_when_the_key_comes_back() -> None:
    if connection.vendor != "postgresql":
        pytest.skip("only PostgreSQL's keys are set aside; SQLite runs foreign_key_check")
    before = foreign_keys(TABLES)
    assert any(
        table == "people_personname" and "REFERENCES people_person(id)" in definition
        for table, _name, definition in before
    )

    with (
        pytest.raises(IntegrityError),
        transaction.atomic(),
        foreign_keys_checked_afterwards(TABLES),
        connection.cursor() as cursor,
    ):
        assert foreign_keys(TABLES) == []
        cursor.execute(
            "INSERT INTO people_personname (person_id, form, value) "
            "VALUES (987654321, 'hangul', '안재수')"
        )

    assert foreign_keys(TABLES) == before
    assert not PersonName.objects.filter(person_id=987654321).exists()


@pytest.mark.django_db
def test_indexes_come_back_when_the_load_fails_half_way() -> None:
    before = index_names(TABLES)

    with pytest.raises(RuntimeError), indexes_built_afterwards(TABLES):
        assert index_names(TABLES) == set()
        raise RuntimeError("the disk filled up")

    assert index_names(TABLES) == before


@pytest.mark.django_db
def test_a_name_search_uses_the_rebuilt_index() -> None:
    load_demo(300, seed=5)
    if connection.vendor != "sqlite":
        pytest.skip("the plan's wording is SQLite's")
    with connection.cursor() as cursor:
        cursor.execute(
            "EXPLAIN QUERY PLAN SELECT person_id FROM people_personname WHERE value = %s", ["x"]
        )
        plan = " ".join(str(row) for row in cursor.fetchall())
    assert "person_name_value" in plan


def _manage(database: Path, *args: str) -> None:
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{database}", "DEBUG": "1", "SECRET_KEY": "t"}
    done = subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, f"manage.py {' '.join(args)} failed:\n{done.stderr[-4000:]}"


def _content(database: Path) -> dict[str, tuple]:
    queries = {
        "persons": "SELECT id, client_uuid, family_name_hangul, birth_date, state FROM people_person",
        "steps": "SELECT person_id, from_state, to_state, at FROM people_journeytransition",
        "keys": "SELECT person_id, key_hash FROM identity_blockingkey",
        "counts": "SELECT day, station_id, to_state, SUM(n) FROM reports_stepcount GROUP BY 1, 2, 3",
        "broken_links": "PRAGMA foreign_key_check",
    }
    with sqlite3.connect(database) as db:
        return {name: tuple(sorted(db.execute(sql).fetchall())) for name, sql in queries.items()}


def test_workers_that_write_their_own_chunks_give_the_same_data(tmp_path: Path) -> None:
    """On a SQLite file the forked workers write what they build, each in its turn."""
    alone, together = tmp_path / "alone.sqlite3", tmp_path / "workers.sqlite3"
    _manage(alone, "migrate", "-v0")
    shutil.copyfile(alone, together)
    _manage(alone, "load_demo", "--persons", "1500", "--workers", "0")
    _manage(together, "load_demo", "--persons", "1500", "--workers", "2")

    expected = _content(alone)
    assert len(expected["persons"]) == 1500
    assert len(expected["keys"]) > 20 * 1500
    assert expected["broken_links"] == ()
    assert _content(together) == expected


@pytest.mark.django_db
def test_apps_that_write_in_bulk_get_their_indexes_back() -> None:
    tables = app_tables("supplies") + app_tables("labour") + app_tables("documents")
    before = index_names(tables)
    assert {"entitlement_issue_station", "labour_one_active_placement"} <= before

    load_demo(400, seed=8)

    assert index_names(tables) == before
