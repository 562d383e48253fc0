"""The health demo data: stays for the people in and past quarantine, and the autumn 1961
outbreaks in Kilju and Onsong counties that the cable reports."""

import datetime as dt

import pytest
from django.db import transaction
from django.db.models import Count

from health.demo import CABLE_DATE
from health.models import Clearance, DiseaseCase, QuarantineStay, Vaccination
from health.queries import alerts, board
from people.demo.loader import load_demo
from people.models import Person
from people.states import JourneyState as S
from stations.models import Station


@pytest.fixture(scope="module")
def loaded(django_db_setup, django_db_blocker):
    # people's loader runs the health loader (registered in HealthConfig.ready()); all of it
    # is rolled back afterwards so the next tests find the database as it was.
    with django_db_blocker.unblock():
        outer = transaction.atomic()
        outer.__enter__()
        try:
            yield load_demo(2000, 1961)
        finally:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)


@pytest.fixture
def demo(loaded, db):
    return loaded


def test_everyone_in_quarantine_has_an_open_stay(demo) -> None:
    in_quarantine = Person.objects.filter(state=S.IN_QUARANTINE).count()
    assert in_quarantine > 0
    assert QuarantineStay.objects.filter(status="open").count() == in_quarantine
    assert demo["quarantine stays"] == QuarantineStay.objects.count()


def test_cleared_people_have_a_clearance_and_their_vaccinations(demo) -> None:
    cleared = QuarantineStay.objects.filter(status="cleared")
    assert cleared.count() > 0
    assert Clearance.objects.count() == cleared.count()
    assert Vaccination.objects.filter(stay__status="cleared").count() == 3 * cleared.count()


def test_the_outbreaks_of_kilju_and_onsong_raise_alerts_on_the_cable_date(demo) -> None:
    counties = dict(
        DiseaseCase.objects.filter(onset_date__gte=dt.date(1961, 10, 1))
        .values_list("county")
        .annotate(n=Count("id"))
    )
    assert counties["Kilju County"] >= 50 and counties["Onsong County"] >= 40
    raised = {
        (a.disease.split(" (")[0], a.county) for a in alerts(DiseaseCase.objects.all(), CABLE_DATE)
    }
    assert ("Epidemic louse-borne typhus", "Kilju County") in raised
    assert ("Shigellosis", "Onsong County") in raised
    assert not DiseaseCase.objects.filter(onset_date__gt=CABLE_DATE).exists()


def test_the_onsong_board_on_the_cable_date(demo) -> None:
    onsong = Station.objects.get(code="onsong")
    result = board(onsong, CABLE_DATE)
    assert result.in_quarantine > 0 and result.beds.occupied <= result.beds.capacity
    assert all(1 <= row.day <= 16 for row in result.rows)


def test_households_with_a_contagious_member_stay_together(demo) -> None:
    from health.models import StayAdjustment

    contagious = StayAdjustment.objects.filter(stay__household__isnull=False)
    assert contagious.exists()
    for adjustment in contagious.select_related("stay"):
        ends = QuarantineStay.objects.filter(
            household_id=adjustment.stay.household_id, status="open"
        ).values_list("planned_end", flat=True)
        assert all(end >= adjustment.new_end for end in ends)
