"""The database keeps reports_stepcount in step with the journey: a trigger counts every
inserted step under the person's station and UTC day, and another moves a person's counts
when their station changes. Existing steps are counted once here.

Two indexes serve the parts of the report the counts cannot: the steps of the last partial
day (by time) and the departures from jobs (their reasons and the leavers' ages)."""

from django.db import migrations

SQLITE_FORWARD = [
    """
    CREATE TRIGGER reports_count_step AFTER INSERT ON people_journeytransition
    BEGIN
      INSERT INTO reports_stepcount (day, station_id, from_state, to_state, slot, n)
      SELECT date(NEW.at), station_id, NEW.from_state, NEW.to_state, 0, 1
        FROM people_person WHERE id = NEW.person_id
      ON CONFLICT (day, station_id, from_state, to_state, slot) DO UPDATE SET n = n + 1;
    END
    """,
    """
    CREATE TRIGGER reports_move_steps AFTER UPDATE OF station_id ON people_person
    WHEN OLD.station_id IS NOT NEW.station_id
    BEGIN
      INSERT INTO reports_stepcount (day, station_id, from_state, to_state, slot, n)
      SELECT date(at), NEW.station_id, from_state, to_state, 0, count(*)
        FROM people_journeytransition WHERE person_id = NEW.id GROUP BY 1, 3, 4
      ON CONFLICT (day, station_id, from_state, to_state, slot) DO UPDATE SET n = n + excluded.n;
      INSERT INTO reports_stepcount (day, station_id, from_state, to_state, slot, n)
      SELECT date(at), OLD.station_id, from_state, to_state, 0, -count(*)
        FROM people_journeytransition WHERE person_id = NEW.id GROUP BY 1, 3, 4
      ON CONFLICT (day, station_id, from_state, to_state, slot) DO UPDATE SET n = n + excluded.n;
    END
    """,
    """
    INSERT INTO reports_stepcount (day, station_id, from_state, to_state, slot, n)
    SELECT date(t.at), p.station_id, t.from_state, t.to_state, 0, count(*)
      FROM people_journeytransition t JOIN people_person p ON p.id = t.person_id
     GROUP BY 1, 2, 3, 4
    """,
]
SQLITE_BACKWARD = [
    "DROP TRIGGER IF EXISTS reports_count_step",
    "DROP TRIGGER IF EXISTS reports_move_steps",
    "DELETE FROM reports_stepcount",
]

# One grouped upsert per statement (a COPY of a million steps included), in key order so
# concurrent statements lock counters in the same order; the slot comes from the transaction
# id, so concurrent registrations at one station mostly update different rows.
POSTGRES_FORWARD = [
    """
    CREATE OR REPLACE FUNCTION reports_count_steps() RETURNS trigger AS $$
    BEGIN
      INSERT INTO reports_stepcount (day, station_id, from_state, to_state, slot, n)
      SELECT (s.at AT TIME ZONE 'UTC')::date, p.station_id, s.from_state, s.to_state,
             mod(txid_current(), 8)::smallint, count(*)
        FROM reports_new_steps s JOIN people_person p ON p.id = s.person_id
       GROUP BY 1, 2, 3, 4 ORDER BY 1, 2, 3, 4
      ON CONFLICT (day, station_id, from_state, to_state, slot)
      DO UPDATE SET n = reports_stepcount.n + EXCLUDED.n;
      RETURN NULL;
    END
    $$ LANGUAGE plpgsql
    """,
    """
    CREATE TRIGGER reports_count_steps AFTER INSERT ON people_journeytransition
    REFERENCING NEW TABLE AS reports_new_steps
    FOR EACH STATEMENT EXECUTE FUNCTION reports_count_steps()
    """,
    """
    CREATE OR REPLACE FUNCTION reports_move_steps() RETURNS trigger AS $$
    BEGIN
      INSERT INTO reports_stepcount (day, station_id, from_state, to_state, slot, n)
      SELECT day, station_id, from_state, to_state, mod(txid_current(), 8)::smallint, sum(n)
        FROM (
          SELECT (at AT TIME ZONE 'UTC')::date AS day, NEW.station_id AS station_id,
                 from_state, to_state, 1 AS n
            FROM people_journeytransition WHERE person_id = NEW.id
          UNION ALL
          SELECT (at AT TIME ZONE 'UTC')::date, OLD.station_id, from_state, to_state, -1
            FROM people_journeytransition WHERE person_id = NEW.id
        ) moved
       GROUP BY 1, 2, 3, 4 ORDER BY 1, 2, 3, 4
      ON CONFLICT (day, station_id, from_state, to_state, slot)
      DO UPDATE SET n = reports_stepcount.n + EXCLUDED.n;
      RETURN NULL;
    END
    $$ LANGUAGE plpgsql
    """,
    """
    CREATE TRIGGER reports_move_steps AFTER UPDATE OF station_id ON people_person
    FOR EACH ROW WHEN (OLD.station_id IS DISTINCT FROM NEW.station_id)
    EXECUTE FUNCTION reports_move_steps()
    """,
    """
    INSERT INTO reports_stepcount (day, station_id, from_state, to_state, slot, n)
    SELECT (t.at AT TIME ZONE 'UTC')::date, p.station_id, t.from_state, t.to_state, 0, count(*)
      FROM people_journeytransition t JOIN people_person p ON p.id = t.person_id
     GROUP BY 1, 2, 3, 4
    """,
]
POSTGRES_BACKWARD = [
    "DROP TRIGGER IF EXISTS reports_count_steps ON people_journeytransition",
    "DROP FUNCTION IF EXISTS reports_count_steps()",
    "DROP TRIGGER IF EXISTS reports_move_steps ON people_person",
    "DROP FUNCTION IF EXISTS reports_move_steps()",
    "DELETE FROM reports_stepcount",
]

INDEXES_FORWARD = [
    "CREATE INDEX IF NOT EXISTS reports_step_time ON people_journeytransition (at)",
    # Covering, so the departures are read from the index alone.
    "CREATE INDEX IF NOT EXISTS reports_step_left_job "
    "ON people_journeytransition (at, person_id, reason) WHERE to_state = 'left_job'",
    "CREATE INDEX IF NOT EXISTS reports_crossing_out "
    "ON people_crossing (person_id, crossed_at) WHERE direction = 'out'",
    "CREATE INDEX IF NOT EXISTS reports_person_educated ON people_person (station_id) "
    "WHERE education_years >= 3 AND education_level IN ('university', 'technical')",
]
INDEXES_BACKWARD = [
    "DROP INDEX IF EXISTS reports_step_time",
    "DROP INDEX IF EXISTS reports_step_left_job",
    "DROP INDEX IF EXISTS reports_crossing_out",
    "DROP INDEX IF EXISTS reports_person_educated",
]


def _run(statements_by_vendor: dict[str, list[str]]):
    def run(apps, schema_editor) -> None:
        for statement in statements_by_vendor.get(schema_editor.connection.vendor, []):
            schema_editor.execute(statement)

    return run


class Migration(migrations.Migration):
    dependencies = [
        ("reports", "0004_step_counts"),
        ("people", "0002_audit_log_append_only"),
    ]

    operations = [
        migrations.RunPython(
            _run({"sqlite": SQLITE_FORWARD, "postgresql": POSTGRES_FORWARD}),
            _run({"sqlite": SQLITE_BACKWARD, "postgresql": POSTGRES_BACKWARD}),
        ),
        migrations.RunPython(
            _run({"sqlite": INDEXES_FORWARD, "postgresql": INDEXES_FORWARD}),
            _run({"sqlite": INDEXES_BACKWARD, "postgresql": INDEXES_BACKWARD}),
        ),
    ]
