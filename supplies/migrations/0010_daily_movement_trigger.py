"""The database keeps supplies_dailymovement in step with the ledger: a trigger adds every
movement to its station, item, kind and UTC day. Existing movements are added once here.
Movements are never changed or deleted (migration 0002), so inserts are all there is."""

from django.db import migrations

SQLITE_FORWARD = [
    """
    CREATE TRIGGER supplies_add_daily_movement AFTER INSERT ON supplies_movement
    BEGIN
      INSERT INTO supplies_dailymovement (day, station_id, item_id, kind, slot, quantity)
      VALUES (date(NEW.at), NEW.station_id, NEW.item_id, NEW.kind, 0, NEW.quantity)
      ON CONFLICT (station_id, item_id, day, kind, slot)
      DO UPDATE SET quantity = quantity + excluded.quantity;
    END
    """,
]
SQLITE_BACKWARD = ["DROP TRIGGER IF EXISTS supplies_add_daily_movement"]

# One grouped upsert per statement, in key order so concurrent statements lock counters in the
# same order; the slot comes from the transaction id.
POSTGRES_FORWARD = [
    """
    CREATE OR REPLACE FUNCTION supplies_add_daily_movements() RETURNS trigger AS $$
    BEGIN
      INSERT INTO supplies_dailymovement (day, station_id, item_id, kind, slot, quantity)
      SELECT (m.at AT TIME ZONE 'UTC')::date, m.station_id, m.item_id, m.kind,
             mod(txid_current(), 8)::smallint, sum(m.quantity)
        FROM supplies_new_movements m
       GROUP BY 1, 2, 3, 4 ORDER BY 2, 3, 1, 4
      ON CONFLICT (station_id, item_id, day, kind, slot)
      DO UPDATE SET quantity = supplies_dailymovement.quantity + EXCLUDED.quantity;
      RETURN NULL;
    END
    $$ LANGUAGE plpgsql
    """,
    """
    CREATE TRIGGER supplies_add_daily_movements AFTER INSERT ON supplies_movement
    REFERENCING NEW TABLE AS supplies_new_movements
    FOR EACH STATEMENT EXECUTE FUNCTION supplies_add_daily_movements()
    """,
]
POSTGRES_BACKWARD = [
    "DROP TRIGGER IF EXISTS supplies_add_daily_movements ON supplies_movement",
    "DROP FUNCTION IF EXISTS supplies_add_daily_movements()",
]

ADD_EXISTING = {
    "sqlite": """
    INSERT INTO supplies_dailymovement (day, station_id, item_id, kind, slot, quantity)
    SELECT date(at), station_id, item_id, kind, 0, sum(quantity)
      FROM supplies_movement GROUP BY 1, 2, 3, 4
    """,
    "postgresql": """
    INSERT INTO supplies_dailymovement (day, station_id, item_id, kind, slot, quantity)
    SELECT (at AT TIME ZONE 'UTC')::date, station_id, item_id, kind, 0, sum(quantity)
      FROM supplies_movement GROUP BY 1, 2, 3, 4
    """,
}
FORGET = "DELETE FROM supplies_dailymovement"


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
    dependencies = [("supplies", "0009_daily_movements")]

    operations = [
        migrations.RunPython(
            _run(
                {
                    "sqlite": [*SQLITE_FORWARD, ADD_EXISTING["sqlite"]],
                    "postgresql": [*POSTGRES_FORWARD, ADD_EXISTING["postgresql"]],
                }
            ),
            _run(
                {
                    "sqlite": [*SQLITE_BACKWARD, FORGET],
                    "postgresql": [*POSTGRES_BACKWARD, FORGET],
                }
            ),
        ),
        migrations.RunPython(_analyze("supplies_dailymovement"), migrations.RunPython.noop),
    ]
