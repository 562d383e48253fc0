"""Upkeep of what the database keeps from the journey steps (reports.StepCount and
reports.Departure): their triggers set aside while the demo registry is bulk written
(waystation.triggers), so the ten million steps of a million-person demo are counted once
afterwards; and the merging of a past day's counters."""

import datetime as dt
from contextlib import AbstractContextManager

from django.db import connection, transaction

from waystation.triggers import set_aside

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
        "reports_note_departure",
        "people_journeytransition",
        """
    INSERT INTO reports_departure (step_id, person_id, station_id, birth_date, at, reason)
    SELECT t.id, t.person_id, p.station_id, p.birth_date, t.at, t.reason
      FROM people_journeytransition t JOIN people_person p ON p.id = t.person_id
     WHERE t.id > %s AND t.to_state = 'left_job'
""",
    ),
)


def counted_once_afterwards() -> AbstractContextManager[None]:
    return set_aside(COUNTED)


# PostgreSQL's triggers spread each day's counters over eight slots (reports.StepCount); the
# rows of days nobody writes to any more are merged into slot 0, so a report over two years
# reads an eighth of the rows (56,000 -> 7,000 for one station of the million-person demo).
MERGE_SLOTS = """
    WITH merged AS (
      DELETE FROM reports_stepcount WHERE day < %s AND slot <> 0
      RETURNING day, station_id, from_state, to_state, n
    )
    INSERT INTO reports_stepcount (day, station_id, from_state, to_state, slot, n)
    SELECT day, station_id, from_state, to_state, 0, sum(n) FROM merged
     GROUP BY 1, 2, 3, 4 ORDER BY 1, 2, 3, 4
    ON CONFLICT (day, station_id, from_state, to_state, slot)
    DO UPDATE SET n = reports_stepcount.n + EXCLUDED.n
"""


def merge_slots(before: dt.date) -> None:
    """Merge the slots of the days before ``before`` (SQLite counts in slot 0 only). A step
    counted meanwhile into a merged day waits for the merge and lands in a slot of its own."""
    if connection.vendor != "postgresql":
        return
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(MERGE_SLOTS, [before])
