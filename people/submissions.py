"""Submissions from clients carry a client-made UUID: sending one twice stores it once, and the
same UUID with other content is a conflict, never an overwrite.

A resend is answered with the stored record, so it is a read like any other: a record the
sender may not see is absent for them (404), and a record they may see is audited as read.
Every stored row carries a submission hash; rows that no client submitted (household members,
demo and bulk loads) carry one that no submission can match, so resending their UUID is a
conflict and never returns them."""

import hashlib
import json
import uuid
from collections.abc import Callable
from typing import Any

from django.db import IntegrityError, models, transaction
from django.http import Http404
from django.utils.translation import gettext as _

from people.audit import AuditEntry, record_audits
from stations.access import can_see_station, staff_profile_of

# The submission hash of rows no client sent as such: no SHA-256 hex digest equals it.
NOT_A_SUBMISSION = "not-a-client-submission"


class IdempotencyConflict(Exception):
    """The same client UUID was sent before with different content."""


class SubmissionOutOfScope(Http404):
    """The client UUID names a record the sender may not see: to them it does not exist."""


def submission_hash(payload: Any) -> str:
    body = json.dumps(payload, sort_keys=True, default=str, ensure_ascii=False)
    return hashlib.sha256(body.encode()).hexdigest()


def same_submission(existing: Any, digest: str) -> Any:
    if existing.submission_hash != digest:
        raise IdempotencyConflict(
            _("This submission's identifier was already used for different content.")
        )
    return existing


def create_once(
    model: type[models.Model],
    client_uuid: uuid.UUID,
    digest: str,
    create: Callable[[], Any],
    *,
    user: Any,
    persons_of: Callable[[Any], list[Any]],
) -> tuple[Any, bool]:
    """Create a client's submission once: a resend of the same content gets the first record
    back, other content under the same UUID is a conflict. Returns (record, created).
    `persons_of` names the persons a stored record shows: the sender must be able to see
    every one of them, and the resend's answer is audited as a read of them.

    The record is inserted first and looked for only when the UUID's unique constraint
    refuses it: nearly every submission is new, and a lookup before each one was a tenth
    of a registration's time. A resend (or another request with the same UUID that won
    the race) rolls back whatever create() wrote."""
    try:
        with transaction.atomic():
            return create(), True
    except IntegrityError:
        existing = model.objects.filter(client_uuid=client_uuid).first()
        if existing is None:  # another constraint refused it: not a resend
            raise
    persons = persons_of(existing)
    profile = staff_profile_of(user)
    if not all(can_see_station(profile, person.station) for person in persons):
        raise SubmissionOutOfScope
    same_submission(existing, digest)
    record_audits(user, AuditEntry.Action.VIEW, persons, _("Answered a resent submission"))
    return existing, False
