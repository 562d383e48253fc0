"""Each person's inward crossings by time, read from a partial index alone when the repeat
crossers' crossings in a policy's period are counted: through the index of person,
PostgreSQL read every crossing of ~10,000 often-crossing people from the table to filter
direction and time."""

from django.db import migrations

FORWARD = (
    "CREATE INDEX IF NOT EXISTS identity_crossing_in "
    "ON people_crossing (person_id, crossed_at) WHERE direction = 'in'"
)
BACKWARD = "DROP INDEX IF EXISTS identity_crossing_in"


class Migration(migrations.Migration):
    dependencies = [("identity", "0007_crossing_tally_often_index")]

    operations = [migrations.RunSQL(FORWARD, BACKWARD)]
