import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.utils import timezone

from people.states import JourneyState
from people.tests.factories import PersonFactory
from people.tests.personas import assert_access
from supplies import passes
from supplies.models import AbsencePass
from supplies.passes import PassRefused


def test_check_out_and_back_in(personas) -> None:
    clerk = personas["supplies-onsong"]
    person = PersonFactory(station=personas.onsong)
    issued = passes.check_out(user=clerk, person=person, reason="Visiting family in Hoeryong")
    with pytest.raises(PassRefused, match="already checked out"):
        passes.check_out(user=clerk, person=person, reason="again")
    with pytest.raises(IntegrityError), transaction.atomic():
        AbsencePass.objects.create(
            person=person, station=personas.onsong, left_at=timezone.now(), reason="x"
        )
    back = passes.check_in(user=clerk, person=person)
    assert back.pk == issued.pk and back.returned_at >= back.left_at
    with pytest.raises(PassRefused, match="not checked out"):
        passes.check_in(user=clerk, person=person)


def test_a_pass_needs_a_reason_and_a_person_at_the_station(personas) -> None:
    clerk = personas["supplies-onsong"]
    with pytest.raises(PassRefused, match="needs a reason"):
        passes.check_out(user=clerk, person=PersonFactory(station=personas.onsong), reason=" ")
    gone = PersonFactory(station=personas.onsong, state=JourneyState.AT_WORK)
    with pytest.raises(PassRefused, match="not at the station"):
        passes.check_out(user=clerk, person=gone, reason="Visit")
    with pytest.raises(PermissionDenied):
        passes.check_out(
            user=personas["supplies-musan"],
            person=PersonFactory(station=personas.onsong),
            reason="Visit",
        )
    assert not AbsencePass.objects.exists()


def test_away_more_than_five_days_is_flagged(personas) -> None:
    clerk = personas["supplies-onsong"]
    now = timezone.now()
    long_gone = PersonFactory(station=personas.onsong, given_name_hangul="오래")
    recent = PersonFactory(station=personas.onsong, given_name_hangul="최근")
    passes.check_out(user=clerk, person=long_gone, reason="Market", at=now - dt.timedelta(days=6))
    passes.check_out(user=clerk, person=recent, reason="Market", at=now - dt.timedelta(days=2))
    assert [p.person for p in passes.overdue(personas.onsong, now)] == [long_gone]
    page = personas.client_for("supplies-onsong").get("/supplies/stations/onsong/")
    assert 'data-testid="overdue"' in page.content.decode() and "오래" in page.content.decode()
    panel = personas.client_for("admin").get(f"/people/{long_gone.pk}/").content.decode()
    assert "away more than 5 days" in panel


def test_pass_pages_access(personas) -> None:
    person = PersonFactory(station=personas.onsong)
    assert_access(
        personas,
        f"/supplies/people/{person.pk}/pass/",
        allowed={"supplies-onsong", "admin"},
        method="post",
        data={"reason": "Visit"},
        allowed_status=(302,),
    )
    assert AbsencePass.objects.filter(person=person, returned_at__isnull=True).count() == 1
    personas.client_for("supplies-onsong").post(f"/supplies/people/{person.pk}/pass/return/")
    assert passes.open_pass(person) is None
