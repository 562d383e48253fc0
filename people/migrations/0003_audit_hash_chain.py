"""Audit entries carry a hash chain; the entries written before it are chained here, in id order.

The append-only triggers are lifted for the backfill only, and put back (SQLite's table rebuild
for the new columns would otherwise lose its trigger).
"""

from django.db import migrations, models

SQLITE_TRIGGER = """
CREATE TRIGGER people_auditentry_no_update BEFORE UPDATE ON people_auditentry
BEGIN
    SELECT RAISE(ABORT, 'audit entries are append-only');
END;
"""


def chain_existing(apps, schema_editor):
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
    previous = ""
    for entry in AuditEntry._base_manager.order_by("id").iterator(chunk_size=2000):
        digest = chain_hash(previous, entry)
        AuditEntry._base_manager.filter(pk=entry.pk).update(prev_hash=previous, entry_hash=digest)
        previous = digest
    if vendor == "postgresql":
        schema_editor.execute(
            "ALTER TABLE people_auditentry ENABLE TRIGGER people_auditentry_append_only"
        )
    elif vendor == "sqlite":
        schema_editor.execute(SQLITE_TRIGGER)


class Migration(migrations.Migration):
    dependencies = [("people", "0002_audit_log_append_only")]

    operations = [
        migrations.AddField(
            model_name="auditentry",
            name="prev_hash",
            field=models.CharField(blank=True, editable=False, max_length=64),
        ),
        migrations.AddField(
            model_name="auditentry",
            name="entry_hash",
            field=models.CharField(blank=True, editable=False, max_length=64),
        ),
        migrations.RunPython(chain_existing, migrations.RunPython.noop),
    ]
