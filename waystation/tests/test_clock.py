"""One clock: with the demo's day pinned, what a registrar registers is stamped with that day,
and the next steps accept it without anyone typing a date."""

import datetime as dt

import pytest

from people.models import Crossing, JourneyTransition
from people.tests.factories import registration_form
from waystation import clock

pytestmark = pytest.mark.django_db

DEMO_DAY = dt.date(1961, 11, 8)


def test_a_pinned_day_is_the_day_of_every_stamp_and_the_time_runs(personas, settings) -> None:
    settings.WAYSTATION_TODAY = "1961-11-08"
    assert clock.today() == DEMO_DAY
    assert clock.now().date() == DEMO_DAY
    settings.WAYSTATION_TODAY = ""
    assert clock.today().year >= 2026


def test_a_household_registered_on_the_demo_day_is_admitted_without_typing_a_date(
    personas, settings
) -> None:
    settings.WAYSTATION_TODAY = "1961-11-08"
    client = personas.client_for("registrar-onsong")
    response = client.post(
        "/people/register/",
        registration_form(
            [
                {
                    "family_name_hangul": "박",
                    "given_name_hangul": "순이",
                    "sex": "F",
                    "birth_date": "1930-03-02",
                }
            ],
            personas.onsong.pk,
        ),
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    crossing = Crossing.objects.latest("id")
    person = crossing.person
    assert clock.local_date(person.created_at) == DEMO_DAY
    assert clock.local_date(crossing.crossed_at) == DEMO_DAY
    assert {
        clock.local_date(step.at) for step in JourneyTransition.objects.filter(person=person)
    } == {DEMO_DAY}
