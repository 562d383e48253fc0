"""The demo tables' columns, in the order the row builders write them."""

PERSON_COLUMNS = (
    "id",
    "client_uuid",
    "submission_hash",
    "family_name_hangul",
    "given_name_hangul",
    "family_name_hanzi",
    "given_name_hanzi",
    "family_name_latin",
    "given_name_latin",
    "sex",
    "birth_date",
    "birth_date_precision",
    "place_of_origin",
    "education_level",
    "education_years",
    "occupation",
    "languages",
    "category",
    "household_id",
    "station_id",
    "state",
    "state_changed_at",
    "registered_by_id",
    "created_at",
    "version",
    "document_number",
)
HOUSEHOLD_COLUMNS = (
    "id",
    "client_uuid",
    "submission_hash",
    "station_id",
    "head_id",
    "registered_by_id",
    "created_at",
)
NAME_COLUMNS = ("person_id", "form", "value")
TRANSITION_COLUMNS = (
    "person_id",
    "from_state",
    "to_state",
    "by_id",
    "by_role",
    "at",
    "reason",
    "is_override",
)
CROSSING_COLUMNS = (
    "client_uuid",
    "submission_hash",
    "person_id",
    "station_id",
    "direction",
    "crossed_at",
    "note",
    "recorded_by_id",
    "created_at",
)


COLUMNS = {
    "household": HOUSEHOLD_COLUMNS,
    "person": PERSON_COLUMNS,
    "name": NAME_COLUMNS,
    "transition": TRANSITION_COLUMNS,
    "crossing": CROSSING_COLUMNS,
}
