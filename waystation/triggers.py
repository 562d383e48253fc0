"""Per-row counting triggers set aside while the demo registry is bulk written (SQLite).

SQLite's triggers count each inserted row with a lookup and an upsert; for the millions of
rows of a million-person demo, one grouped count afterwards is far cheaper. PostgreSQL's
triggers count a whole COPY statement at once, so they stay.
"""

from collections.abc import Iterator, Sequence
from contextlib import contextmanager

from django.db import connection

# (trigger set aside, the table it counts, the statement counting the rows after an id once)
Counted = Sequence[tuple[str, str, str]]


@contextmanager
def set_aside(counted: Counted) -> Iterator[None]:
    """Drop the triggers for the block; then count the rows written meanwhile in one
    statement each and restore the triggers, also when the block fails."""
    if connection.vendor != "sqlite":
        yield
        return
    restore = []
    with connection.cursor() as cursor:
        for trigger, table, recount in counted:
            cursor.execute(
                "SELECT sql FROM sqlite_master WHERE type = 'trigger' AND name = %s", [trigger]
            )
            found = cursor.fetchone()
            if found is None:  # migrated without the counting (never in practice)
                continue
            cursor.execute(f"SELECT COALESCE(MAX(id), 0) FROM {table}")  # noqa: S608
            restore.append((found[0], recount, cursor.fetchone()[0]))
            cursor.execute(f"DROP TRIGGER {trigger}")
    try:
        yield
    finally:
        # Inside a transaction being rolled back, the rollback brings the triggers back itself.
        if not connection.needs_rollback:
            with connection.cursor() as cursor:
                # Triggers that keep one table (its inserts, changes and deletions) share one
                # recount, run once.
                for recount, last_counted in dict.fromkeys((r, n) for _c, r, n in restore):
                    cursor.execute(recount, [last_counted])
                for create, _recount, _last_counted in restore:
                    cursor.execute(create)
