"""The database keeps labour_activeplacementcount in step with the placements: triggers
count every placement inserted, deleted, or changed in status, site or vacancy, when it is
(or was) active. Existing active placements are counted once here."""

from django.db import migrations

SQLITE_UPSERT = """
    INSERT INTO labour_activeplacementcount (site_id, vacancy_key, slot, n)
    SELECT {row}.site_id, coalesce({row}.vacancy_id, 0), 0, {n} WHERE {row}.status = 'active'
    ON CONFLICT (site_id, vacancy_key, slot) DO UPDATE SET n = n + ({n});
"""
SQLITE_FORWARD = [
    f"""
    CREATE TRIGGER labour_count_new AFTER INSERT ON labour_placement
    BEGIN {SQLITE_UPSERT.format(row="NEW", n=1)} END
    """,
    f"""
    CREATE TRIGGER labour_count_change AFTER UPDATE OF status, site_id, vacancy_id
    ON labour_placement
    BEGIN
      {SQLITE_UPSERT.format(row="OLD", n=-1)}
      {SQLITE_UPSERT.format(row="NEW", n=1)}
    END
    """,
    f"""
    CREATE TRIGGER labour_count_gone AFTER DELETE ON labour_placement
    BEGIN {SQLITE_UPSERT.format(row="OLD", n=-1)} END
    """,
]
SQLITE_BACKWARD = [
    "DROP TRIGGER IF EXISTS labour_count_new",
    "DROP TRIGGER IF EXISTS labour_count_change",
    "DROP TRIGGER IF EXISTS labour_count_gone",
]

# One grouped upsert per statement (the demo's bulk insert included), in key order so
# concurrent statements lock counters in the same order; the slot comes from the transaction
# id, so concurrent approvals mostly update different rows.
POSTGRES_UPSERT = """
      INSERT INTO labour_activeplacementcount (site_id, vacancy_key, slot, n)
      SELECT site_id, coalesce(vacancy_id, 0), mod(txid_current(), 8)::smallint, sum(n)
        FROM ({rows}) AS changed
       WHERE status = 'active'
       GROUP BY 1, 2 HAVING sum(n) <> 0 ORDER BY 1, 2
      ON CONFLICT (site_id, vacancy_key, slot)
      DO UPDATE SET n = labour_activeplacementcount.n + EXCLUDED.n;
"""
POSTGRES_TRIGGERS = (
    # (trigger and function, event, its transition tables, the rows it counts)
    (
        "labour_count_new",
        "INSERT",
        "NEW TABLE AS labour_inserted",
        "SELECT site_id, vacancy_id, status, 1 AS n FROM labour_inserted",
    ),
    (
        "labour_count_change",
        "UPDATE",
        "OLD TABLE AS labour_before NEW TABLE AS labour_after",
        "SELECT site_id, vacancy_id, status, 1 AS n FROM labour_after"
        " UNION ALL SELECT site_id, vacancy_id, status, -1 FROM labour_before",
    ),
    (
        "labour_count_gone",
        "DELETE",
        "OLD TABLE AS labour_deleted",
        "SELECT site_id, vacancy_id, status, -1 AS n FROM labour_deleted",
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
        CREATE TRIGGER {name} AFTER {event} ON labour_placement REFERENCING {tables}
        FOR EACH STATEMENT EXECUTE FUNCTION {name}()
        """,
    )
]
POSTGRES_BACKWARD = [
    statement
    for name, _event, _tables, _rows in POSTGRES_TRIGGERS
    for statement in (
        f"DROP TRIGGER IF EXISTS {name} ON labour_placement",
        f"DROP FUNCTION IF EXISTS {name}()",
    )
]

COUNT_EXISTING = """
    INSERT INTO labour_activeplacementcount (site_id, vacancy_key, slot, n)
    SELECT site_id, coalesce(vacancy_id, 0), 0, count(*) FROM labour_placement
     WHERE status = 'active' GROUP BY 1, 2
"""
FORGET = "DELETE FROM labour_activeplacementcount"


def _run(statements_by_vendor: dict[str, list[str]]):
    def run(apps, schema_editor) -> None:
        for statement in statements_by_vendor.get(schema_editor.connection.vendor, []):
            schema_editor.execute(statement)

    return run


class Migration(migrations.Migration):
    dependencies = [
        ("labour", "0008_active_placement_counts"),
    ]

    operations = [
        migrations.RunPython(
            _run(
                {
                    "sqlite": [*SQLITE_FORWARD, COUNT_EXISTING, "ANALYZE labour_activeplacementcount"],
                    "postgresql": [
                        *POSTGRES_FORWARD,
                        COUNT_EXISTING,
                        "ANALYZE labour_activeplacementcount",
                    ],
                }
            ),
            _run({"sqlite": [*SQLITE_BACKWARD, FORGET], "postgresql": [*POSTGRES_BACKWARD, FORGET]}),
        ),
    ]
