"""Fast bulk writing: COPY on PostgreSQL, executemany on SQLite.

The ORM's bulk_create compiles SQL value by value, which is too slow for a million people
and their histories in the demo loader, and was a third of a registration's time in the
API; the rows here are plain tuples in the tables' column order.
"""

import datetime as dt
import json
import random
import uuid
from collections.abc import Callable, Sequence
from typing import Any

from django.db import connection


def _utc_text(value: dt.datetime) -> str:
    # The text form Django's SQLite backend stores: UTC, naive, space-separated.
    if value.tzinfo is dt.UTC:
        return value.isoformat(" ")[:-6]
    return value.astimezone(dt.UTC).replace(tzinfo=None).isoformat(" ")


def _json_text(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False)


def _adapter_for(value: Any, vendor: str) -> Callable[[Any], Any] | None:
    if isinstance(value, list | dict):
        return _json_text
    if vendor == "postgresql":
        return None
    if isinstance(value, uuid.UUID):
        return lambda v: v.hex
    if isinstance(value, dt.datetime):
        return _utc_text
    if isinstance(value, dt.date):
        return lambda v: v.isoformat() if v is not None else None
    return None


def _adapt_each(vendor: str) -> Callable[[Any], Any]:
    def adapt(value: Any) -> Any:
        adapter = _adapter_for(value, vendor)
        return value if adapter is None else adapter(value)

    return adapt


def adapt_rows(rows: list[Sequence[Any]], vendor: str) -> list[Sequence[Any]]:
    """Values as the database driver takes them; adapters are chosen per column from the
    first row's types. A column that starts with None is adapted value by value on SQLite
    (a datetime further down must still be stored in UTC), and left as it is on PostgreSQL,
    whose driver adapts dates itself."""
    if not rows:
        return rows
    adapters = [
        _adapter_for(value, vendor)
        if value is not None
        else (_adapt_each(vendor) if vendor == "sqlite" else None)
        for value in rows[0]
    ]
    if not any(adapters):
        return rows
    return [
        [
            value if adapt is None or value is None else adapt(value)
            for adapt, value in zip(adapters, row, strict=True)
        ]
        for row in rows
    ]


def _column_list(columns: Sequence[str]) -> str:
    return ", ".join(connection.ops.quote_name(column) for column in columns)


def insert_rows(table: str, columns: Sequence[str], rows: list[Sequence[Any]]) -> int:
    """Insert rows already passed through adapt_rows."""
    if not rows:
        return 0
    column_list = _column_list(columns)
    name = connection.ops.quote_name(table)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with cursor.cursor.copy(f"COPY {name} ({column_list}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
        else:
            placeholders = ", ".join(["%s"] * len(columns))
            cursor.executemany(f"INSERT INTO {name} ({column_list}) VALUES ({placeholders})", rows)
    return len(rows)


# A fresh random UUID per row inside INSERT ... SELECT, in the form Django stores it.
_NEW_UUID_SQL = {
    "sqlite": "lower(hex(randomblob(16)))",
    "postgresql": "gen_random_uuid()",
}


def new_uuid_sql() -> str:
    return _NEW_UUID_SQL[connection.vendor]


def seeded_uuid(rng: random.Random) -> uuid.UUID:
    """A version-4 UUID drawn from the demo's seeded generator: reproducible, and without the
    system call per row that uuid4 makes."""
    return uuid.UUID(int=rng.getrandbits(128), version=4)


def next_id(table: str) -> int:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT COALESCE(MAX(id), 0) + 1 FROM {connection.ops.quote_name(table)}")
        return int(cursor.fetchone()[0])


def reset_sequences(models: list) -> None:
    """After writing explicit ids, PostgreSQL's sequences must move past them."""
    from django.core.management.color import no_style

    statements = connection.ops.sequence_reset_sql(no_style(), models)
    with connection.cursor() as cursor:
        for statement in statements:
            cursor.execute(statement)


def _database_rows(model: Any, columns: Sequence[str], rows: list[Sequence[Any]]) -> list:
    """Rows of Python values as the driver takes them. Fields with their own preparation
    (encrypted text, say) are prepared as Django would prepare them."""
    fields = {field.attname: field for field in model._meta.concrete_fields}
    own = {
        index: fields[column]
        for index, column in enumerate(columns)
        if not type(fields[column]).__module__.startswith("django.")
    }
    if own:
        rows = [
            [
                own[index].get_db_prep_save(value, connection) if index in own else value
                for index, value in enumerate(row)
            ]
            for row in rows
        ]
    return adapt_rows(rows, connection.vendor)


def insert_model_rows(model: Any, columns: Sequence[str], rows: list[Sequence[Any]]) -> int:
    """Insert plain tuples of Python values (columns named by attname) into a model's table,
    without building a model object per row."""
    if not rows:
        return 0
    return insert_rows(model._meta.db_table, columns, _database_rows(model, columns, rows))


def _insert_columns(model: Any, instances: Sequence[Any]) -> list[str]:
    """The columns an insert of these objects writes (all but an automatic id), with
    auto_now_add fields stamped as save() would stamp them."""
    fields = [
        field
        for field in model._meta.concrete_fields
        if not (field.primary_key and field.get_internal_type().endswith("AutoField"))
    ]
    stamped = [field for field in fields if getattr(field, "auto_now_add", False)]
    for instance in instances:
        for field in stamped:
            field.pre_save(instance, add=True)
    return [field.attname for field in fields]


def _instance_rows(model: Any, instances: Sequence[Any]) -> tuple[list[str], list[list[Any]]]:
    """The insert's columns, and each object's values in them."""
    columns = _insert_columns(model, instances)
    return columns, [[getattr(instance, column) for column in columns] for instance in instances]


def insert_returning_ids(model: Any, instances: Sequence[Any]) -> None:
    """Insert unsaved model objects in one statement and give them the ids the database
    chose (RETURNING, which bulk_create relies on too), for rows that later rows refer to.
    A registration holds the database's write lock meanwhile, and bulk_create's per-value
    SQL compilation was the largest part of that time after the database's own work."""
    if not instances:
        return
    columns, values = _instance_rows(model, instances)
    rows = _database_rows(model, columns, values)
    column_list = _column_list(columns)
    one_row = "(" + ", ".join(["%s"] * len(columns)) + ")"
    sql = (
        f"INSERT INTO {connection.ops.quote_name(model._meta.db_table)} ({column_list}) "  # noqa: S608
        f"VALUES {', '.join([one_row] * len(rows))} RETURNING {model._meta.pk.column}"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [value for row in rows for value in row])
        ids = [row[0] for row in cursor.fetchall()]
    for instance, pk in zip(instances, ids, strict=True):
        instance.pk = pk
        instance._state.adding, instance._state.db = False, connection.alias


def insert_instances(model: Any, instances: Sequence[Any]) -> int:
    """Insert unsaved model objects like bulk_create, minus its per-value SQL compilation
    (most of bulk_create's time at demo sizes); the database numbers them. Objects come back
    without their ids, so this is for rows nothing refers to within the load."""
    if not instances:
        return 0
    return insert_model_rows(model, *_instance_rows(model, instances))


def refresh_statistics() -> None:
    """After a bulk load, every table's statistics for the query planner, and on PostgreSQL
    (outside a transaction) a VACUUM that marks the new pages all-visible.

    Autovacuum comes by eventually, but until it does PostgreSQL plans tens of tables of
    new rows as if empty: the situation report's travel passes took 1.2 s at a million
    persons (nested loops over 100,000 documents estimated at 4) and 0.25 s once analysed."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("ANALYZE" if connection.in_atomic_block else "VACUUM (ANALYZE)")
        elif connection.vendor == "sqlite":
            cursor.execute("ANALYZE")
