"""The database keeps identity_crossingtally in step with the inward crossings of each
record: triggers count an inserted crossing, take back a deleted one, and move a changed
one (a merge gives the surviving record the other's crossings). Existing crossings are
counted once here."""

from django.db import migrations

SQLITE_FORWARD = [
    """
    CREATE TRIGGER identity_tally_crossing AFTER INSERT ON people_crossing
    WHEN NEW.direction = 'in'
    BEGIN
      INSERT INTO identity_crossingtally (person_id, n) VALUES (NEW.person_id, 1)
      ON CONFLICT (person_id) DO UPDATE SET n = n + 1;
    END
    """,
    """
    CREATE TRIGGER identity_untally_crossing AFTER DELETE ON people_crossing
    WHEN OLD.direction = 'in'
    BEGIN
      UPDATE identity_crossingtally SET n = n - 1 WHERE person_id = OLD.person_id;
    END
    """,
    """
    CREATE TRIGGER identity_retally_crossing
    AFTER UPDATE OF person_id, direction ON people_crossing
    BEGIN
      UPDATE identity_crossingtally SET n = n - 1
       WHERE OLD.direction = 'in' AND person_id = OLD.person_id;
      INSERT INTO identity_crossingtally (person_id, n)
      SELECT NEW.person_id, 1 WHERE NEW.direction = 'in'
      ON CONFLICT (person_id) DO UPDATE SET n = n + 1;
    END
    """,
    """
    INSERT INTO identity_crossingtally (person_id, n)
    SELECT person_id, count(*) FROM people_crossing WHERE direction = 'in' GROUP BY 1
    """,
]
SQLITE_BACKWARD = [
    "DROP TRIGGER IF EXISTS identity_tally_crossing",
    "DROP TRIGGER IF EXISTS identity_untally_crossing",
    "DROP TRIGGER IF EXISTS identity_retally_crossing",
    "DELETE FROM identity_crossingtally",
]

# One grouped upsert per statement (a COPY of a million crossings included), in key order so
# concurrent statements lock rows in the same order. PostgreSQL allows transition tables only
# on triggers without a column list, so any update of crossings recounts the rows it touched.
POSTGRES_FORWARD = [
    """
    CREATE OR REPLACE FUNCTION identity_tally_crossings() RETURNS trigger AS $$
    BEGIN
      IF TG_OP = 'INSERT' THEN
        INSERT INTO identity_crossingtally (person_id, n)
        SELECT person_id, count(*) FROM identity_new_crossings WHERE direction = 'in'
         GROUP BY 1 ORDER BY 1
        ON CONFLICT (person_id) DO UPDATE SET n = identity_crossingtally.n + EXCLUDED.n;
      ELSIF TG_OP = 'DELETE' THEN
        INSERT INTO identity_crossingtally (person_id, n)
        SELECT person_id, -count(*) FROM identity_old_crossings WHERE direction = 'in'
         GROUP BY 1 ORDER BY 1
        ON CONFLICT (person_id) DO UPDATE SET n = identity_crossingtally.n + EXCLUDED.n;
      ELSE
        INSERT INTO identity_crossingtally (person_id, n)
        SELECT person_id, sum(n) FROM (
            SELECT person_id, 1 AS n FROM identity_new_crossings WHERE direction = 'in'
            UNION ALL
            SELECT person_id, -1 FROM identity_old_crossings WHERE direction = 'in'
          ) changed
         GROUP BY 1 HAVING sum(n) <> 0 ORDER BY 1
        ON CONFLICT (person_id) DO UPDATE SET n = identity_crossingtally.n + EXCLUDED.n;
      END IF;
      RETURN NULL;
    END
    $$ LANGUAGE plpgsql
    """,
    """
    CREATE TRIGGER identity_tally_crossings AFTER INSERT ON people_crossing
    REFERENCING NEW TABLE AS identity_new_crossings
    FOR EACH STATEMENT EXECUTE FUNCTION identity_tally_crossings()
    """,
    """
    CREATE TRIGGER identity_untally_crossings AFTER DELETE ON people_crossing
    REFERENCING OLD TABLE AS identity_old_crossings
    FOR EACH STATEMENT EXECUTE FUNCTION identity_tally_crossings()
    """,
    """
    CREATE TRIGGER identity_retally_crossings AFTER UPDATE ON people_crossing
    REFERENCING OLD TABLE AS identity_old_crossings NEW TABLE AS identity_new_crossings
    FOR EACH STATEMENT EXECUTE FUNCTION identity_tally_crossings()
    """,
    """
    INSERT INTO identity_crossingtally (person_id, n)
    SELECT person_id, count(*) FROM people_crossing WHERE direction = 'in' GROUP BY 1
    """,
    # the planner's statistics of the table just filled: without them PostgreSQL takes it
    # for empty and joins a million rows against it the slow way until autovacuum comes by
    "ANALYZE identity_crossingtally",
]
POSTGRES_BACKWARD = [
    "DROP TRIGGER IF EXISTS identity_tally_crossings ON people_crossing",
    "DROP TRIGGER IF EXISTS identity_untally_crossings ON people_crossing",
    "DROP TRIGGER IF EXISTS identity_retally_crossings ON people_crossing",
    "DROP FUNCTION IF EXISTS identity_tally_crossings()",
    "DELETE FROM identity_crossingtally",
]


def _run(statements_by_vendor: dict[str, list[str]]):
    def run(apps, schema_editor) -> None:
        for statement in statements_by_vendor.get(schema_editor.connection.vendor, []):
            schema_editor.execute(statement)

    return run


class Migration(migrations.Migration):
    dependencies = [("identity", "0005_crossing_tally")]

    operations = [
        migrations.RunPython(
            _run({"sqlite": SQLITE_FORWARD, "postgresql": POSTGRES_FORWARD}),
            _run({"sqlite": SQLITE_BACKWARD, "postgresql": POSTGRES_BACKWARD}),
        ),
    ]
