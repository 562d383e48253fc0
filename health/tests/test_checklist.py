"""The checklist: washing, disinfection, vaccinations and examinations, and bad input that
is refused with a clear error and changes nothing."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from health import services
from health.models import Disease, StayAdjustment, Vaccination, Vaccine
from health.tests.helpers import admitted, checked_person, household_of
from people.audit import AuditEntry


def smallpox() -> Vaccine:
    return Vaccine.objects.get(code="smallpox")


def vaccinate(personas, person, **overrides):
    values = {
        "user": personas["medical-onsong"],
        "person": person,
        "vaccine": smallpox(),
        "dose": 1,
        "lot_number": "NH-61-0042",
        "given_on": services.open_stay_of(person).started_on,
    }
    values.update(overrides)
    return services.record_vaccination(**values)


def test_a_vaccination_records_vaccine_dose_lot_officer_and_date(personas) -> None:
    person = admitted(personas, days_ago=3)
    vaccination = vaccinate(personas, person)
    assert (vaccination.dose, vaccination.lot_number, vaccination.given_by) == (
        1,
        "NH-61-0042",
        personas["medical-onsong"],
    )
    assert AuditEntry.objects.filter(object_type="health.Vaccination").count() == 1


def test_a_vaccination_date_before_arrival_is_refused(personas) -> None:
    person = admitted(personas, days_ago=3)
    before = person.created_at.date() - dt.timedelta(days=2)
    with pytest.raises(ValidationError, match="before the arrival"):
        vaccinate(personas, person, given_on=before)
    assert not Vaccination.objects.exists()


def test_a_vaccination_in_the_future_is_refused(personas) -> None:
    person = admitted(personas, days_ago=3)
    with pytest.raises(ValidationError, match="future"):
        vaccinate(personas, person, given_on=dt.date.today() + dt.timedelta(days=3))
    assert not Vaccination.objects.exists()


def test_a_dose_for_a_person_not_in_quarantine_is_refused(personas) -> None:
    person = checked_person(personas.onsong)
    with pytest.raises(ValidationError, match="not in quarantine"):
        services.record_vaccination(
            user=personas["medical-onsong"],
            person=person,
            vaccine=smallpox(),
            dose=1,
            lot_number="NH-1",
            given_on=dt.date.today(),
        )
    assert not Vaccination.objects.exists()


def test_the_same_dose_twice_and_a_missing_lot_are_refused(personas) -> None:
    person = admitted(personas, days_ago=3)
    vaccinate(personas, person)
    with pytest.raises(ValidationError, match="already recorded"):
        vaccinate(personas, person)
    with pytest.raises(ValidationError, match="lot number"):
        vaccinate(personas, person, dose=2, lot_number="  ")
    with pytest.raises(ValidationError, match="dose"):
        vaccinate(personas, person, dose=0)
    assert Vaccination.objects.count() == 1


def test_a_registrar_cannot_record_a_vaccination(personas) -> None:
    person = admitted(personas, days_ago=3)
    with pytest.raises(PermissionDenied):
        vaccinate(personas, person, user=personas["registrar-onsong"])


def test_washing_is_recorded_once(personas) -> None:
    person = admitted(personas, days_ago=3)
    services.record_hygiene(user=personas["medical-onsong"], person=person, step="wash")
    with pytest.raises(ValidationError, match="already recorded"):
        services.record_hygiene(user=personas["medical-onsong"], person=person, step="wash")
    checklist = services.checklist_of(services.open_stay_of(person))
    assert checklist.washed and not checklist.disinfected


def test_a_contagious_member_extends_the_whole_households_stay(personas) -> None:
    members = household_of(personas.onsong, 3, days_ago=5)
    services.admit(
        user=personas["medical-onsong"],
        person=members[0],
        started_on=dt.date.today() - dt.timedelta(days=4),
    )
    before = {m.pk: services.open_stay_of(m).planned_end for m in members}
    typhus = Disease.objects.get(icd10="A75.0")
    services.record_examination(
        user=personas["medical-onsong"],
        person=members[2],
        fitness="not_fit",
        contagious=True,
        disease=typhus,
        findings="Rash, fever 39.5, lice",
    )
    found = dt.date.today()
    for member in members:
        stay = services.open_stay_of(member)
        assert stay.planned_end == found + dt.timedelta(days=14) > before[member.pk]
    assert StayAdjustment.objects.filter(kind="household").count() == 3


def test_a_person_alone_found_contagious_is_extended_alone(personas) -> None:
    person = admitted(personas, days_ago=4)
    other = admitted(personas, days_ago=4)
    services.record_examination(
        user=personas["medical-onsong"], person=person, fitness="light", contagious=True
    )
    assert services.open_stay_of(person).planned_end == dt.date.today() + dt.timedelta(14)
    assert not StayAdjustment.objects.filter(stay__person=other).exists()


def test_a_disease_without_a_contagious_finding_is_refused(personas) -> None:
    person = admitted(personas, days_ago=4)
    with pytest.raises(ValidationError):
        services.record_examination(
            user=personas["medical-onsong"],
            person=person,
            fitness="heavy",
            contagious=False,
            disease=Disease.objects.get(icd10="A00"),
        )


def test_only_a_medical_officer_changes_the_planned_end(personas) -> None:
    person = admitted(personas, days_ago=4)
    with pytest.raises(PermissionDenied):
        services.adjust_stay(
            user=personas["admin"], person=person, new_end=dt.date.today(), reason="x"
        )
    stay = services.open_stay_of(person)
    with pytest.raises(ValidationError, match="after it began"):
        services.adjust_stay(
            user=personas["medical-onsong"],
            person=person,
            new_end=stay.started_on,
            reason="typo",
        )
    assert not StayAdjustment.objects.exists()
