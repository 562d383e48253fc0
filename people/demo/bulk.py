"""Secondary indexes and foreign keys set aside while the demo registry is bulk written.

Updating half a dozen indexes on each of tens of millions of inserted rows (random UUIDs,
names, times) costs several times more than building each index once from all the rows
afterwards, on SQLite and PostgreSQL alike. Indexes that back a constraint (primary keys,
unique constraints) stay, so the constraints hold during the load too.

PostgreSQL checks a foreign key with a trigger per inserted row, run at each commit: for
the tens of millions of rows of a million-person demo that was most of the server's work.
Adding the key again afterwards checks every row in one join, as pg_restore does. (SQLite's
loader switches its checks off and runs one foreign_key_check at the end instead.)
"""

from collections.abc import Iterator, Sequence
from contextlib import ExitStack, contextmanager

from django.apps import apps
from django.db import connection

SQLITE_INDEXES = """
    SELECT name, sql FROM sqlite_master
     WHERE type = 'index' AND sql IS NOT NULL AND tbl_name IN ({tables})
     ORDER BY name
"""
# Unique indexes made by UniqueConstraint(condition=...) are plain CREATE UNIQUE INDEX
# statements with no pg_constraint row: rebuilding them checks uniqueness again, so
# setting them aside loses nothing.
POSTGRESQL_INDEXES = """
    SELECT index_class.relname, pg_get_indexdef(ix.indexrelid)
      FROM pg_index ix
      JOIN pg_class index_class ON index_class.oid = ix.indexrelid
      JOIN pg_class table_class ON table_class.oid = ix.indrelid
     WHERE table_class.relname = ANY(%s)
       AND table_class.relnamespace = to_regnamespace(current_schema())
       AND NOT EXISTS (
           SELECT 1 FROM pg_constraint c
            WHERE c.conindid = ix.indexrelid AND c.contype IN ('p', 'u', 'x')
       )
     ORDER BY index_class.relname
"""


def secondary_indexes(tables: Sequence[str]) -> list[tuple[str, str]]:
    """(name, CREATE statement) of each index of the tables that no constraint needs."""
    if not tables:
        return []
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(POSTGRESQL_INDEXES, [list(tables)])
        elif connection.vendor == "sqlite":
            placeholders = ", ".join(["%s"] * len(tables))
            cursor.execute(SQLITE_INDEXES.format(tables=placeholders), list(tables))
        else:
            return []
        return [(name, sql) for name, sql in cursor.fetchall()]


@contextmanager
def _dropped_for_the_block(drops: list[str], restores: list[str]) -> Iterator[None]:
    """Run the drops, and the restores at the block's end, also when it fails, so the
    database never stays without what was dropped. Inside a transaction that is being
    rolled back, the rollback restores it itself (DDL is transactional on both databases)."""
    with connection.cursor() as cursor:
        for statement in drops:
            cursor.execute(statement)
    try:
        yield
    finally:
        if restores and not connection.needs_rollback:
            if connection.vendor == "postgresql" and connection.in_atomic_block:
                # PostgreSQL neither builds an index on nor alters a table whose deferred
                # foreign-key checks are still pending in the transaction: run them now.
                connection.check_constraints()
            with connection.cursor() as cursor:
                for statement in restores:
                    cursor.execute(statement)


@contextmanager
def indexes_built_afterwards(tables: Sequence[str]) -> Iterator[list[tuple[str, str]]]:
    """Drop the tables' secondary indexes for the block and create them again at its end."""
    indexes = secondary_indexes(tables)
    drops = [f"DROP INDEX {connection.ops.quote_name(name)}" for name, _create in indexes]
    with _dropped_for_the_block(drops, [create for _name, create in indexes]):
        yield indexes


POSTGRESQL_FOREIGN_KEYS = """
    SELECT table_class.relname, c.conname, pg_get_constraintdef(c.oid)
      FROM pg_constraint c
      JOIN pg_class table_class ON table_class.oid = c.conrelid
     WHERE c.contype = 'f'
       AND table_class.relname = ANY(%s)
       AND table_class.relnamespace = to_regnamespace(current_schema())
     ORDER BY table_class.relname, c.conname
"""


def foreign_keys(tables: Sequence[str]) -> list[tuple[str, str, str]]:
    """(table, name, definition) of each foreign key of the tables, on PostgreSQL."""
    if not tables or connection.vendor != "postgresql":
        return []
    with connection.cursor() as cursor:
        cursor.execute(POSTGRESQL_FOREIGN_KEYS, [list(tables)])
        return [(table, name, definition) for table, name, definition in cursor.fetchall()]


@contextmanager
def foreign_keys_checked_afterwards(tables: Sequence[str]) -> Iterator[None]:
    """Drop the tables' foreign keys for the block (PostgreSQL) and add them again at its
    end: adding one checks every row written meanwhile, and a row that breaks it fails the
    load with an IntegrityError as the triggers would have."""
    keys = foreign_keys(tables)
    quote = connection.ops.quote_name
    drops = [f"ALTER TABLE {quote(table)} DROP CONSTRAINT {quote(name)}" for table, name, _ in keys]
    restores = [
        f"ALTER TABLE {quote(table)} ADD CONSTRAINT {quote(name)} {definition}"
        for table, name, definition in keys
    ]
    with _dropped_for_the_block(drops, restores):
        yield


@contextmanager
def set_aside_while_loading(tables: Sequence[str]) -> Iterator[None]:
    """The tables' secondary indexes and foreign keys, rebuilt and checked at the end."""
    with foreign_keys_checked_afterwards(tables), indexes_built_afterwards(tables):
        yield


@contextmanager
def guarded(guards: Sequence) -> Iterator[None]:
    """Enter every registered bulk-load guard around the block, leave them in reverse."""
    with ExitStack() as stack:
        for guard in guards:
            stack.enter_context(guard())
        yield


def app_tables(label: str) -> list[str]:
    return [model._meta.db_table for model in apps.get_app_config(label).get_models()]
