"""The crossing tally's trigger set aside while the demo registry is bulk written
(waystation.triggers): a million persons' crossings are tallied once afterwards."""

from contextlib import AbstractContextManager

from waystation.triggers import set_aside

COUNTED = (
    (
        "identity_tally_crossing",
        "people_crossing",
        """
    INSERT INTO identity_crossingtally (person_id, n)
    SELECT person_id, count(*) FROM people_crossing WHERE id > %s AND direction = 'in'
     GROUP BY 1
    ON CONFLICT (person_id) DO UPDATE SET n = n + excluded.n
""",
    ),
)


def counted_once_afterwards() -> AbstractContextManager[None]:
    return set_aside(COUNTED)
