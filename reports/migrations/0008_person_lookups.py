"""Indexes the situation report and the dashboard read alone, at a million persons:

- a person's station and birth date by id, for the day's steps, the departures and the travel
  passes joined to their holder's station (looked up in the index instead of the table);
- each person's first arrival (the step out of no state), for "arrived by the day" in the
  higher-education count (0.56 s through the steps of each person on PostgreSQL, 0.04 s);
- the partial indexes of departures, placements and educated people again with the columns
  their condition names: SQLite reads a partial index alone only when it holds every column
  the query mentions, the condition's too, and read the 74,000 departures' rows from the
  table (0.38 s of the situation report). The educated people's holds their id as well, for
  PostgreSQL to count them from it alone (0.11 s to 0.02 s).
"""

from django.db import migrations

FORWARD = [
    "CREATE INDEX IF NOT EXISTS reports_person_lookup "
    "ON people_person (id, station_id, birth_date)",
    "CREATE INDEX IF NOT EXISTS reports_first_arrival "
    "ON people_journeytransition (person_id, at, from_state) WHERE from_state = ''",
    "DROP INDEX IF EXISTS reports_step_left_job",
    "CREATE INDEX reports_step_left_job "
    "ON people_journeytransition (at, person_id, reason, to_state) WHERE to_state = 'left_job'",
    "DROP INDEX IF EXISTS reports_step_placed",
    "CREATE INDEX reports_step_placed "
    "ON people_journeytransition (at, person_id, to_state) WHERE to_state = 'placed'",
    "DROP INDEX IF EXISTS reports_person_educated",
    "CREATE INDEX reports_person_educated "
    "ON people_person (station_id, education_level, education_years, id) "
    "WHERE education_years >= 3 AND education_level IN ('university', 'technical')",
]
BACKWARD = [
    "DROP INDEX IF EXISTS reports_person_lookup",
    "DROP INDEX IF EXISTS reports_first_arrival",
    "DROP INDEX IF EXISTS reports_step_left_job",
    "CREATE INDEX reports_step_left_job "
    "ON people_journeytransition (at, person_id, reason) WHERE to_state = 'left_job'",
    "DROP INDEX IF EXISTS reports_step_placed",
    "CREATE INDEX reports_step_placed "
    "ON people_journeytransition (at, person_id) WHERE to_state = 'placed'",
    "DROP INDEX IF EXISTS reports_person_educated",
    "CREATE INDEX reports_person_educated ON people_person (station_id) "
    "WHERE education_years >= 3 AND education_level IN ('university', 'technical')",
]


class Migration(migrations.Migration):
    dependencies = [
        ("reports", "0007_step_placed_index"),
        ("people", "0013_person_station_newest"),
    ]

    operations = [migrations.RunSQL(FORWARD, BACKWARD)]
