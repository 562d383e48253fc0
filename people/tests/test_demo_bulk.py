"""The demo loader's bulk write sets indexes aside and builds them again, and the rows other
apps derive in its workers are the rows they would write themselves."""

import pytest
from django.db import connection

from people.demo.bulk import indexes_built_afterwards, secondary_indexes
from people.demo.loader import LOADED_MODELS, load_demo
from people.models import Person

TABLES = [model._meta.db_table for model in LOADED_MODELS]


def index_names(tables: list[str]) -> set[str]:
    # Names, not statements: PostgreSQL words a rebuilt partial index's condition anew.
    return {name for name, _create in secondary_indexes(tables)}


@pytest.mark.django_db
def test_the_demo_load_leaves_every_index_it_set_aside() -> None:
    tables = TABLES + ["identity_blockingkey", "identity_personkeys"]
    before = index_names(tables)
    assert {"person_name_value", "transition_person_time", "blocking_key_person"} <= before

    load_demo(400, seed=3)

    assert index_names(tables) == before
    assert Person.objects.count() == 400


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
