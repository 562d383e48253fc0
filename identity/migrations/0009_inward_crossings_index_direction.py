"""The inward crossings' partial index holds the direction too: SQLite reads a partial index
alone only when it holds every column the query names, its own condition's included, and
read the ~30,000 crossings of the often-crossing people from the table (47 ms of the
situation report at a million persons)."""

from django.db import migrations

FORWARD = [
    "DROP INDEX IF EXISTS identity_crossing_in",
    "CREATE INDEX identity_crossing_in "
    "ON people_crossing (person_id, crossed_at, direction) WHERE direction = 'in'",
]
BACKWARD = [
    "DROP INDEX IF EXISTS identity_crossing_in",
    "CREATE INDEX identity_crossing_in "
    "ON people_crossing (person_id, crossed_at) WHERE direction = 'in'",
]


def _analyze(*tables: str):
    """The planner's statistics of what this migration filled or indexed: without them SQLite
    takes a new index over a million rows for a selective one, and PostgreSQL a filled table
    for empty, until someone runs ANALYZE."""

    def run(apps, schema_editor) -> None:
        for table in tables:
            schema_editor.execute(f"ANALYZE {table}")

    return run


class Migration(migrations.Migration):
    dependencies = [("identity", "0008_inward_crossings_index")]

    operations = [
        migrations.RunSQL(FORWARD, BACKWARD),
        migrations.RunPython(_analyze("people_crossing"), migrations.RunPython.noop),
    ]
