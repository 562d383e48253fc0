"""The demo loader derives the files-check keys in its workers; they must be the keys the
registration path stores for the same person, or the check would miss demo records."""

import pytest

from identity.keys import store_keys
from identity.models import BlockingKey, PersonKeys
from people.demo.loader import load_demo
from people.models import Person


def _keys_of(ids: list[int]) -> tuple[set, dict]:
    blocks = set(
        BlockingKey.objects.filter(person_id__in=ids).values_list("person_id", "key_hash", "family")
    )
    forms = dict(PersonKeys.objects.filter(person_id__in=ids).values_list("person_id", "forms"))
    return blocks, forms


@pytest.mark.django_db
def test_every_demo_person_has_the_keys_registration_would_store() -> None:
    load_demo(300, seed=2)
    assert PersonKeys.objects.count() == Person.objects.count() == 300
    sample = list(Person.objects.order_by("?")[:25])
    ids = [person.pk for person in sample]
    demo_blocks, demo_forms = _keys_of(ids)
    assert len(demo_blocks) > 20 * len(ids)

    store_keys(sample)

    assert _keys_of(ids) == (demo_blocks, demo_forms)
