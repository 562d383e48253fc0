"""Building and writing the demo's chunks of rows, in this process or in forked workers.

On a SQLite file each worker builds a chunk and writes it itself, waiting for the writer
lock like any other writer (waystation.sqlite_backend): nothing is pickled back, and the
parent, which otherwise spent more time unpickling and inserting than a worker spent
building, has nothing to do. A PostgreSQL connection cannot be used across a fork, so there
the workers build and this process writes through COPY, which is cheap for the client.
"""

import multiprocessing
from collections.abc import Iterator

from django.db import connection, transaction

from people.demo.columns import COLUMNS
from people.demo.rows import Chunk, ChunkRows, RowContext, build_chunk
from people.extensions import demo_row_builders
from people.models import Crossing, Household, JourneyTransition, Person, PersonName
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
        for table, model in TABLE_MODELS.items():
            insert_rows(model._meta.db_table, COLUMNS[table], rows.people[table])
        for table, (columns, table_rows) in rows.derived.items():
            insert_rows(table, columns, table_rows)
    return rows.persons


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
    fork = multiprocessing.get_context("fork")
    if workers_write:
        with fork.Pool(processes, initializer=_open_own_connection) as pool:
            yield from pool.imap_unordered(_build_and_write_in_worker, chunks)
        return
    with fork.Pool(processes) as pool:
        for rows in pool.imap(_build_in_worker, chunks):
            yield write_chunk(rows)
