"""The daily step counts stay exact when the demo loader writes steps without the trigger."""

import pytest

from people import services as people_services
from people.demo.loader import load_demo
from people.models import JourneyTransition, Person
from people.states import JourneyState as S
from reports.tests.test_step_counts import _direct, _kept
from stations.models import StaffProfile, Station


@pytest.mark.django_db
def test_counts_after_a_demo_load_match_the_steps_and_the_trigger_counts_again() -> None:
    load_demo(400, seed=11)
    ids = list(Station.objects.values_list("pk", flat=True))
    assert _kept(ids) == _direct(ids)
    assert sum(_kept(ids).values()) == JourneyTransition.objects.count()

    person = Person.objects.filter(state=S.AWAITING_PLACEMENT).first()
    admin = StaffProfile.objects.select_related("user").get(user__username="admin")
    people_services.override(
        user=admin.user, person=person, target=S.LEFT_JOB, reason="Left before placement"
    )

    assert _kept(ids) == _direct(ids)
