"""Decisions on pairs of records: same person (a link that can be undone), different (a
labelled non-match) or not sure (the review queue). Every decision is audited and kept as
a label the weights are re-estimated from."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from identity.links import root_of
from identity.models import MatchLabel, PersonLink, ReviewItem, Verdict
from people.audit import AuditEntry, record_audit
from people.models import Person
from stations.access import require
from stations.roles import Role
from waystation import clock

DECIDING_ROLES = frozenset({Role.REGISTRAR, Role.ADMINISTRATOR})


def link_persons(
    *, user: Any, person: Person, into: Person, score: float | None = None, reason: str = ""
) -> PersonLink:
    """Record that `person` is the same person as `into` (or as whoever `into` belongs to).
    Both records keep everything; the link is undone by unlink_persons."""
    require(user, DECIDING_ROLES, station=person.station)
    target_id = root_of(into.pk)
    if target_id == person.pk or root_of(person.pk) == target_id:
        raise ValidationError(_("These records already belong to one person."))
    with transaction.atomic():
        if PersonLink.objects.filter(person=person, undone_at__isnull=True).exists():
            raise ValidationError(_("This record is already linked to another person."))
        link = PersonLink.objects.create(
            person=person,
            merged_into_id=target_id,
            score=score,
            reason=reason,
            linked_by=user,
            linked_at=clock.now(),
        )
        record_audit(
            user=user,
            action=AuditEntry.Action.UPDATE,
            obj=link,
            person=person,
            reason=reason or _("Linked as the same person"),
            detail={"merged_into": target_id, "score": score},
        )
    return link


def unlink_persons(*, user: Any, link: PersonLink, reason: str) -> PersonLink:
    """Undo a link: both records stand alone again, exactly as they were."""
    require(user, {Role.ADMINISTRATOR}, station=link.person.station)
    reason = " ".join((reason or "").split())
    if not reason:
        raise ValidationError(_("Say why the link is undone."))
    with transaction.atomic():
        updated = PersonLink.objects.filter(pk=link.pk, undone_at__isnull=True).update(
            undone_at=clock.now(), undone_by=user, undo_reason=reason
        )
        if not updated:
            raise ValidationError(_("This link was already undone."))
        link.refresh_from_db()
        MatchLabel.objects.create(
            left_id=link.person_id,
            right_id=link.merged_into_id,
            verdict=Verdict.DIFFERENT,
            origin="unlink",
            decided_by=user,
            decided_at=link.undone_at,
        )
        record_audit(
            user=user,
            action=AuditEntry.Action.UPDATE,
            obj=link,
            person=link.person,
            reason=reason,
            detail={"undone": True, "merged_into": link.merged_into_id},
        )
    return link


def decide(
    *,
    user: Any,
    person: Person,
    candidate: Person,
    verdict: str,
    score: float | None = None,
    band: str = "",
    reasons: list[str] | None = None,
    origin: str = ReviewItem.Origin.REGISTRATION,
) -> MatchLabel:
    """Record a verdict on (person, candidate): person is the newer record."""
    if verdict not in Verdict.values:
        raise ValidationError(_("Unknown decision."))
    if person.pk == candidate.pk:
        raise ValidationError(_("A record cannot be compared with itself."))
    require(user, DECIDING_ROLES, station=person.station)
    now = clock.now()
    with transaction.atomic():
        label = MatchLabel.objects.create(
            left=person,
            right=candidate,
            verdict=verdict,
            score=score,
            band=band[:12],
            origin=origin,
            decided_by=user,
            decided_at=now,
        )
        record_audit(
            user=user,
            action=AuditEntry.Action.CREATE,
            obj=label,
            person=person,
            reason=str(Verdict(verdict).label),
            detail={"candidate": candidate.pk, "verdict": verdict, "score": score},
        )
        if verdict == Verdict.SAME:
            link_persons(user=user, person=person, into=candidate, score=score)
        elif verdict == Verdict.UNSURE and not _open_item(person, candidate):
            ReviewItem.objects.create(
                left=person,
                right=candidate,
                score=score or 0.0,
                band=band[:12],
                reasons=reasons or [],
                origin=origin,
                created_at=now,
            )
    return label


def _open_item(left: Person, right: Person) -> ReviewItem | None:
    return ReviewItem.objects.filter(left=left, right=right, resolved_at__isnull=True).first()


def resolve_review(*, user: Any, item: ReviewItem, verdict: str) -> MatchLabel:
    """A reviewer settles a queued pair; "not sure" leaves it in the queue."""
    newer, older = sorted((item.left, item.right), key=lambda p: p.pk, reverse=True)
    if verdict == Verdict.UNSURE:
        raise ValidationError(_("Choose same person or different people."))
    with transaction.atomic():
        label = decide(
            user=user,
            person=newer,
            candidate=older,
            verdict=verdict,
            score=item.score,
            band=item.band,
            origin=item.origin,
        )
        ReviewItem.objects.filter(pk=item.pk).update(
            resolved_at=clock.now(), resolved_by=user, verdict=verdict
        )
    return label
