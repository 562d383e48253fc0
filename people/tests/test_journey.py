"""Every pair of states, for every role: allowed, refused, or allowed only as an override."""

import itertools

import pytest

from people import journey
from people.states import JourneyState as S
from stations.roles import Role

PAIRS = [(a, b) for a, b in itertools.product(S, S) if a != b]


@pytest.mark.parametrize("role", list(Role))
def test_every_regular_step_is_allowed_exactly_for_its_roles(role: Role) -> None:
    for source, target in PAIRS:
        step = journey.step_between(source, target)
        if step is not None and role in step.roles:
            approval = journey.check_transition(source, target, role)
            assert not approval.is_override
        else:
            with pytest.raises(journey.TransitionRefused):
                journey.check_transition(source, target, role)


@pytest.mark.parametrize("role", list(Role))
def test_every_forbidden_step_needs_an_override_by_the_right_role(role: Role) -> None:
    for source, target in PAIRS:
        step = journey.step_between(source, target)
        if step is not None and role in step.roles:
            continue
        if role != Role.AUDITOR and role in journey.override_roles(target):
            approval = journey.check_transition(source, target, role, "Ordered by the bureau")
            assert approval.is_override
        else:
            with pytest.raises(journey.TransitionRefused):
                journey.check_transition(source, target, role, "Ordered by the bureau")


def test_an_override_without_a_written_reason_is_refused() -> None:
    with pytest.raises(journey.TransitionRefused):
        journey.check_transition(S.IDENTITY_CHECKED, S.PLACED, Role.LABOUR_OFFICER, "   ")


def test_the_whole_journey_is_walkable_by_the_roles_of_the_design() -> None:
    path = [
        (S.ARRIVED, S.REGISTERED, Role.REGISTRAR),
        (S.REGISTERED, S.IDENTITY_CHECKED, Role.REGISTRAR),
        (S.IDENTITY_CHECKED, S.IN_QUARANTINE, Role.MEDICAL_OFFICER),
        (S.IN_QUARANTINE, S.MEDICALLY_CLEARED, Role.MEDICAL_OFFICER),
        (S.MEDICALLY_CLEARED, S.AWAITING_PLACEMENT, Role.LABOUR_OFFICER),
        (S.AWAITING_PLACEMENT, S.PLACED, Role.LABOUR_OFFICER),
        (S.PLACED, S.AT_WORK, Role.LABOUR_OFFICER),
    ]
    for source, target, role in path:
        assert not journey.check_transition(source, target, role).is_override
    for ending, role in (
        (S.LEFT_JOB, Role.LABOUR_OFFICER),
        (S.MOVED, Role.LABOUR_OFFICER),
        (S.RETURNED, Role.REGISTRAR),
        (S.RESIDENCY_GRANTED, Role.DOCUMENTS_OFFICER),
    ):
        assert not journey.check_transition(S.AT_WORK, ending, role).is_override


def test_placement_before_medical_clearance_is_refused_with_a_message_saying_why() -> None:
    with pytest.raises(journey.TransitionRefused) as refusal:
        journey.check_transition(S.IN_QUARANTINE, S.PLACED, Role.LABOUR_OFFICER)
    message = str(refusal.value)
    assert "medical clearance" in message
    assert "override" in message
    assert "Medically cleared" in message  # what would be allowed instead


def test_a_role_without_the_step_is_told_who_may_take_it() -> None:
    with pytest.raises(journey.TransitionRefused) as refusal:
        journey.check_transition(S.IN_QUARANTINE, S.MEDICALLY_CLEARED, Role.REGISTRAR)
    assert "medical officer" in str(refusal.value)


def test_auditors_never_change_anything() -> None:
    with pytest.raises(journey.TransitionRefused, match="Auditors"):
        journey.check_transition(S.ARRIVED, S.REGISTERED, Role.AUDITOR, "because")


def test_a_person_who_went_back_can_arrive_again() -> None:
    assert journey.step_between(S.RETURNED, S.ARRIVED) is not None
    assert [step.target for step in journey.next_steps(S.RETURNED)] == [S.ARRIVED]
