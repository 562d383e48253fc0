"""The database itself keeps the stock ledger honest: an inserted movement must continue its
(station, item) chain (seq follows the previous one and balance_after is the previous balance
plus the quantity); movements are never updated, and on PostgreSQL never deleted either.
SQLite keeps DELETE possible because the test runner empties tables with DELETE; the
application refuses deletes there (AppendOnlyQuerySet)."""

from django.db import migrations

SQLITE_FORWARD = [
    """
    CREATE TRIGGER supplies_movement_chain BEFORE INSERT ON supplies_movement
    BEGIN
      SELECT RAISE(ABORT, 'stock ledger: movement does not continue its chain')
      WHERE (NEW.seq > 1 AND NOT EXISTS (
               SELECT 1 FROM supplies_movement
               WHERE station_id = NEW.station_id AND item_id = NEW.item_id
                 AND seq = NEW.seq - 1))
         OR NEW.balance_after != NEW.quantity + COALESCE((
               SELECT balance_after FROM supplies_movement
               WHERE station_id = NEW.station_id AND item_id = NEW.item_id
                 AND seq = NEW.seq - 1), 0);
    END
    """,
    """
    CREATE TRIGGER supplies_movement_no_update BEFORE UPDATE ON supplies_movement
    BEGIN
      SELECT RAISE(ABORT, 'stock ledger is append-only');
    END
    """,
]
SQLITE_BACKWARD = [
    "DROP TRIGGER IF EXISTS supplies_movement_chain",
    "DROP TRIGGER IF EXISTS supplies_movement_no_update",
]

POSTGRES_FORWARD = [
    """
    CREATE OR REPLACE FUNCTION supplies_movement_chain() RETURNS trigger AS $$
    DECLARE
      previous integer;
    BEGIN
      IF TG_OP <> 'INSERT' THEN
        RAISE EXCEPTION 'stock ledger is append-only';
      END IF;
      IF NEW.seq = 1 THEN
        previous := 0;
      ELSE
        SELECT balance_after INTO previous FROM supplies_movement
         WHERE station_id = NEW.station_id AND item_id = NEW.item_id AND seq = NEW.seq - 1;
        IF NOT FOUND THEN
          RAISE EXCEPTION 'stock ledger: movement does not continue its chain';
        END IF;
      END IF;
      IF NEW.balance_after <> previous + NEW.quantity THEN
        RAISE EXCEPTION 'stock ledger: movement does not continue its chain';
      END IF;
      RETURN NEW;
    END
    $$ LANGUAGE plpgsql
    """,
    """
    CREATE TRIGGER supplies_movement_chain BEFORE INSERT OR UPDATE OR DELETE
    ON supplies_movement FOR EACH ROW EXECUTE FUNCTION supplies_movement_chain()
    """,
]
POSTGRES_BACKWARD = [
    "DROP TRIGGER IF EXISTS supplies_movement_chain ON supplies_movement",
    "DROP FUNCTION IF EXISTS supplies_movement_chain()",
]


def _run(statements_by_vendor: dict[str, list[str]]):
    def run(apps, schema_editor) -> None:
        for statement in statements_by_vendor.get(schema_editor.connection.vendor, []):
            schema_editor.execute(statement)

    return run


class Migration(migrations.Migration):
    dependencies = [("supplies", "0001_initial")]

    operations = [
        migrations.RunPython(
            _run({"sqlite": SQLITE_FORWARD, "postgresql": POSTGRES_FORWARD}),
            _run({"sqlite": SQLITE_BACKWARD, "postgresql": POSTGRES_BACKWARD}),
        )
    ]
