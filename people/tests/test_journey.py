"""Every pair of states, for every role: a regular step of its owner, refused, or allowed only
as an override with a written reason."""

import itertools

import pytest

from people import journey
from people.states import JourneyState as S
from stations.roles import Role

PAIRS = [(a, b) for a, b in itertools.product(S, S) if a != b]


def _owner(source: S, target: S) -> str:
    step = journey.step_between(source, target)
    return step.owners[0] if step else "nobody"


@pytest.mark.parametrize("role", list(Role))
def test_every_regular_step_is_allowed_exactly_for_its_roles(role: Role) -> None:
    for source, target in PAIRS:
        step = journey.step_between(source, target)
        allowed = step is not None and role != Role.AUDITOR
        allowed = allowed and (role in step.roles or role == Role.ADMINISTRATOR)
        if allowed:
            approval = journey.check_step(source, target, role, _owner(source, target))
            assert not approval.is_override
        else:
            with pytest.raises(journey.TransitionRefused):
                journey.check_step(source, target, role, _owner(source, target))


@pytest.mark.parametrize("role", list(Role))
def test_every_override_needs_the_right_role_and_never_reaches_a_state_made_by_a_record(
    role: Role,
) -> None:
    for source, target in PAIRS:
        may = (
            role != Role.AUDITOR
            and source != S.MERGED
            and target not in journey.NOT_FORCIBLE
            and role in journey.override_roles(target)
        )
        if may:
            approval = journey.check_override(source, target, role, "Ordered by the bureau")
            assert approval.is_override
        else:
            with pytest.raises(journey.TransitionRefused):
                journey.check_override(source, target, role, "Ordered by the bureau")


def test_an_override_without_a_written_reason_is_refused() -> None:
    with pytest.raises(journey.TransitionRefused, match="written reason"):
        journey.check_override(S.IN_QUARANTINE, S.AWAITING_PLACEMENT, Role.LABOUR_OFFICER, "   ")


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
        assert not journey.check_step(source, target, role, _owner(source, target)).is_override
    for ending, role in (
        (S.LEFT_JOB, Role.LABOUR_OFFICER),
        (S.MOVED, Role.LABOUR_OFFICER),
        (S.RETURNED, Role.REGISTRAR),
        (S.RESIDENCY_GRANTED, Role.DOCUMENTS_OFFICER),
    ):
        approval = journey.check_step(S.AT_WORK, ending, role, _owner(S.AT_WORK, ending))
        assert not approval.is_override


def test_placement_before_medical_clearance_is_refused_with_a_message_saying_why() -> None:
    with pytest.raises(journey.TransitionRefused) as refusal:
        journey.check_step(S.IN_QUARANTINE, S.PLACED, Role.LABOUR_OFFICER, journey.APPROVAL)
    message = str(refusal.value)
    assert "medical clearance" in message
    assert "override" in message
    assert "Medically cleared" in message  # what would be allowed instead


def test_placement_cannot_be_forced_and_says_where_it_is_done() -> None:
    with pytest.raises(journey.TransitionRefused, match="placement run"):
        journey.check_override(S.AWAITING_PLACEMENT, S.PLACED, Role.ADMINISTRATOR, "urgent")
    with pytest.raises(journey.TransitionRefused, match="quarantine page"):
        journey.check_override(S.IDENTITY_CHECKED, S.IN_QUARANTINE, Role.ADMINISTRATOR, "urgent")


def test_a_role_without_the_step_is_told_who_may_take_it() -> None:
    with pytest.raises(journey.TransitionRefused) as refusal:
        journey.check_step(S.IN_QUARANTINE, S.MEDICALLY_CLEARED, Role.REGISTRAR, journey.CLEARANCE)
    assert "a medical officer or an administrator" in str(refusal.value)


def test_auditors_never_change_anything() -> None:
    with pytest.raises(journey.TransitionRefused, match="Auditors"):
        journey.check_step(S.ARRIVED, S.REGISTERED, Role.AUDITOR, journey.ARRIVAL)
    with pytest.raises(journey.TransitionRefused, match="Auditors"):
        journey.check_override(S.ARRIVED, S.REGISTERED, Role.AUDITOR, "because")


def test_a_person_who_went_back_can_arrive_again() -> None:
    assert journey.step_between(S.RETURNED, S.ARRIVED) is not None
    targets = {step.target for step in journey.next_steps(S.RETURNED)}
    assert S.ARRIVED in targets and S.REGISTERED in targets  # crossing in, or recognised
