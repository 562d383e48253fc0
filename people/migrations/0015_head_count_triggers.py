"""The database keeps people_headcount in step with the registry: triggers count every
person inserted, deleted, or changed in station or journey state. Existing people are
counted once here."""

from django.db import migrations

UPSERT = """
    INSERT INTO people_headcount (station_id, state, slot, n) VALUES ({station}, {state}, 0, {n})
    ON CONFLICT (station_id, state, slot) DO UPDATE SET n = n + ({n});
"""
SQLITE_FORWARD = [
    f"""
    CREATE TRIGGER people_count_new AFTER INSERT ON people_person
    BEGIN {UPSERT.format(station="NEW.station_id", state="NEW.state", n=1)} END
    """,
    f"""
    CREATE TRIGGER people_count_change AFTER UPDATE OF station_id, state ON people_person
    WHEN OLD.station_id IS NOT NEW.station_id OR OLD.state IS NOT NEW.state
    BEGIN
      {UPSERT.format(station="OLD.station_id", state="OLD.state", n=-1)}
      {UPSERT.format(station="NEW.station_id", state="NEW.state", n=1)}
    END
    """,
    f"""
    CREATE TRIGGER people_count_gone AFTER DELETE ON people_person
    BEGIN {UPSERT.format(station="OLD.station_id", state="OLD.state", n=-1)} END
    """,
]
SQLITE_BACKWARD = [
    "DROP TRIGGER IF EXISTS people_count_new",
    "DROP TRIGGER IF EXISTS people_count_change",
    "DROP TRIGGER IF EXISTS people_count_gone",
]

# One grouped upsert per statement (a COPY of a million people included), in key order so
# concurrent statements lock counters in the same order; the slot comes from the transaction
# id, so concurrent registrations at one station mostly update different rows.
POSTGRES_UPSERT = """
      INSERT INTO people_headcount (station_id, state, slot, n)
      SELECT station_id, state, mod(txid_current(), 8)::smallint, sum(n)
        FROM ({rows}) AS changed
       GROUP BY 1, 2 HAVING sum(n) <> 0 ORDER BY 1, 2
      ON CONFLICT (station_id, state, slot) DO UPDATE SET n = people_headcount.n + EXCLUDED.n;
"""
POSTGRES_TRIGGERS = (
    # (trigger and function, event, its transition tables, the rows it counts)
    (
        "people_count_new",
        "INSERT", "NEW TABLE AS people_inserted",
        "SELECT station_id, state, 1 AS n FROM people_inserted",
    ),
    (
        "people_count_change",
        "UPDATE", "OLD TABLE AS people_before NEW TABLE AS people_after",
        "SELECT station_id, state, 1 AS n FROM people_after"
        " UNION ALL SELECT station_id, state, -1 FROM people_before",
    ),
    (
        "people_count_gone",
        "DELETE", "OLD TABLE AS people_deleted",
        "SELECT station_id, state, -1 AS n FROM people_deleted",
    ),
)
POSTGRES_FORWARD = [
    statement
    for name, event, tables, rows in POSTGRES_TRIGGERS
    for statement in (
        f"""
        CREATE OR REPLACE FUNCTION {name}() RETURNS trigger AS $$
        BEGIN {POSTGRES_UPSERT.format(rows=rows)} RETURN NULL; END
        $$ LANGUAGE plpgsql
        """,
        f"""
        CREATE TRIGGER {name} AFTER {event} ON people_person REFERENCING {tables}
        FOR EACH STATEMENT EXECUTE FUNCTION {name}()
        """,
    )
]
POSTGRES_BACKWARD = [
    statement
    for name, _event, _tables, _rows in POSTGRES_TRIGGERS
    for statement in (
        f"DROP TRIGGER IF EXISTS {name} ON people_person",
        f"DROP FUNCTION IF EXISTS {name}()",
    )
]

COUNT_EXISTING = """
    INSERT INTO people_headcount (station_id, state, slot, n)
    SELECT station_id, state, 0, count(*) FROM people_person GROUP BY 1, 2
"""
FORGET = "DELETE FROM people_headcount"


def _run(statements_by_vendor: dict[str, list[str]]):
    def run(apps, schema_editor) -> None:
        for statement in statements_by_vendor.get(schema_editor.connection.vendor, []):
            schema_editor.execute(statement)

    return run


class Migration(migrations.Migration):
    dependencies = [
        ("people", "0014_head_counts"),
    ]

    operations = [
        migrations.RunPython(
            _run(
                {
                    "sqlite": [*SQLITE_FORWARD, COUNT_EXISTING, "ANALYZE people_headcount"],
                    "postgresql": [*POSTGRES_FORWARD, COUNT_EXISTING, "ANALYZE people_headcount"],
                }
            ),
            _run({"sqlite": [*SQLITE_BACKWARD, FORGET], "postgresql": [*POSTGRES_BACKWARD, FORGET]}),
        ),
    ]
