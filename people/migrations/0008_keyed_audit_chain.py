"""The audit chain is keyed (HMAC with AUDIT_CHAIN_KEY, issue 20): the entries written before
are chained again with the key, in id order. SQLite now refuses deletes of audit entries as
PostgreSQL does; the test runner's flush lifts that trigger for its own DELETE only
(waystation/sqlite_backend), as PostgreSQL's TRUNCATE passes its row triggers.
"""

from django.db import migrations

SQLITE_NO_UPDATE = """
CREATE TRIGGER IF NOT EXISTS people_auditentry_no_update BEFORE UPDATE ON people_auditentry
BEGIN
    SELECT RAISE(ABORT, 'audit entries are append-only');
END;
"""
SQLITE_NO_DELETE = """
CREATE TRIGGER IF NOT EXISTS people_auditentry_no_delete BEFORE DELETE ON people_auditentry
BEGIN
    SELECT RAISE(ABORT, 'audit entries are append-only');
END;
"""
CHUNK = 2000


def rechain(apps, schema_editor):
    from people.audit import chain_hash

    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        schema_editor.execute(
            "ALTER TABLE people_auditentry DISABLE TRIGGER people_auditentry_append_only"
        )
    elif vendor == "sqlite":
        schema_editor.execute("DROP TRIGGER IF EXISTS people_auditentry_no_update")
    AuditEntry = apps.get_model("people", "AuditEntry")
    previous, last_id = "", 0
    while True:
        chunk = list(AuditEntry._base_manager.filter(id__gt=last_id).order_by("id")[:CHUNK])
        if not chunk:
            break
        updates = []
        for entry in chunk:
            digest = chain_hash(previous, entry)
            updates.append((previous, digest, entry.pk))
            previous = digest
        with schema_editor.connection.cursor() as cursor:
            cursor.executemany(
                "UPDATE people_auditentry SET prev_hash = %s, entry_hash = %s WHERE id = %s",
                updates,
            )
        last_id = chunk[-1].pk
    if vendor == "postgresql":
        schema_editor.execute(
            "ALTER TABLE people_auditentry ENABLE TRIGGER people_auditentry_append_only"
        )
    elif vendor == "sqlite":
        schema_editor.execute(SQLITE_NO_UPDATE)
        schema_editor.execute(SQLITE_NO_DELETE)


def unkey(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        schema_editor.execute("DROP TRIGGER IF EXISTS people_auditentry_no_delete")


class Migration(migrations.Migration):
    dependencies = [("people", "0007_submissions_always_hashed")]
    operations = [migrations.RunPython(rechain, unkey)]
