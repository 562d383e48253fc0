"""Approving a proposed run on the task queue's worker. The officer's request only records
the approval and queues it; `approve_run` stays the one service that places people, all or
nothing, and the approval's page follows it and says what happened."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import translation
from django.utils.translation import gettext as _

from labour.models import ApprovalRequest, PlacementRun
from labour.services.access import ACTING_ROLES
from labour.services.decisions import approval_under_way, approve_run, editable
from stations.access import require
from waystation import clock

Status = ApprovalRequest.Status


def ask_for_approval(
    *, user: Any, run: PlacementRun, request_travel_passes: bool = False
) -> ApprovalRequest:
    """Record the approval and queue it (refused at once when the officer may not approve,
    the run is no longer a proposal, or an approval of it is already under way)."""
    require(user, ACTING_ROLES, province=run.province)
    editable(run)
    try:
        with transaction.atomic():
            approval = ApprovalRequest.objects.create(
                run=run,
                created_by=user,
                created_at=clock.now(),
                travel_passes=request_travel_passes,
                language=translation.get_language() or "",
            )
    except IntegrityError as clash:  # the database's one-pending-approval constraint
        raise approval_under_way() from clash
    from labour.tasks import approve_placement_run

    transaction.on_commit(lambda: approve_placement_run.enqueue(approval.pk))
    return approval


def carry_out(approval: ApprovalRequest) -> ApprovalRequest:
    """The worker's part: approve as the officer who asked, in their language, and keep the
    counts or the refusal (the run may have changed since it was asked for)."""
    if not approval.pending:
        return approval  # a worker that restarted took it twice
    ApprovalRequest.objects.filter(pk=approval.pk).update(status=Status.RUNNING)
    with translation.override(approval.language or None):
        try:
            outcome = approve_run(
                user=approval.created_by,
                run=approval.run,
                request_travel_passes=approval.travel_passes,
            )
        except ValidationError as refusal:
            approval.status, approval.problem = Status.FAILED, " ".join(refusal.messages)
        except PermissionDenied as refusal:
            approval.status = Status.FAILED
            approval.problem = str(refusal) or _("Your role may not do this.")
        else:
            approval.status, approval.outcome = Status.DONE, outcome
    approval.finished_at = clock.now()
    approval.save(update_fields=["status", "problem", "outcome", "finished_at"])
    return approval


def outcome_messages(approval: ApprovalRequest) -> list[str]:
    """The approval's outcome in the reader's language, as the officer's messages."""
    outcome = approval.outcome
    if approval.status != Status.DONE or not outcome:
        return []
    lines = [_("Approved: %(placed)d people placed, %(skipped)d no longer waiting.") % outcome]
    if approval.run.allow_moves:
        lines.append(
            _("%(moved)d people already placed were moved, %(kept)d kept where they are.") % outcome
        )
    if "passes_requested" in outcome:
        lines.append(
            _(
                "Travel passes requested for %(passes_requested)d workers; "
                "%(passes_refused)d could not be requested now."
            )
            % outcome
        )
    return lines
