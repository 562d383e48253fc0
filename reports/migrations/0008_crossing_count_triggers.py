"""The database keeps reports_crossingcount in step with the inward crossings: triggers count
each inserted crossing under its station and UTC day, and take back a deleted one or the old
values of a changed one. Existing crossings are counted once here."""

from django.db import migrations

SQLITE_FORWARD = [
    """
    CREATE TRIGGER reports_count_crossing AFTER INSERT ON people_crossing
    WHEN NEW.direction = 'in'
    BEGIN
      INSERT INTO reports_crossingcount (day, station_id, slot, n)
      VALUES (date(NEW.crossed_at), NEW.station_id, 0, 1)
      ON CONFLICT (day, station_id, slot) DO UPDATE SET n = n + 1;
    END
    """,
    """
    CREATE TRIGGER reports_uncount_crossing AFTER DELETE ON people_crossing
    WHEN OLD.direction = 'in'
    BEGIN
      UPDATE reports_crossingcount SET n = n - 1
       WHERE day = date(OLD.crossed_at) AND station_id = OLD.station_id AND slot = 0;
    END
    """,
    """
    CREATE TRIGGER reports_recount_crossing
    AFTER UPDATE OF direction, crossed_at, station_id ON people_crossing
    BEGIN
      UPDATE reports_crossingcount SET n = n - 1
       WHERE OLD.direction = 'in'
         AND day = date(OLD.crossed_at) AND station_id = OLD.station_id AND slot = 0;
      INSERT INTO reports_crossingcount (day, station_id, slot, n)
      SELECT date(NEW.crossed_at), NEW.station_id, 0, 1 WHERE NEW.direction = 'in'
      ON CONFLICT (day, station_id, slot) DO UPDATE SET n = n + 1;
    END
    """,
    """
    INSERT INTO reports_crossingcount (day, station_id, slot, n)
    SELECT date(crossed_at), station_id, 0, count(*)
      FROM people_crossing WHERE direction = 'in'
     GROUP BY 1, 2
    """,
]
SQLITE_BACKWARD = [
    "DROP TRIGGER IF EXISTS reports_count_crossing",
    "DROP TRIGGER IF EXISTS reports_uncount_crossing",
    "DROP TRIGGER IF EXISTS reports_recount_crossing",
    "DELETE FROM reports_crossingcount",
]

# One grouped upsert per statement (a COPY of a million crossings included), in key order so
# concurrent statements lock counters in the same order; the slot comes from the transaction
# id, as reports_stepcount's does. PostgreSQL allows transition tables only on triggers
# without a column list, so any update of crossings recounts the rows it touched.
POSTGRES_FORWARD = [
    """
    CREATE OR REPLACE FUNCTION reports_count_crossings() RETURNS trigger AS $$
    BEGIN
      IF TG_OP = 'INSERT' THEN
        INSERT INTO reports_crossingcount (day, station_id, slot, n)
        SELECT (crossed_at AT TIME ZONE 'UTC')::date, station_id,
               mod(txid_current(), 8)::smallint, count(*)
          FROM reports_new_crossings WHERE direction = 'in'
         GROUP BY 1, 2 ORDER BY 1, 2
        ON CONFLICT (day, station_id, slot) DO UPDATE SET n = reports_crossingcount.n + EXCLUDED.n;
      ELSIF TG_OP = 'DELETE' THEN
        INSERT INTO reports_crossingcount (day, station_id, slot, n)
        SELECT (crossed_at AT TIME ZONE 'UTC')::date, station_id,
               mod(txid_current(), 8)::smallint, -count(*)
          FROM reports_old_crossings WHERE direction = 'in'
         GROUP BY 1, 2 ORDER BY 1, 2
        ON CONFLICT (day, station_id, slot) DO UPDATE SET n = reports_crossingcount.n + EXCLUDED.n;
      ELSE
        INSERT INTO reports_crossingcount (day, station_id, slot, n)
        SELECT day, station_id, mod(txid_current(), 8)::smallint, sum(n)
          FROM (
            SELECT (crossed_at AT TIME ZONE 'UTC')::date AS day, station_id, 1 AS n
              FROM reports_new_crossings WHERE direction = 'in'
            UNION ALL
            SELECT (crossed_at AT TIME ZONE 'UTC')::date, station_id, -1
              FROM reports_old_crossings WHERE direction = 'in'
          ) changed
         GROUP BY 1, 2 HAVING sum(n) <> 0 ORDER BY 1, 2
        ON CONFLICT (day, station_id, slot) DO UPDATE SET n = reports_crossingcount.n + EXCLUDED.n;
      END IF;
      RETURN NULL;
    END
    $$ LANGUAGE plpgsql
    """,
    """
    CREATE TRIGGER reports_count_crossings AFTER INSERT ON people_crossing
    REFERENCING NEW TABLE AS reports_new_crossings
    FOR EACH STATEMENT EXECUTE FUNCTION reports_count_crossings()
    """,
    """
    CREATE TRIGGER reports_uncount_crossings AFTER DELETE ON people_crossing
    REFERENCING OLD TABLE AS reports_old_crossings
    FOR EACH STATEMENT EXECUTE FUNCTION reports_count_crossings()
    """,
    """
    CREATE TRIGGER reports_recount_crossings AFTER UPDATE ON people_crossing
    REFERENCING OLD TABLE AS reports_old_crossings NEW TABLE AS reports_new_crossings
    FOR EACH STATEMENT EXECUTE FUNCTION reports_count_crossings()
    """,
    """
    INSERT INTO reports_crossingcount (day, station_id, slot, n)
    SELECT (crossed_at AT TIME ZONE 'UTC')::date, station_id, 0, count(*)
      FROM people_crossing WHERE direction = 'in'
     GROUP BY 1, 2
    """,
    # the planner's statistics of the table just filled: without them PostgreSQL takes it
    # for empty and joins a million rows against it the slow way until autovacuum comes by
    "ANALYZE reports_crossingcount",
]
POSTGRES_BACKWARD = [
    "DROP TRIGGER IF EXISTS reports_count_crossings ON people_crossing",
    "DROP TRIGGER IF EXISTS reports_uncount_crossings ON people_crossing",
    "DROP TRIGGER IF EXISTS reports_recount_crossings ON people_crossing",
    "DROP FUNCTION IF EXISTS reports_count_crossings()",
    "DELETE FROM reports_crossingcount",
]


def _run(statements_by_vendor: dict[str, list[str]]):
    def run(apps, schema_editor) -> None:
        for statement in statements_by_vendor.get(schema_editor.connection.vendor, []):
            schema_editor.execute(statement)

    return run


class Migration(migrations.Migration):
    dependencies = [
        ("reports", "0007_crossing_counts"),
        ("people", "0011_person_relationship"),
    ]

    operations = [
        migrations.RunPython(
            _run({"sqlite": SQLITE_FORWARD, "postgresql": POSTGRES_FORWARD}),
            _run({"sqlite": SQLITE_BACKWARD, "postgresql": POSTGRES_BACKWARD}),
        ),
    ]
