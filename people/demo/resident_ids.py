"""Resident ID numbers for part of the demo population, drawn with the plan in this process
(so no number is given twice), and written with the people by the workers, so that the
files check keys them with everything else."""

import random

from identity.engine.idnumber import make_resident_id
from people.demo.generate import DemoHousehold

# Counties of the Yanbian Korean Autonomous Prefecture (Jilin), where most of the people
# in the modelled case came from: Yanji, Tumen, Dunhua, Hunchun, Longjing, Helong,
# Wangqing, Antu.
REGION_CODES = ("222401", "222402", "222403", "222404", "222405", "222406", "222424", "222426")
SHARE_WITH_ID = 0.3


def give_resident_ids(
    households: list[DemoHousehold], seed: int, share: float = SHARE_WITH_ID
) -> int:
    """Give a valid, distinct resident ID to about `share` of the persons with a full date
    of birth; returns how many got one."""
    rng = random.Random(seed + 18)
    used: set[str] = set()
    for household in households:
        for person in household.members:
            if person.birth_precision != "day" or rng.random() >= share:
                continue
            number = ""
            while not number or number in used:
                sequence = rng.randrange(500) * 2 + (1 if person.sex == "M" else 0)
                number = make_resident_id(rng.choice(REGION_CODES), person.birth_date, sequence)
            used.add(number)
            person.document_number = number
    return len(used)
