"""The placements of the few hours a local month's first midnight cuts from a UTC day are
counted step by step for the dashboard's monthly chart; like the departures
(reports_step_left_job), they are read from a partial index alone."""

from django.db import migrations

FORWARD = (
    "CREATE INDEX IF NOT EXISTS reports_step_placed "
    "ON people_journeytransition (at, person_id) WHERE to_state = 'placed'"
)
BACKWARD = "DROP INDEX IF EXISTS reports_step_placed"


class Migration(migrations.Migration):
    dependencies = [("reports", "0006_retention_figures")]

    operations = [migrations.RunSQL(FORWARD, BACKWARD)]
