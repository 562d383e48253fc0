"""Approving a run that was allowed to move people already placed or at work: who moves, who
stays, and the old placement ended with the run named as the reason."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from labour.models import Placement, PlacementRun, ProposedAssignment
from labour.services.inputs import MOVABLE_STATES, household_key, instance_from_json
from people import journey
from people.audit import AuditEntry, record_audit
from people.journey import TransitionRefused
from people.moves import take_step
from people.states import JourneyState
from waystation import clock


def current_placements(
    run: PlacementRun, proposals: list[ProposedAssignment]
) -> dict[int, Placement]:
    """Active placements (locked) of the run's people who were placed or at work when it ran.
    A placement that changed since the run makes the proposal stale: refused, nothing changes."""
    if not run.allow_moves:
        return {}
    people = {a.person_id: a.person for a in proposals if a.person.state in MOVABLE_STATES}
    placements = {
        p.person_id: p
        for p in Placement.objects.select_for_update().filter(
            person_id__in=people, status=Placement.Status.ACTIVE
        )
    }
    inputs = instance_from_json(run.inputs)
    jobs = {p.person_id: p.current_job_id for p in inputs.persons}
    sites = {h.household_id: h.current_site_id for h in inputs.households}
    for person_id, placement in placements.items():
        person = people[person_id]
        same_job = jobs.get(str(person_id)) == (str(placement.vacancy_id or "") or None)
        same_site = sites.get(household_key(person)) == str(placement.site_id)
        if not (same_job and same_site):
            raise ValidationError(
                _("%(person)s's placement changed since this run; run the placement again.")
                % {"person": person.display_name}
            )
    return placements


def split_moves(
    proposals: list[ProposedAssignment], current: dict[int, Placement]
) -> list[ProposedAssignment]:
    """The proposals that move someone. A run may move people, not take their job or their
    housing away: such a proposal is refused so that the officer changes it by hand."""
    moves = []
    for assignment in proposals:
        placement = current.get(assignment.person_id)
        if placement is None:
            continue
        if assignment.site_id is None or (placement.vacancy_id and not assignment.vacancy_id):
            raise ValidationError(
                _(
                    "%(person)s would lose their job or housing in this run; change the "
                    "assignment by hand or run without moves."
                )
                % {"person": assignment.person.display_name}
            )
        if (assignment.vacancy_id, assignment.site_id) != (placement.vacancy_id, placement.site_id):
            moves.append(assignment)
    return moves


def end_placement_record(
    user: Any, placement: Placement, person: Any, reason: str, detail: dict | None = None
) -> None:
    """Close an active placement as history (never deleted), with the reason, audited."""
    placement.status = Placement.Status.ENDED
    placement.end_date = max(clock.today(), placement.start_date)
    placement.end_reason = reason
    placement.save(update_fields=["status", "end_date", "end_reason"])
    record_audit(
        user=user,
        action=AuditEntry.Action.UPDATE,
        obj=placement,
        person=person,
        reason=reason,
        detail=detail or {},
    )


def end_active_placement(user: Any, person: Any, reason: str) -> Placement | None:
    """End the person's active placement, if any (locked first), as history with the reason."""
    placement = (
        Placement.objects.select_for_update()
        .filter(person=person, status=Placement.Status.ACTIVE)
        .first()
    )
    if placement is not None:
        end_placement_record(user, placement, person, reason)
    return placement


def end_for_moves(
    user: Any, run: PlacementRun, moves: list[ProposedAssignment], current: dict[int, Placement]
) -> None:
    """End the old placements, kept as history with the run as the reason."""
    reason = _("Moved by placement run #%(run)d") % {"run": run.pk}
    for assignment in moves:
        end_placement_record(
            user,
            current[assignment.person_id],
            assignment.person,
            reason,
            {"run": run.pk, "to_vacancy": assignment.vacancy_id, "to_site": assignment.site_id},
        )


def step_moved_people(user: Any, run: PlacementRun, moves: list[ProposedAssignment]) -> None:
    """People at work take the journey's move step; people placed but not yet at work stay
    “placed”, now with the new placement (the journey has no placed-to-placed step)."""
    reason = _("Moved by placement run #%(run)d") % {"run": run.pk}
    for assignment in moves:
        if assignment.person.state != JourneyState.AT_WORK:
            continue
        try:
            take_step(
                user=user,
                person=assignment.person,
                target=JourneyState.MOVED,
                owner=journey.MOVE,
                reason=reason,
            )
        except TransitionRefused as refusal:
            raise ValidationError(f"{assignment.person.display_name}: {refusal}") from refusal
