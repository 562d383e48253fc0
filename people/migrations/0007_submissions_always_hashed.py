"""Every stored submission carries a hash (issue 20): rows written before, with an empty one,
get the hash no submission can match, and the database refuses an empty hash from now on.

SQLite cannot add a CHECK constraint without rebuilding the table, which would drop the
triggers other apps keep on people_person; there the same rule is a trigger. The migration
state holds the constraints, so any later rebuild writes them into the table itself.
"""

from django.db import migrations, models

NOT_A_SUBMISSION = "not-a-client-submission"
TABLES = {
    "household": "people_household",
    "person": "people_person",
    "crossing": "people_crossing",
}


def hash_existing(apps, schema_editor):
    for model_name in TABLES:
        model = apps.get_model("people", model_name)
        model._base_manager.filter(submission_hash="").update(submission_hash=NOT_A_SUBMISSION)


def enforce(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    for model_name, table in TABLES.items():
        name = f"{model_name}_submission_hashed"
        if vendor == "postgresql":
            schema_editor.execute(
                f"ALTER TABLE {table} ADD CONSTRAINT {name} CHECK (NOT (submission_hash = ''))"
            )
        elif vendor == "sqlite":
            for event in ("INSERT", "UPDATE OF submission_hash"):
                suffix = "insert" if event == "INSERT" else "update"
                schema_editor.execute(
                    f"CREATE TRIGGER {name}_{suffix} BEFORE {event} ON {table} "
                    f"WHEN NEW.submission_hash = '' "
                    f"BEGIN SELECT RAISE(ABORT, 'CHECK constraint failed: {name}'); END"
                )


def relax(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    for model_name, table in TABLES.items():
        name = f"{model_name}_submission_hashed"
        if vendor == "postgresql":
            schema_editor.execute(f"ALTER TABLE {table} DROP CONSTRAINT IF EXISTS {name}")
        elif vendor == "sqlite":
            schema_editor.execute(f"DROP TRIGGER IF EXISTS {name}_insert")
            schema_editor.execute(f"DROP TRIGGER IF EXISTS {name}_update")


def _hash_field() -> models.CharField:
    return models.CharField(default=NOT_A_SUBMISSION, max_length=64)


class Migration(migrations.Migration):
    dependencies = [("people", "0006_one_person_one_record")]

    operations = [
        migrations.RunPython(hash_existing, migrations.RunPython.noop),
        migrations.SeparateDatabaseAndState(
            database_operations=[migrations.RunPython(enforce, relax)],
            state_operations=[
                *(
                    migrations.AlterField(
                        model_name=model_name, name="submission_hash", field=_hash_field()
                    )
                    for model_name in TABLES
                ),
                *(
                    migrations.AddConstraint(
                        model_name=model_name,
                        constraint=models.CheckConstraint(
                            condition=~models.Q(submission_hash=""),
                            name=f"{model_name}_submission_hashed",
                        ),
                    )
                    for model_name in TABLES
                ),
            ],
        ),
    ]
