"""Changes to issued documents: revoking one with a reason (and publishing the signed
revocation list) and reissuing a lost one, which supersedes it. Nothing is deleted."""

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from documents.issuing import sign_new
from documents.models import (
    Document,
)
from documents.revocations import NoListSigner, publish_revocation_list
from documents.rules import ISSUING_ROLES, rule_for
from documents.services import (
    check_journey,
    clean_text,
)
from people.audit import AuditEntry, record_audit
from stations.access import require
from stations.models import StaffProfile
from waystation import clock


def _lock_for_change(user: Any, document: Document) -> tuple[Document, StaffProfile]:
    profile = require(user, ISSUING_ROLES)
    locked = (
        Document.objects.select_for_update()
        .select_related("office", "person__station")
        .get(pk=document.pk)
    )
    require(user, ISSUING_ROLES, station=locked.person.station)
    require(user, ISSUING_ROLES, province=locked.office.province)
    return locked, profile


def _revoke_locked(user: Any, locked: Document, reason: str, now: dt.datetime) -> None:
    if locked.status == Document.Status.REVOKED:
        raise ValidationError(_("This document is already revoked."))
    locked.status = Document.Status.REVOKED
    locked.status_reason = reason
    locked.revoked_on = clock.local_date(now)
    locked.status_changed_by, locked.status_changed_at = user, now
    locked.save(
        update_fields=[
            "status",
            "status_reason",
            "revoked_on",
            "status_changed_by",
            "status_changed_at",
        ]
    )
    record_audit(
        user=user,
        action=AuditEntry.Action.UPDATE,
        obj=locked,
        person=locked.person,
        reason=reason,
        detail={"number": locked.number, "status": "revoked"},
    )


def _publish() -> None:
    """Publish the next revocation list inside the revoking transaction; a concurrent
    revocation taking the same sequence number is retried (the list holds both)."""
    for _attempt in range(3):
        try:
            with transaction.atomic():
                publish_revocation_list()
            return
        except IntegrityError:
            continue
        except NoListSigner as error:
            raise ValidationError(
                _("No office signs the revocation list: the revocation could not be published.")
            ) from error
    raise ValidationError(_("The revocation list is busy; try again."))


def revoke_document(
    *, user: Any, document: Document, reason: str, now: dt.datetime | None = None
) -> Document:
    """Revoke with a written reason and publish the next signed revocation list."""
    reason = clean_text(reason, "reason")
    now = now or clock.now()
    with transaction.atomic():
        locked, _actor = _lock_for_change(user, document)
        _revoke_locked(user, locked, reason, now)
        _publish()
    document.refresh_from_db()
    return document


def reissue_document(
    *, user: Any, document: Document, reason: str, now: dt.datetime | None = None
) -> Document:
    """Replace a lost document: the old number is revoked as lost and a new number, valid to
    the same day, supersedes it."""
    reason = clean_text(reason, "reason")
    now = now or clock.now()
    today = clock.local_date(now)
    with transaction.atomic():
        locked, _actor = _lock_for_change(user, document)
        if locked.status != Document.Status.ISSUED or locked.valid_until < today:
            raise ValidationError(
                _("Only a valid document can be reissued; request a new one instead.")
            )
        rule = rule_for(locked.document_type)
        check_journey(rule, locked.person)
        _revoke_locked(user, locked, _("Lost: %(reason)s") % {"reason": reason}, now)
        replacement = sign_new(
            user=user,
            person=locked.person,
            rule=rule,
            office=locked.office,
            scope=locked.scope,
            valid_from=max(locked.valid_from, today),
            valid_until=locked.valid_until,
            on=today,
            now=now,
            supersedes=locked,
        )
        record_audit(
            user=user,
            action=AuditEntry.Action.CREATE,
            obj=replacement,
            person=locked.person,
            reason=reason,
            detail={"number": replacement.number, "supersedes": locked.number},
        )
        _publish()
    document.refresh_from_db()
    return replacement
