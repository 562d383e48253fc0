import datetime as dt
import uuid

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from identity.services import complete_files_check
from people import journey, services
from people.audit import AuditEntry
from people.models import Crossing, Household, JourneyTransition, Person
from people.states import JourneyState as S
from people.tests.factories import PersonFactory


def member(**overrides: object) -> services.PersonInput:
    values = dict(
        family_name_hangul="안",
        given_name_hangul="재수",
        family_name_hanzi="安",
        given_name_hanzi="在秀",
        family_name_latin="An",
        given_name_latin="Jae-su",
        sex="M",
        birth_date=dt.date(1931, 5, 4),
    )
    values.update(overrides)
    return services.PersonInput(**values)


def test_registering_a_household_registers_every_member_with_history_and_audit(personas) -> None:
    household, created = services.register_household(
        user=personas["registrar-onsong"],
        station=personas.onsong,
        members=[
            member(),
            member(given_name_hangul="영희", sex="F", given_name_latin="Yeong-hui"),
            member(given_name_hangul="철", birth_date=dt.date(1955, 1, 1)),
        ],
        head_index=0,
    )
    assert created
    members = list(household.members.order_by("id"))
    assert len(members) == 3 and household.head == members[0]
    for person in members:
        # nobody on file resembles them: the files check passes them at once
        assert person.state == S.IDENTITY_CHECKED and person.station == personas.onsong
        steps = list(person.transitions.values_list("from_state", "to_state"))
        assert steps == [
            ("", S.ARRIVED),
            (S.ARRIVED, S.REGISTERED),
            (S.REGISTERED, S.IDENTITY_CHECKED),
        ]
        assert person.crossings.get().direction == Crossing.Direction.IN
        assert AuditEntry.objects.filter(person=person, action="create").exists()


def test_the_same_client_uuid_twice_stores_one_household(personas) -> None:
    key = uuid.uuid4()
    kwargs = dict(
        user=personas["registrar-onsong"],
        station=personas.onsong,
        members=[member()],
        client_uuid=key,
        crossed_at=timezone.now(),
    )
    first, created_first = services.register_household(**kwargs)
    again, created_again = services.register_household(**kwargs)
    assert created_first and not created_again and first.pk == again.pk
    assert Person.objects.count() == 1


def test_the_same_client_uuid_with_other_content_is_a_conflict(personas) -> None:
    key = uuid.uuid4()
    services.register_household(
        user=personas["registrar-onsong"],
        station=personas.onsong,
        members=[member()],
        client_uuid=key,
    )
    with pytest.raises(services.IdempotencyConflict):
        services.register_household(
            user=personas["registrar-onsong"],
            station=personas.onsong,
            members=[member(given_name_hangul="다른")],
            client_uuid=key,
        )
    assert Person.objects.count() == 1


@pytest.mark.parametrize(
    "bad, field",
    [
        (
            dict(
                family_name_hangul="",
                given_name_hangul="",
                family_name_hanzi="",
                given_name_hanzi="",
                family_name_latin="",
                given_name_latin="",
            ),
            "family_name_hangul",
        ),
        (dict(sex="Q"), "sex"),
        (dict(birth_date=dt.date(2999, 1, 1)), "birth_date"),
        (dict(birth_date=None), "birth_date"),
        (dict(education_years=99), "education_years"),
        (dict(given_name_latin="x" * 500), "given_name_latin"),
        (dict(given_name_hangul="재\x00수"), "given_name_hangul"),
        (dict(category="tourist"), "category"),
    ],
)
def test_bad_input_is_refused_per_field_and_changes_nothing(
    personas, bad: dict, field: str
) -> None:
    with pytest.raises(ValidationError) as error:
        services.register_household(
            user=personas["registrar-onsong"],
            station=personas.onsong,
            members=[member(), member(**bad)],
        )
    assert any(field in message for message in error.value.message_dict["members.1"])
    assert Person.objects.count() == 0 and Household.objects.count() == 0


def test_unknown_birth_date_is_allowed_when_marked_unknown(personas) -> None:
    household, _ = services.register_household(
        user=personas["registrar-onsong"],
        station=personas.onsong,
        members=[member(birth_date=None, birth_date_precision="unknown")],
    )
    assert household.members.get().birth_date is None


def test_a_registrar_cannot_register_at_another_station(personas) -> None:
    with pytest.raises(PermissionDenied):
        services.register_household(
            user=personas["registrar-musan"], station=personas.onsong, members=[member()]
        )


@pytest.mark.parametrize(
    "name", ["medical-onsong", "labour", "documents", "auditor", "supplies-onsong"]
)
def test_only_registrars_and_administrators_register(personas, name: str) -> None:
    with pytest.raises(PermissionDenied):
        services.register_household(
            user=personas[name], station=personas.onsong, members=[member()]
        )


def test_the_files_check_takes_the_identity_step_and_audits_it(personas) -> None:
    person = PersonFactory(station=personas.onsong, state=S.REGISTERED)
    complete_files_check(user=personas["registrar-onsong"], person=person)
    person.refresh_from_db()
    assert person.state == S.IDENTITY_CHECKED and person.version == 2
    step = person.transitions.order_by("-id").first()
    assert (step.from_state, step.to_state, step.by, step.is_override) == (
        S.REGISTERED,
        S.IDENTITY_CHECKED,
        personas["registrar-onsong"],
        False,
    )
    assert AuditEntry.objects.filter(person=person, action="transition").count() == 1


def test_a_refused_step_changes_nothing_and_is_audited(personas) -> None:
    person = PersonFactory(station=personas.onsong, state=S.IN_QUARANTINE)
    with pytest.raises(journey.TransitionRefused):
        services.override(
            user=personas["labour"], person=person, target=S.PLACED, reason="The mine waits"
        )
    person.refresh_from_db()
    assert person.state == S.IN_QUARANTINE and person.transitions.count() == 1
    assert AuditEntry.objects.filter(person=person, action="refused").exists()


def test_an_override_with_reason_is_recorded_as_an_override(personas) -> None:
    person = PersonFactory(station=personas.onsong, state=S.MEDICALLY_CLEARED)
    services.override(
        user=personas["labour"],
        person=person,
        target=S.LEFT_JOB,
        reason="Left before placement; told the bureau by phone",
    )
    step = person.transitions.order_by("-id").first()
    assert step.is_override and step.reason == "Left before placement; told the bureau by phone"
    assert (
        AuditEntry.objects.get(person=person, action="override").reason
        == "Left before placement; told the bureau by phone"
    )


def test_a_registrar_of_another_station_cannot_take_a_persons_step(personas) -> None:
    person = PersonFactory(station=personas.onsong, state=S.REGISTERED)
    with pytest.raises(PermissionDenied):
        complete_files_check(user=personas["registrar-musan"], person=person)


def test_crossing_out_and_back_in_keeps_one_person_with_every_crossing(personas) -> None:
    person = PersonFactory(station=personas.onsong, state=S.AT_WORK)
    now = timezone.now()
    services.record_crossing(
        user=personas["registrar-onsong"],
        person=person,
        station=personas.onsong,
        direction="out",
        crossed_at=now - dt.timedelta(days=3),
    )
    person.refresh_from_db()
    assert person.state == S.RETURNED
    # Back through another station: that station's registrar may record it.
    services.record_crossing(
        user=personas["registrar-musan"],
        person=person,
        station=personas.musan,
        direction="in",
        crossed_at=now,
    )
    person.refresh_from_db()
    assert person.state == S.ARRIVED and person.station == personas.musan
    assert list(person.crossings.order_by("crossed_at").values_list("direction", flat=True)) == [
        "out",
        "in",
    ]


def test_a_crossing_in_the_future_is_refused(personas) -> None:
    person = PersonFactory(station=personas.onsong)
    with pytest.raises(ValidationError):
        services.record_crossing(
            user=personas["registrar-onsong"],
            person=person,
            station=personas.onsong,
            direction="out",
            crossed_at=timezone.now() + dt.timedelta(days=2),
        )
    assert not Crossing.objects.exists()


def test_override_reason_is_enforced_by_the_database(personas) -> None:
    from django.db import IntegrityError, transaction

    person = PersonFactory(station=personas.onsong)
    with pytest.raises(IntegrityError), transaction.atomic():
        JourneyTransition.objects.create(
            person=person,
            from_state=S.REGISTERED,
            to_state=S.PLACED,
            at=timezone.now(),
            is_override=True,
            reason="",
        )
