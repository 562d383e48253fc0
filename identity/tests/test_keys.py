"""Stored comparable forms: written when a person is registered, backfilled by a command."""

import datetime as dt

import pytest
from django.core.management import call_command

from identity.keys import key_hash
from identity.models import BlockingKey, PersonKeys
from people import services
from people.models import Person
from people.tests.factories import PersonFactory

pytestmark = pytest.mark.django_db


def test_registering_a_person_stores_every_name_form_and_the_blocking_keys(personas) -> None:
    person, _ = services.add_person(
        user=personas["registrar-onsong"],
        station=personas.onsong,
        data=services.PersonInput(
            family_name_hanzi="朴", given_name_hanzi="英哲", sex="M", birth_date=dt.date(1960, 3, 7)
        ),
    )
    keys = PersonKeys.objects.get(person=person)
    assert "박" in keys.forms["family_hangul"]
    assert "piao" in keys.forms["family_pinyin"]
    assert keys.forms["given_hangul"] == ["영철"]
    stored = set(BlockingKey.objects.filter(person=person).values_list("key_hash", flat=True))
    assert key_hash("hz:朴英哲") in stored
    assert key_hash("sd:박|19600307") in stored


def test_the_backfill_command_fills_persons_without_keys(personas) -> None:
    persons = PersonFactory.create_batch(3, station=personas.onsong)
    assert not PersonKeys.objects.exists()
    call_command("identity_keys", verbosity=0)
    assert PersonKeys.objects.filter(person__in=persons).count() == 3
    before = BlockingKey.objects.count()
    call_command("identity_keys", "--rebuild", verbosity=0)
    assert BlockingKey.objects.count() == before


def test_the_demo_loader_hook_stores_keys_for_loaded_people(personas) -> None:
    from identity.hooks import load_demo

    PersonFactory.create_batch(2, station=personas.onsong)
    counts = load_demo(1, 0.01)
    assert counts["identity_keys"] == 2 and 0 <= counts["resident_ids"] <= 2
    assert PersonKeys.objects.count() == 2
    with_id = Person.objects.exclude(document_number="")
    assert with_id.count() == counts["resident_ids"]
    for person in with_id:  # the keys were stored after the number was given
        doc = key_hash(f"doc:{person.document_number}")
        assert BlockingKey.objects.filter(person=person, key_hash=doc).exists()
