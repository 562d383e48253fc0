"""Building and writing the demo's chunks of rows, in this process or in forked workers.

On a SQLite file each worker builds a chunk and writes it itself, waiting for the writer
lock like any other writer (waystation.sqlite_backend): nothing is pickled back, and the
parent, which otherwise spent more time unpickling and inserting than a worker spent
building, has nothing to do. A PostgreSQL connection cannot be used across a fork, so there
the workers build and this process writes through COPY, which is cheap for the client.
"""

from collections.abc import Iterator

from django.db import connection, transaction

from people.demo.columns import COLUMNS
from people.demo.rows import Chunk, ChunkRows, RowContext, build_chunk
from people.extensions import demo_row_builders
from people.models import Crossing, Household, JourneyTransition, Person, PersonName
from waystation.bulk import fork_pool
from waystation.rows import insert_rows

TABLE_MODELS = {
    "household": Household,
    "person": Person,
    "name": PersonName,
    "transition": JourneyTransition,
    "crossing": Crossing,
}
LOADED_MODELS = tuple(TABLE_MODELS.values())


def derived_tables() -> list[str]:
    """The tables other apps' row builders write (a builder names them for no persons)."""
    return [table for builder in demo_row_builders() for table in builder([])]


def write_chunk(rows: ChunkRows) -> int:
    with transaction.atomic():
        people = dict(rows.people)
        heads = _heads_set_afterwards(people) if _foreign_keys_checked_per_row() else []
        for table, model in TABLE_MODELS.items():
            insert_rows(model._meta.db_table, COLUMNS[table], people[table])
        _set_heads(heads)
        for table, (columns, table_rows) in rows.derived.items():
            insert_rows(table, columns, table_rows)
    return rows.persons


def _foreign_keys_checked_per_row() -> bool:
    """Whether SQLite checks foreign keys as rows are written. The loader switches them off,
    but SQLite ignores that inside a transaction (a load in a test, or in a caller's atomic
    block), so there they stay on while the loader's indexes are dropped."""
    if connection.vendor != "sqlite":
        return False
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA foreign_keys")
        return bool(cursor.fetchone()[0])


_HOUSEHOLD_ID = COLUMNS["household"].index("id")
_HOUSEHOLD_HEAD = COLUMNS["household"].index("head_id")


def _heads_set_afterwards(people: dict[str, list]) -> list[tuple[int, int]]:
    """Households written without their heads, who do not exist yet. A household naming a
    head not yet written is a pending foreign-key violation, and while one is pending SQLite
    searches every table that refers to persons (unindexed during the load) for each person
    written: the 20,000-person demo took minutes instead of seconds."""
    households = people["household"]
    heads = [(row[_HOUSEHOLD_HEAD], row[_HOUSEHOLD_ID]) for row in households]
    people["household"] = [
        (*row[:_HOUSEHOLD_HEAD], None, *row[_HOUSEHOLD_HEAD + 1 :]) for row in households
    ]
    return [(head, household) for head, household in heads if head is not None]


def _set_heads(heads: list[tuple[int, int]]) -> None:
    if not heads:
        return
    table = connection.ops.quote_name(Household._meta.db_table)
    with connection.cursor() as cursor:
        cursor.executemany(f"UPDATE {table} SET head_id = %s WHERE id = %s", heads)


_context: RowContext | None = None
# The parent's SQLite handle, kept referenced in a worker so that it is never closed there
# (closing it would run SQLite's clean-up against the parent's open database).
_inherited_handles: list[object] = []


def _build_in_worker(chunk: Chunk) -> ChunkRows:
    return build_chunk(chunk, _context)


def _open_own_connection() -> None:
    """A forked worker leaves the parent's SQLite handle and writer-lock file alone (a lock
    on a shared file description would not exclude the parent) and opens its own."""
    _inherited_handles.append(connection.connection)
    connection.connection = None
    connection._writer_file = None
    with connection.cursor() as cursor:
        # As the parent's connection has them for the load: foreign keys are checked once
        # at the end, and the data is regenerable, so no fsync per chunk.
        cursor.execute("PRAGMA foreign_keys = OFF")
        cursor.execute("PRAGMA synchronous = OFF")
        cursor.execute("PRAGMA cache_size = -200000")


def _build_and_write_in_worker(chunk: Chunk) -> int:
    return write_chunk(build_chunk(chunk, _context))


def written_chunks(chunks: list[Chunk], context: RowContext, processes: int) -> Iterator[int]:
    """Build and write every chunk; yields the persons of each chunk as it is written."""
    if processes <= 0:
        for chunk in chunks:
            yield write_chunk(build_chunk(chunk, context))
        return
    global _context
    _context = context  # inherited by the forked workers
    workers_write = connection.vendor == "sqlite" and not connection.is_in_memory_db()
    if workers_write:
        with fork_pool(processes, initializer=_open_own_connection) as pool:
            yield from pool.imap_unordered(_build_and_write_in_worker, chunks)
        return
    with fork_pool(processes) as pool:
        for rows in pool.imap(_build_in_worker, chunks):
            yield write_chunk(rows)
