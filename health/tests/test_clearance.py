"""Clearance is a recorded decision, only with the checklist complete and the stay over; the
journey refuses medical clearance (and so placement) without it, unless overridden."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from health import services
from health.models import Clearance, QuarantineStay
from health.tests.helpers import admitted, complete_checklist
from people import services as people_services
from people.audit import AuditEntry
from people.journey import TransitionRefused
from people.states import JourneyState as S


def test_clearance_with_complete_checklist_after_the_stay_moves_the_person(personas) -> None:
    person = admitted(personas, days_ago=16)
    complete_checklist(personas, person)
    clearance = services.clear(user=personas["medical-onsong"], person=person, notes="Well")
    person.refresh_from_db()
    stay = QuarantineStay.objects.get(person=person)
    assert person.state == S.MEDICALLY_CLEARED
    assert stay.status == "cleared" and stay.closed_on is not None
    assert clearance.fitness == "heavy" and clearance.decided_by == personas["medical-onsong"]
    step = person.transitions.order_by("-id").first()
    assert (step.to_state, step.is_override) == (S.MEDICALLY_CLEARED, False)


def test_a_second_clearance_is_refused_and_changes_nothing(personas) -> None:
    person = admitted(personas, days_ago=16)
    complete_checklist(personas, person)
    services.clear(user=personas["medical-onsong"], person=person)
    audits = AuditEntry.objects.count()
    with pytest.raises(ValidationError, match="Already cleared"):
        services.clear(user=personas["medical-onsong"], person=person)
    assert Clearance.objects.count() == 1 and AuditEntry.objects.count() == audits


def test_clearance_lists_what_is_missing(personas) -> None:
    person = admitted(personas, days_ago=16)
    with pytest.raises(ValidationError) as refused:
        services.clear(user=personas["medical-onsong"], person=person)
    message = " ".join(refused.value.messages)
    for item in ("washing", "disinfection", "Smallpox", "medical examination"):
        assert item in message
    person.refresh_from_db()
    assert person.state == S.IN_QUARANTINE and not Clearance.objects.exists()


def test_clearance_waits_for_the_end_of_the_stay(personas) -> None:
    person = admitted(personas, days_ago=5)
    complete_checklist(personas, person)
    with pytest.raises(ValidationError, match="The stay ends on"):
        services.clear(user=personas["medical-onsong"], person=person)
    assert not Clearance.objects.exists()


def test_shortening_the_stay_with_a_reason_allows_an_earlier_clearance(personas) -> None:
    person = admitted(personas, days_ago=5)
    complete_checklist(personas, person)
    with pytest.raises(ValidationError, match="reason"):
        services.adjust_stay(
            user=personas["medical-onsong"], person=person, new_end=dt.date.today(), reason=" "
        )
    services.adjust_stay(
        user=personas["medical-onsong"],
        person=person,
        new_end=services.open_stay_of(person).started_on + dt.timedelta(days=5),
        reason="Vaccinated in Yanji before crossing; papers seen",
    )
    services.clear(user=personas["medical-onsong"], person=person)
    person.refresh_from_db()
    assert person.state == S.MEDICALLY_CLEARED


def test_a_contagious_last_examination_blocks_clearance(personas) -> None:
    person = admitted(personas, days_ago=30)
    complete_checklist(personas, person)
    services.record_examination(
        user=personas["medical-onsong"], person=person, fitness="not_fit", contagious=True
    )
    with pytest.raises(ValidationError, match="contagious"):
        services.clear(user=personas["medical-onsong"], person=person)


def test_clearance_cannot_be_forced_past_the_checklist(personas) -> None:
    person = admitted(personas, days_ago=16)
    complete_checklist(personas, person)
    with pytest.raises(TransitionRefused, match="clearance needs the checklist"):
        people_services.override(
            user=personas["admin"],
            person=person,
            target=S.MEDICALLY_CLEARED,
            reason="Examined at Chongjin hospital; papers follow",
        )
    person.refresh_from_db()
    assert person.state == S.IN_QUARANTINE
    assert AuditEntry.objects.filter(person=person, action="refused").exists()


def test_placement_is_refused_while_in_quarantine(personas) -> None:
    person = admitted(personas, days_ago=16)
    with pytest.raises(TransitionRefused, match="placement run"):
        people_services.override(
            user=personas["labour"], person=person, target=S.PLACED, reason="The mine waits"
        )


def test_an_override_out_of_quarantine_ends_the_stay_and_is_audited(personas) -> None:
    person = admitted(personas, days_ago=3)
    people_services.override(
        user=personas["admin"],
        person=person,
        target=S.AWAITING_PLACEMENT,
        reason="Sent to the county hospital's own quarantine; papers follow",
    )
    person.refresh_from_db()
    assert person.state == S.AWAITING_PLACEMENT
    assert AuditEntry.objects.get(person=person, action="override").reason.startswith("Sent")
    # nobody outside quarantine holds an open stay
    assert services.open_stay_of(person) is None


@pytest.mark.parametrize("name", ["registrar-onsong", "admin", "medical-musan", "labour"])
def test_only_the_stations_medical_officer_clears(personas, name) -> None:
    from django.core.exceptions import PermissionDenied

    person = admitted(personas, days_ago=16)
    complete_checklist(personas, person)
    with pytest.raises(PermissionDenied):
        services.clear(user=personas[name], person=person)
    assert not Clearance.objects.exists()
