"""Indexes the situation report reads alone, at a million persons:

- a person's station and birth date by id, for the day's steps and the travel passes joined
  to their holder's station (each looked up in the index instead of the table);
- each person's first arrival (the step out of no state), for "arrived by the day" in the
  higher-education count (0.56 s through the steps of each person, 0.04 s from this).
"""

from django.db import migrations

FORWARD = [
    "CREATE INDEX IF NOT EXISTS reports_person_lookup "
    "ON people_person (id, station_id, birth_date)",
    "CREATE INDEX IF NOT EXISTS reports_first_arrival "
    "ON people_journeytransition (person_id, at) WHERE from_state = ''",
]
BACKWARD = [
    "DROP INDEX IF EXISTS reports_person_lookup",
    "DROP INDEX IF EXISTS reports_first_arrival",
]


class Migration(migrations.Migration):
    dependencies = [
        ("reports", "0007_step_placed_index"),
        ("people", "0013_person_station_newest"),
    ]

    operations = [migrations.RunSQL(FORWARD, BACKWARD)]
