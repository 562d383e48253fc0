"""The database itself refuses to change or delete audit entries, whatever code runs against it.

SQLite refuses updates; deletes stay possible there only because test teardown empties tables
with DELETE. PostgreSQL refuses both (its TRUNCATE, used by test teardown, is not a row delete).
"""

from django.db import migrations

POSTGRES_UP = """
CREATE OR REPLACE FUNCTION people_audit_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'audit entries are append-only';
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER people_auditentry_append_only
    BEFORE UPDATE OR DELETE ON people_auditentry
    FOR EACH ROW EXECUTE FUNCTION people_audit_append_only();
"""
POSTGRES_DOWN = """
DROP TRIGGER IF EXISTS people_auditentry_append_only ON people_auditentry;
DROP FUNCTION IF EXISTS people_audit_append_only();
"""
SQLITE_UP = """
CREATE TRIGGER people_auditentry_no_update BEFORE UPDATE ON people_auditentry
BEGIN
    SELECT RAISE(ABORT, 'audit entries are append-only');
END;
"""
SQLITE_DOWN = "DROP TRIGGER IF EXISTS people_auditentry_no_update;"


def install(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(POSTGRES_UP)
    elif vendor == "sqlite":
        schema_editor.execute(SQLITE_UP)


def uninstall(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(POSTGRES_DOWN)
    elif vendor == "sqlite":
        schema_editor.execute(SQLITE_DOWN)


class Migration(migrations.Migration):
    dependencies = [("people", "0001_initial")]
    operations = [migrations.RunPython(install, uninstall)]
