"""The records over a repeat-crossing threshold are read from an index of (n, person) alone:
through the index of n, PostgreSQL read each of the ~10,000 tally rows of a million-person
registry from the table (90 ms). The index of n alone is dropped by name rather than by
altering the field, which on SQLite would copy the table under the crossing triggers."""

from django.db import migrations, models

OLD_INDEX = "identity_crossingtally_n_59262fd7"


class Migration(migrations.Migration):
    dependencies = [
        ("identity", "0006_crossing_tally_triggers"),
        ("people", "0013_person_station_newest"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="crossingtally",
            index=models.Index(fields=["n", "person"], name="crossing_tally_often"),
        ),
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name="crossingtally",
                    name="n",
                    field=models.BigIntegerField(default=0),
                ),
            ],
            database_operations=[
                migrations.RunSQL(
                    f"DROP INDEX IF EXISTS {OLD_INDEX}",
                    f"CREATE INDEX IF NOT EXISTS {OLD_INDEX} ON identity_crossingtally (n)",
                ),
            ],
        ),
    ]
