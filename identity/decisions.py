"""Settling a pair in the review queue: same person (the two records become one, see
identity.services.merge_records) or different people (a label). Every decision is audited
and kept as a label the weights are re-estimated from; when nothing is left open for a person
still at the identity step, the step is taken."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from identity.models import MatchLabel, ReviewItem, Verdict
from identity.services import (
    DECIDING_ROLES,
    complete_files_check,
    files_check_guard,
    merge_records,
    open_items_of,
)
from people.audit import AuditEntry, record_audit
from people.models import Person
from people.states import JourneyState
from stations.access import can_see_station, require, staff_profile_of
from waystation import clock

__all__ = ["DECIDING_ROLES", "resolve_review"]


def resolve_review(*, user: Any, item: ReviewItem, verdict: str) -> MatchLabel:
    """A reviewer settles a queued pair; "not sure" leaves it in the queue."""
    if verdict not in (Verdict.SAME, Verdict.DIFFERENT):
        raise ValidationError(_("Choose same person or different people."))
    newer, older = sorted((item.left, item.right), key=lambda p: p.pk, reverse=True)
    require(user, DECIDING_ROLES, station=newer.station)
    with transaction.atomic():
        locked = ReviewItem.objects.select_for_update().get(pk=item.pk)
        if locked.resolved_at is not None:
            raise ValidationError(_("This pair was already decided."))
        now = clock.now()
        label = MatchLabel.objects.create(
            left=newer,
            right=older,
            verdict=verdict,
            score=item.score,
            band=item.band[:12],
            origin=item.origin,
            decided_by=user,
            decided_at=now,
        )
        ReviewItem.objects.filter(pk=item.pk).update(
            resolved_at=now, resolved_by=user, verdict=verdict
        )
        record_audit(
            user=user,
            action=AuditEntry.Action.CREATE,
            obj=label,
            person=newer,
            reason=str(Verdict(verdict).label),
            detail={"candidate": older.pk, "verdict": verdict, "score": item.score},
        )
        if verdict == Verdict.SAME:
            merge_records(
                user=user,
                person=newer,
                into=older,
                score=item.score,
                reason=_("Same person, decided in the review queue"),
            )
        else:
            for person in (newer, older):
                _step_when_settled(user, person)
    return label


def _step_when_settled(user: Any, person: Person) -> None:
    person.refresh_from_db()
    if not can_see_station(staff_profile_of(user), person.station):
        return  # the other station's registrars take their own person's step
    if person.state != JourneyState.REGISTERED or open_items_of(person).exists():
        return
    if files_check_guard(person, JourneyState.IDENTITY_CHECKED, None) is None:  # type: ignore[arg-type]
        complete_files_check(user=user, person=person)
