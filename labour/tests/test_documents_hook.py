"""A travel pass needs an active labour placement, and its route ends at the placement's
site; approval of a run makes the person ready for it."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from documents import services as documents
from documents.offices import set_up_province_offices
from labour.services.decisions import approve_run
from labour.services.runs import run_placement
from labour.tests.factories import SiteFactory, VacancyFactory, awaiting
from people.states import JourneyState
from people.tests.factories import PersonFactory
from people.tests.personas import PROVINCE

pytestmark = pytest.mark.django_db


@pytest.fixture
def offices(personas):
    return set_up_province_offices(
        province=PROVINCE,
        prefix="NH",
        stations=[personas.onsong, personas.musan],
        activated_on=dt.date(2020, 1, 1),
        province_names=("함경북도", "咸镜北道"),
    )


def _request(personas, offices, person):
    return documents.request_document(
        user=personas["labour"],
        person=person,
        document_type="TP",
        office=offices["NH-ONSONG"],
        destination="wherever",
    )


def test_travel_pass_is_refused_without_a_placement(personas, offices):
    placed_by_hand = PersonFactory(station=personas.onsong, state=JourneyState.PLACED)
    with pytest.raises(ValidationError, match="active labour placement"):
        _request(personas, offices, placed_by_hand)


def test_approved_placement_gives_the_travel_pass_its_destination(personas, offices):
    site = SiteFactory(name="Musan Mining Complex", county="Musan County")
    VacancyFactory(site=site, occupation="miner", slots=2)
    person = awaiting(personas.onsong)
    run = run_placement(user=personas["labour"], province=PROVINCE, station=personas.onsong)
    approve_run(user=personas["labour"], run=run)
    person.refresh_from_db()
    request = _request(personas, offices, person)
    assert request.destination == "Musan Mining Complex, Musan County"
    document = documents.issue_request(user=personas["documents"], request=request)
    assert document.scope.endswith("→ Musan Mining Complex, Musan County")


def test_approval_can_request_travel_passes_for_the_workers(personas, offices):
    from documents.models import DocumentRequest

    site = SiteFactory(name="Chongjin Steel Works", county="Chongjin City")
    VacancyFactory(site=site, occupation="machine operator", slots=3)
    worker = awaiting(personas.onsong)
    child = awaiting(personas.onsong, age=8, fitness=None)
    run = run_placement(user=personas["labour"], province=PROVINCE, station=personas.onsong)
    outcome = approve_run(user=personas["labour"], run=run, request_travel_passes=True)
    assert outcome["passes_requested"] == 1 and outcome["passes_refused"] == 0
    request = DocumentRequest.objects.get(person=worker)
    assert request.destination == "Chongjin Steel Works, Chongjin City"
    assert request.office == offices["NH-ONSONG"]
    assert not DocumentRequest.objects.filter(person=child).exists()
