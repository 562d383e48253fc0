"""Admission: the stay length comes from the policy table, beds are assigned, households are
admitted together, and only the station's medical officer admits."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from health import services
from health.models import QuarantinePolicy, QuarantineStay
from health.queries import board
from health.tests.helpers import checked_person, household_of, sleeping_place
from identity.services import complete_files_check
from people.audit import AuditEntry
from people.states import JourneyState as S
from supplies import beds


def test_the_default_policy_is_fifteen_days_from_the_data(personas) -> None:
    rows = QuarantinePolicy.objects.filter(station__isnull=True)
    assert {(r.category, r.quarantine_days) for r in rows} == {
        ("border_crosser", 15),
        ("returning_compatriot", 15),
    }


def test_admission_starts_a_stay_with_a_bed_and_moves_the_person(personas) -> None:
    school = sleeping_place(personas.onsong)
    person = checked_person(personas.onsong)
    (stay,) = services.admit(user=personas["medical-onsong"], person=person)
    person.refresh_from_db()
    assert person.state == S.IN_QUARANTINE
    assert stay.planned_days == 15 and stay.planned_end == stay.started_on + dt.timedelta(15)
    # The bed is the supplies app's: one bed system for every page.
    assert beds.current_bed(person).place == school
    assert stay.admitted_by == personas["medical-onsong"]
    step = person.transitions.order_by("-id").first()
    assert (step.from_state, step.to_state, step.by_role) == (
        S.IDENTITY_CHECKED,
        S.IN_QUARANTINE,
        "medical_officer",
    )
    assert AuditEntry.objects.filter(person=person, object_type="health.QuarantineStay").exists()


def test_a_station_policy_overrides_the_default(personas) -> None:
    QuarantinePolicy.objects.create(
        category="border_crosser",
        station=personas.musan,
        quarantine_days=21,
        contagious_extension_days=7,
    )
    musan = checked_person(personas.musan)
    onsong = checked_person(personas.onsong)
    (musan_stay,) = services.admit(user=personas["medical-musan"], person=musan)
    (onsong_stay,) = services.admit(user=personas["medical-onsong"], person=onsong)
    assert (musan_stay.planned_days, onsong_stay.planned_days) == (21, 15)


def test_the_policy_table_refuses_a_second_default_for_a_category(personas) -> None:
    with pytest.raises(IntegrityError), transaction.atomic():
        QuarantinePolicy.objects.create(
            category="border_crosser", quarantine_days=10, contagious_extension_days=0
        )


@pytest.mark.parametrize("name", ["registrar-onsong", "medical-musan", "admin", "auditor"])
def test_only_the_stations_medical_officer_admits(personas, name) -> None:
    person = checked_person(personas.onsong)
    with pytest.raises(PermissionDenied):
        services.admit(user=personas[name], person=person)
    person.refresh_from_db()
    assert person.state == S.IDENTITY_CHECKED and not QuarantineStay.objects.exists()


def test_a_person_before_the_files_check_is_not_admitted(personas) -> None:
    person = checked_person(personas.onsong, state=S.REGISTERED)
    with pytest.raises(ValidationError, match="files check"):
        services.admit(user=personas["medical-onsong"], person=person)
    assert not QuarantineStay.objects.exists()


def test_an_admission_date_before_arrival_or_in_the_future_is_refused(personas) -> None:
    person = checked_person(personas.onsong, days_ago=3)
    for day in (
        timezone.localdate() - dt.timedelta(days=10),
        timezone.localdate() + dt.timedelta(1),
    ):
        with pytest.raises(ValidationError):
            services.admit(user=personas["medical-onsong"], person=person, started_on=day)
    assert not QuarantineStay.objects.exists()


def test_a_household_is_admitted_together(personas) -> None:
    sleeping_place(personas.onsong, 2)
    school = sleeping_place(personas.onsong, 5)
    members = household_of(personas.onsong, 3)
    stays = services.admit(user=personas["medical-onsong"], person=members[1])
    assert len(stays) == 3
    # Together in the one place with room for all three.
    assert {beds.current_bed(m).place for m in members} == {school}
    assert {s.started_on for s in stays} == {timezone.localdate()}
    for member in members:
        member.refresh_from_db()
        assert member.state == S.IN_QUARANTINE


def test_a_member_not_through_the_files_check_holds_the_household_back(personas) -> None:
    members = household_of(personas.onsong, 2, states=[S.IDENTITY_CHECKED, S.REGISTERED])
    with pytest.raises(ValidationError, match="admitted together"):
        services.admit(user=personas["medical-onsong"], person=members[0])
    assert not QuarantineStay.objects.exists()
    stays = services.admit(
        user=personas["medical-onsong"],
        person=members[0],
        split_reason="Grandmother held at the county hospital",
    )
    assert [s.person_id for s in stays] == [members[0].pk]
    assert members[0].transitions.order_by("-id").first().reason.startswith("Grandmother")


def test_when_beds_run_out_people_are_admitted_without_one(personas) -> None:
    sleeping_place(personas.onsong, 2)
    members = household_of(personas.onsong, 3)
    stays = services.admit(user=personas["medical-onsong"], person=members[0])
    assert len(stays) == 3
    assert sum(beds.current_bed(m) is not None for m in members) == 2
    result = board(personas.onsong, services.clock.today())
    assert (result.beds.free, result.without_bed) == (0, 1)


def test_a_person_has_one_open_stay(personas) -> None:
    (stay,) = services.admit(
        user=personas["medical-onsong"], person=checked_person(personas.onsong)
    )
    with pytest.raises(IntegrityError), transaction.atomic():
        QuarantineStay.objects.create(
            person=stay.person,
            station=personas.onsong,
            started_on=stay.started_on,
            planned_days=15,
            planned_end=stay.planned_end,
        )


def test_an_administrator_sets_a_station_policy_in_the_admin_site(personas) -> None:
    admin_user = personas["admin"]
    admin_user.is_staff = admin_user.is_superuser = True
    admin_user.save()
    client = personas.client_for("admin")
    response = client.post(
        "/admin/health/quarantinepolicy/add/",
        {
            "category": "returning_compatriot",
            "station": personas.musan.pk,
            "quarantine_days": 10,
            "contagious_extension_days": 7,
        },
    )
    assert response.status_code == 302
    person = checked_person(personas.musan, category="returning_compatriot")
    (stay,) = services.admit(user=personas["medical-musan"], person=person)
    assert stay.planned_days == 10


def test_a_person_who_left_during_quarantine_and_came_back_starts_a_new_stay(personas) -> None:
    from people import services as people_services

    person = checked_person(personas.onsong, days_ago=30)
    (first,) = services.admit(
        user=personas["medical-onsong"],
        person=person,
        started_on=timezone.localdate() - dt.timedelta(days=20),
    )
    registrar = personas["registrar-onsong"]
    for direction in ("out", "in"):
        people_services.record_crossing(
            user=registrar,
            person=person,
            station=personas.onsong,
            direction=direction,
            crossed_at=timezone.now(),
        )
    people_services.register_arrival(user=registrar, person=person)
    complete_files_check(user=registrar, person=person)
    (second,) = services.admit(user=personas["medical-onsong"], person=person)
    first.refresh_from_db()
    assert (first.status, second.status) == ("ended", "open")
    assert first.closed_on == timezone.localdate()  # ended when the person went back out


def test_a_crossing_back_out_ends_the_open_stay_at_once(personas) -> None:
    from people import services as people_services

    person = checked_person(personas.onsong, days_ago=10)
    (stay,) = services.admit(
        user=personas["medical-onsong"],
        person=person,
        started_on=timezone.localdate() - dt.timedelta(days=4),
    )
    people_services.record_crossing(
        user=personas["registrar-onsong"],
        person=person,
        station=personas.onsong,
        direction="out",
        crossed_at=timezone.now(),
    )
    stay.refresh_from_db()
    assert (stay.status, stay.closed_on) == ("ended", timezone.localdate())
