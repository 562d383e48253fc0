"""The database keeps documents_issuedcount in step with the documents: a trigger counts every
issued document under its holder's station and day, and another moves a holder's counts when
their station changes. Existing documents are counted once here. Documents are never deleted
and never change holder, type or day (documents.models), so no other change needs counting."""

from django.db import migrations

SQLITE_FORWARD = [
    """
    CREATE TRIGGER documents_count_issued AFTER INSERT ON documents_document
    BEGIN
      INSERT INTO documents_issuedcount (issued_on, station_id, document_type, slot, n)
      SELECT NEW.issued_on, station_id, NEW.document_type, 0, 1
        FROM people_person WHERE id = NEW.person_id
      ON CONFLICT (issued_on, station_id, document_type, slot) DO UPDATE SET n = n + 1;
    END
    """,
    """
    CREATE TRIGGER documents_move_issued AFTER UPDATE OF station_id ON people_person
    WHEN OLD.station_id IS NOT NEW.station_id
    BEGIN
      INSERT INTO documents_issuedcount (issued_on, station_id, document_type, slot, n)
      SELECT issued_on, NEW.station_id, document_type, 0, count(*)
        FROM documents_document WHERE person_id = NEW.id GROUP BY 1, 3
      ON CONFLICT (issued_on, station_id, document_type, slot) DO UPDATE SET n = n + excluded.n;
      INSERT INTO documents_issuedcount (issued_on, station_id, document_type, slot, n)
      SELECT issued_on, OLD.station_id, document_type, 0, -count(*)
        FROM documents_document WHERE person_id = NEW.id GROUP BY 1, 3
      ON CONFLICT (issued_on, station_id, document_type, slot) DO UPDATE SET n = n + excluded.n;
    END
    """,
]
SQLITE_BACKWARD = [
    "DROP TRIGGER IF EXISTS documents_count_issued",
    "DROP TRIGGER IF EXISTS documents_move_issued",
]

# One grouped upsert per statement (a COPY of the demo's documents included), in key order so
# concurrent statements lock counters in the same order; the slot comes from the transaction.
POSTGRES_FORWARD = [
    """
    CREATE OR REPLACE FUNCTION documents_count_issued() RETURNS trigger AS $$
    BEGIN
      INSERT INTO documents_issuedcount (issued_on, station_id, document_type, slot, n)
      SELECT d.issued_on, p.station_id, d.document_type, mod(txid_current(), 8)::smallint,
             count(*)
        FROM documents_new_issued d JOIN people_person p ON p.id = d.person_id
       GROUP BY 1, 2, 3 ORDER BY 1, 2, 3
      ON CONFLICT (issued_on, station_id, document_type, slot)
      DO UPDATE SET n = documents_issuedcount.n + EXCLUDED.n;
      RETURN NULL;
    END
    $$ LANGUAGE plpgsql
    """,
    """
    CREATE TRIGGER documents_count_issued AFTER INSERT ON documents_document
    REFERENCING NEW TABLE AS documents_new_issued
    FOR EACH STATEMENT EXECUTE FUNCTION documents_count_issued()
    """,
    """
    CREATE OR REPLACE FUNCTION documents_move_issued() RETURNS trigger AS $$
    BEGIN
      INSERT INTO documents_issuedcount (issued_on, station_id, document_type, slot, n)
      SELECT issued_on, station_id, document_type, mod(txid_current(), 8)::smallint, sum(n)
        FROM (
          SELECT issued_on, NEW.station_id AS station_id, document_type, 1 AS n
            FROM documents_document WHERE person_id = NEW.id
          UNION ALL
          SELECT issued_on, OLD.station_id, document_type, -1
            FROM documents_document WHERE person_id = NEW.id
        ) moved
       GROUP BY 1, 2, 3 ORDER BY 1, 2, 3
      ON CONFLICT (issued_on, station_id, document_type, slot)
      DO UPDATE SET n = documents_issuedcount.n + EXCLUDED.n;
      RETURN NULL;
    END
    $$ LANGUAGE plpgsql
    """,
    """
    CREATE TRIGGER documents_move_issued AFTER UPDATE OF station_id ON people_person
    FOR EACH ROW WHEN (OLD.station_id IS DISTINCT FROM NEW.station_id)
    EXECUTE FUNCTION documents_move_issued()
    """,
]
POSTGRES_BACKWARD = [
    "DROP TRIGGER IF EXISTS documents_count_issued ON documents_document",
    "DROP FUNCTION IF EXISTS documents_count_issued()",
    "DROP TRIGGER IF EXISTS documents_move_issued ON people_person",
    "DROP FUNCTION IF EXISTS documents_move_issued()",
]

COUNT_EXISTING = [
    """
    INSERT INTO documents_issuedcount (issued_on, station_id, document_type, slot, n)
    SELECT d.issued_on, p.station_id, d.document_type, 0, count(*)
      FROM documents_document d JOIN people_person p ON p.id = d.person_id
     GROUP BY 1, 2, 3
    """,
]
FORGET_COUNTS = ["DELETE FROM documents_issuedcount"]


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
        ("documents", "0007_issued_counts"),
        ("people", "0013_person_station_newest"),
    ]

    operations = [
        migrations.RunPython(
            _run({"sqlite": SQLITE_FORWARD + COUNT_EXISTING, "postgresql": POSTGRES_FORWARD + COUNT_EXISTING}),
            _run({"sqlite": SQLITE_BACKWARD + FORGET_COUNTS, "postgresql": POSTGRES_BACKWARD + FORGET_COUNTS}),
        ),
        migrations.RunPython(_analyze("documents_issuedcount"), migrations.RunPython.noop),
    ]
