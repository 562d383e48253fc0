"""Step and crossing counting set aside while the demo registry is bulk written (SQLite).

SQLite's triggers count each inserted journey step and crossing with a lookup and an upsert;
for the ten million steps of a million-person demo, one grouped count afterwards is far cheaper.
PostgreSQL's trigger already counts a whole COPY statement at once, so it stays.
"""

from collections.abc import Iterator
from contextlib import contextmanager

from django.db import connection

# (trigger set aside, the table it counts in, the statement counting rows after an id once)
COUNTED = (
    (
        "reports_count_step",
        "people_journeytransition",
        """
    INSERT INTO reports_stepcount (day, station_id, from_state, to_state, slot, n)
    SELECT date(t.at), p.station_id, t.from_state, t.to_state, 0, count(*)
      FROM people_journeytransition t JOIN people_person p ON p.id = t.person_id
     WHERE t.id > %s
     GROUP BY 1, 2, 3, 4
    ON CONFLICT (day, station_id, from_state, to_state, slot) DO UPDATE SET n = n + excluded.n
""",
    ),
    (
        "reports_count_crossing",
        "people_crossing",
        """
    INSERT INTO reports_crossingcount (day, station_id, slot, n)
    SELECT date(crossed_at), station_id, 0, count(*)
      FROM people_crossing WHERE id > %s AND direction = 'in'
     GROUP BY 1, 2
    ON CONFLICT (day, station_id, slot) DO UPDATE SET n = n + excluded.n
""",
    ),
)


@contextmanager
def counted_once_afterwards() -> Iterator[None]:
    """Drop the per-row counting triggers for the block; then count the rows written
    meanwhile in one statement each and restore the triggers, also when the block fails."""
    if connection.vendor != "sqlite":
        yield
        return
    restore = []
    with connection.cursor() as cursor:
        for trigger, table, recount in COUNTED:
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
                for create, recount, last_counted in restore:
                    cursor.execute(recount, [last_counted])
                    cursor.execute(create)
