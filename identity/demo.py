"""Resident ID numbers for part of the demo registry, so the files check shows its
strongest evidence on demo data too."""

from __future__ import annotations

import random

from identity.engine.idnumber import make_resident_id
from people.models import DatePrecision, Person

# Counties of the Yanbian Korean Autonomous Prefecture (Jilin), where most of the people
# in the modelled case came from: Yanji, Tumen, Dunhua, Hunchun, Longjing, Helong,
# Wangqing, Antu.
REGION_CODES = ("222401", "222402", "222403", "222404", "222405", "222406", "222424", "222426")
SHARE_WITH_ID = 0.3
BATCH = 2_000


def give_resident_ids(seed: int, share: float = SHARE_WITH_ID) -> list[Person]:
    """Give a valid, distinct resident ID to about `share` of the persons with a full date
    of birth and none yet (each demo person is one person: no number is given twice)."""
    rng = random.Random(seed)
    used: set[str] = set(
        Person.objects.exclude(document_number="").values_list("document_number", flat=True)
    )
    persons = Person.objects.filter(
        document_number="", birth_date__isnull=False, birth_date_precision=DatePrecision.DAY
    ).order_by("pk")
    chosen: list[Person] = []
    for person in persons.iterator(chunk_size=BATCH):
        if rng.random() >= share:
            continue
        number = ""
        while not number or number in used:
            sequence = rng.randrange(500) * 2 + (1 if person.sex == "M" else 0)
            number = make_resident_id(rng.choice(REGION_CODES), person.birth_date, sequence)
        used.add(number)
        person.document_number = number
        chosen.append(person)
    Person.objects.bulk_update(chosen, ["document_number"], batch_size=BATCH)
    return chosen
