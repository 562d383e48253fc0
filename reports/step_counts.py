"""Step counting set aside while the demo registry is bulk written (SQLite).

SQLite's trigger counts each inserted journey step with a lookup and an upsert; for the ten
million steps of a million-person demo, one grouped count afterwards is far cheaper.
PostgreSQL's trigger already counts a whole COPY statement at once, so it stays.
"""

from collections.abc import Iterator
from contextlib import contextmanager

from django.db import connection

COUNT_TRIGGER = "reports_count_step"
COUNT_STEPS_AFTER = """
    INSERT INTO reports_stepcount (day, station_id, from_state, to_state, slot, n)
    SELECT date(t.at), p.station_id, t.from_state, t.to_state, 0, count(*)
      FROM people_journeytransition t JOIN people_person p ON p.id = t.person_id
     WHERE t.id > %s
     GROUP BY 1, 2, 3, 4
    ON CONFLICT (day, station_id, from_state, to_state, slot) DO UPDATE SET n = n + excluded.n
"""


@contextmanager
def counted_once_afterwards() -> Iterator[None]:
    """Drop the per-step trigger for the block; then count the steps written meanwhile in
    one statement and restore the trigger, also when the block fails."""
    if connection.vendor != "sqlite":
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT sql FROM sqlite_master WHERE type = 'trigger' AND name = %s", [COUNT_TRIGGER]
        )
        found = cursor.fetchone()
        if found is None:  # migrated without the counting (never in practice): nothing to do
            yield
            return
        cursor.execute("SELECT COALESCE(MAX(id), 0) FROM people_journeytransition")
        last_counted = cursor.fetchone()[0]
        cursor.execute(f"DROP TRIGGER {COUNT_TRIGGER}")
    try:
        yield
    finally:
        # Inside a transaction being rolled back, the rollback brings the trigger back itself.
        if not connection.needs_rollback:
            with connection.cursor() as cursor:
                cursor.execute(COUNT_STEPS_AFTER, [last_counted])
                cursor.execute(found[0])
