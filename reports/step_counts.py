"""The step counting trigger set aside while the demo registry is bulk
written (waystation.triggers): the ten million steps of a million-person demo are counted
once afterwards."""

from contextlib import AbstractContextManager

from waystation.triggers import set_aside

# (trigger set aside, the table it counts in, the statement counting rows after an id once)
COUNTED = (
    (
        "reports_count_step",
        "people_journeytransition",
        """
    INSERT INTO reports_stepcount (day, station_id, from_state, to_state, slot, n)
    SELECT date(t.at), p.station_id, t.from_state, t.to_state, 0, count(*)
      FROM people_journeytransition t JOIN people_person p ON p.id = t.person_id
     WHERE t.id > %s
     GROUP BY 1, 2, 3, 4
    ON CONFLICT (day, station_id, from_state, to_state, slot) DO UPDATE SET n = n + excluded.n
""",
    ),
)


def counted_once_afterwards() -> AbstractContextManager[None]:
    return set_aside(COUNTED)
