"""The database keeps reports_departure in step with the journey: a trigger copies every step
into "left job" with its person's station and birth date, and another follows a person's
change of station or birth date. Existing departures are copied once here. Journey steps
are never changed or deleted."""

from django.db import migrations

SQLITE_FORWARD = [
    """
    CREATE TRIGGER reports_note_departure AFTER INSERT ON people_journeytransition
    WHEN NEW.to_state = 'left_job'
    BEGIN
      INSERT INTO reports_departure (step_id, person_id, station_id, birth_date, at, reason)
      SELECT NEW.id, NEW.person_id, station_id, birth_date, NEW.at, NEW.reason
        FROM people_person WHERE id = NEW.person_id;
    END
    """,
    """
    CREATE TRIGGER reports_follow_departures AFTER UPDATE OF station_id, birth_date
    ON people_person
    WHEN OLD.station_id IS NOT NEW.station_id OR OLD.birth_date IS NOT NEW.birth_date
    BEGIN
      UPDATE reports_departure SET station_id = NEW.station_id, birth_date = NEW.birth_date
       WHERE person_id = NEW.id;
    END
    """,
]
SQLITE_BACKWARD = [
    "DROP TRIGGER IF EXISTS reports_note_departure",
    "DROP TRIGGER IF EXISTS reports_follow_departures",
]

# One insert per statement (a COPY of a million steps included).
POSTGRES_FORWARD = [
    """
    CREATE OR REPLACE FUNCTION reports_note_departures() RETURNS trigger AS $$
    BEGIN
      INSERT INTO reports_departure (step_id, person_id, station_id, birth_date, at, reason)
      SELECT s.id, s.person_id, p.station_id, p.birth_date, s.at, s.reason
        FROM reports_new_departures s JOIN people_person p ON p.id = s.person_id
       WHERE s.to_state = 'left_job';
      RETURN NULL;
    END
    $$ LANGUAGE plpgsql
    """,
    """
    CREATE TRIGGER reports_note_departures AFTER INSERT ON people_journeytransition
    REFERENCING NEW TABLE AS reports_new_departures
    FOR EACH STATEMENT EXECUTE FUNCTION reports_note_departures()
    """,
    """
    CREATE OR REPLACE FUNCTION reports_follow_departures() RETURNS trigger AS $$
    BEGIN
      UPDATE reports_departure SET station_id = NEW.station_id, birth_date = NEW.birth_date
       WHERE person_id = NEW.id;
      RETURN NULL;
    END
    $$ LANGUAGE plpgsql
    """,
    """
    CREATE TRIGGER reports_follow_departures AFTER UPDATE OF station_id, birth_date
    ON people_person FOR EACH ROW
    WHEN (OLD.station_id IS DISTINCT FROM NEW.station_id
          OR OLD.birth_date IS DISTINCT FROM NEW.birth_date)
    EXECUTE FUNCTION reports_follow_departures()
    """,
]
POSTGRES_BACKWARD = [
    "DROP TRIGGER IF EXISTS reports_note_departures ON people_journeytransition",
    "DROP FUNCTION IF EXISTS reports_note_departures()",
    "DROP TRIGGER IF EXISTS reports_follow_departures ON people_person",
    "DROP FUNCTION IF EXISTS reports_follow_departures()",
]

COPY_EXISTING = """
    INSERT INTO reports_departure (step_id, person_id, station_id, birth_date, at, reason)
    SELECT t.id, t.person_id, p.station_id, p.birth_date, t.at, t.reason
      FROM people_journeytransition t JOIN people_person p ON p.id = t.person_id
     WHERE t.to_state = 'left_job'
"""
FORGET = "DELETE FROM reports_departure"


def _run(statements_by_vendor: dict[str, list[str]]):
    def run(apps, schema_editor) -> None:
        for statement in statements_by_vendor.get(schema_editor.connection.vendor, []):
            schema_editor.execute(statement)

    return run


def _analyze(*tables: str):
    """The planner's statistics of what this migration filled or indexed: without them SQLite
    takes a new index over a million rows for a selective one, and PostgreSQL a filled table
    for empty, until someone runs ANALYZE."""

    def run(apps, schema_editor) -> None:
        for table in tables:
            schema_editor.execute(f"ANALYZE {table}")

    return run


class Migration(migrations.Migration):
    dependencies = [
        ("reports", "0009_departures"),
        ("people", "0013_person_station_newest"),
    ]

    operations = [
        migrations.RunPython(
            _run(
                {
                    "sqlite": [*SQLITE_FORWARD, COPY_EXISTING],
                    "postgresql": [*POSTGRES_FORWARD, COPY_EXISTING],
                }
            ),
            _run(
                {
                    "sqlite": [*SQLITE_BACKWARD, FORGET],
                    "postgresql": [*POSTGRES_BACKWARD, FORGET],
                }
            ),
        ),
        migrations.RunPython(_analyze("reports_departure"), migrations.RunPython.noop),
    ]
