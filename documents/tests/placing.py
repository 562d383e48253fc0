"""People placed in work (at the Chongjin steel works, 청진 제철소 <id>, 청진시), with the labour placement a travel pass needs when the labour app
is installed (documents never imports labour outside tests)."""

from typing import Any

from django.apps import apps

from people.models import Person
from people.states import JourneyState
from people.tests.factories import PersonFactory


def placed_person(station: Any, state: str = JourneyState.PLACED, **fields: Any) -> Person:
    person = PersonFactory(station=station, state=state, **fields)
    if apps.is_installed("labour"):
        from labour.tests.factories import SiteFactory, place

        site = SiteFactory(name=f"청진 제철소 {person.pk}", county="청진시")
        place(person, site=site)
    return person
