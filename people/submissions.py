"""Submissions from clients carry a client-made UUID: sending one twice stores it once, and the
same UUID with other content is a conflict, never an overwrite."""

import hashlib
import json
import uuid
from collections.abc import Callable
from typing import Any

from django.db import IntegrityError, models, transaction
from django.utils.translation import gettext as _


class IdempotencyConflict(Exception):
    """The same client UUID was sent before with different content."""


def submission_hash(payload: Any) -> str:
    body = json.dumps(payload, sort_keys=True, default=str, ensure_ascii=False)
    return hashlib.sha256(body.encode()).hexdigest()


def same_submission(existing: Any, digest: str) -> Any:
    if existing.submission_hash and existing.submission_hash != digest:
        raise IdempotencyConflict(
            _("This submission's identifier was already used for different content.")
        )
    return existing


def create_once(
    model: type[models.Model], client_uuid: uuid.UUID, digest: str, create: Callable[[], Any]
) -> tuple[Any, bool]:
    """Create a client's submission once: a resend of the same content gets the first record
    back, other content under the same UUID is a conflict. Returns (record, created).

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
        return same_submission(existing, digest), False
