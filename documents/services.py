"""Requesting, issuing, refusing, reissuing, revoking and expiring documents.

Every function checks the actor's role and scope, the rules of the document type
(documents/rules.py) and the person's journey state, changes the database in one
transaction, and writes the audit log. Bad input raises ValidationError and changes
nothing; a refused right raises PermissionDenied.
"""

import datetime as dt
import unicodedata
import uuid
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from documents.issuing import scope_text, sign_new
from documents.models import (
    Document,
    DocumentRequest,
    DocumentType,
    IssuingOffice,
)
from documents.placement import active_placement, placement_required
from documents.residency import take_granted_step
from documents.rules import ISSUING_ROLES, DocumentRule, rule_for
from people.audit import AuditEntry, record_audit
from people.models import Person
from stations.access import can_see_province, require
from stations.models import StaffProfile
from waystation import clock

MAX_TEXT = 500


def may_issue_at(profile: StaffProfile | None, office: IssuingOffice) -> bool:
    return (
        profile is not None
        and profile.role in ISSUING_ROLES
        and can_see_province(profile, office.province)
    )


def clean_text(value: Any, field: str, required: bool = True, limit: int = MAX_TEXT) -> str:
    text = unicodedata.normalize("NFC", " ".join(str(value or "").split()))
    if required and not text:
        raise ValidationError({field: [_("This field is required.")]})
    if len(text) > limit:
        raise ValidationError({field: [_("At most %(limit)d characters.") % {"limit": limit}]})
    if any(unicodedata.category(ch) in ("Cc", "Cf", "Cs") for ch in text):
        raise ValidationError({field: [_("Control characters are not allowed.")]})
    return text


def eligible_offices(rule: DocumentRule, person: Person) -> list[IssuingOffice]:
    """The offices that may issue this type to this person, the rule's default first."""
    offices = IssuingOffice.objects.filter(
        is_active=True, province=person.station.province, kind__in=rule.office_kinds
    )
    eligible = [
        o
        for o in offices
        if o.kind != IssuingOffice.Kind.STATION or o.station_id == person.station_id
    ]
    return sorted(eligible, key=lambda office: rule.office_kinds.index(office.kind))


def check_journey(rule: DocumentRule, person: Person) -> None:
    if person.state not in rule.required_states:
        raise ValidationError({"person": [str(rule.requirement)]})
    if (
        rule.document_type == DocumentType.TRAVEL_PASS
        and placement_required()
        and active_placement(person) is None
    ):
        raise ValidationError(
            {"person": [_("A travel pass needs an active labour placement for this person.")]}
        )


def travel_destination(rule: DocumentRule, person: Person, written: str) -> str:
    """A travel pass goes to the placement's site; other documents keep what was written."""
    if rule.document_type == DocumentType.TRAVEL_PASS:
        placement = active_placement(person)
        if placement is not None:
            return placement.destination[:100]
    return written


def current_document(person: Person, document_type: str, today: dt.date) -> Document | None:
    """The person's valid document of the type; one past its date is marked expired first."""
    current = Document.objects.filter(
        person=person, document_type=document_type, status=Document.Status.ISSUED
    ).first()
    if current is not None and current.valid_until < today:
        _mark_expired(Document.objects.filter(pk=current.pk), today)
        return None
    return current


def request_document(
    *,
    user: Any,
    person: Person,
    document_type: str,
    office: IssuingOffice,
    destination: str,
    valid_from: dt.date | None = None,
    note: str = "",
    client_uuid: uuid.UUID | None = None,
    now: dt.datetime | None = None,
) -> DocumentRequest:
    """Ask the documents office for a document; sending the same client_uuid twice stores it
    once."""
    if document_type not in DocumentType.values:
        raise ValidationError({"document_type": [_("Unknown document type.")]})
    rule = rule_for(document_type)
    require(user, rule.requested_by, station=person.station)
    if client_uuid is not None:
        existing = DocumentRequest.objects.filter(client_uuid=client_uuid).first()
        if existing is not None:
            if existing.person_id != person.pk or existing.document_type != document_type:
                raise ValidationError(_("This submission id was used for another request."))
            return existing
    now = now or clock.now()
    today = clock.local_date(now)
    destination = clean_text(
        travel_destination(rule, person, destination), "destination", limit=100
    )
    note = clean_text(note, "note", required=False)
    valid_from = valid_from or today
    if not today <= valid_from <= today + dt.timedelta(days=rule.max_days_ahead):
        raise ValidationError(
            {
                "valid_from": [
                    _("The start of validity must be between today and %(days)d days ahead.")
                    % {"days": rule.max_days_ahead}
                ]
            }
        )
    if rule.leaves_province and destination.casefold() == person.station.province.casefold():
        raise ValidationError(
            {"destination": [_("An exit permit names another province than the person's own.")]}
        )
    if office not in eligible_offices(rule, person):
        raise ValidationError({"office": [_("This office does not issue this document here.")]})
    check_journey(rule, person)
    with transaction.atomic():
        locked = Person.objects.select_for_update().get(pk=person.pk)
        held = current_document(locked, document_type, today)
        if held is not None:
            raise ValidationError(
                _("%(person)s already holds %(number)s; reissue or revoke it instead.")
                % {"person": person.display_name, "number": held.number}
            )
        try:
            with transaction.atomic():
                made = DocumentRequest.objects.create(
                    client_uuid=client_uuid or uuid.uuid4(),
                    person=locked,
                    document_type=document_type,
                    office=office,
                    destination=destination,
                    valid_from=valid_from,
                    note=note,
                    requested_by=user,
                    requested_at=now,
                )
        except IntegrityError as error:
            raise ValidationError(
                _("A request for this document is already waiting for this person.")
            ) from error
        record_audit(
            user=user,
            action=AuditEntry.Action.CREATE,
            obj=made,
            person=locked,
            detail={"document_type": document_type, "office": office.code},
        )
    return made


def issue_request(
    *, user: Any, request: DocumentRequest, now: dt.datetime | None = None
) -> Document:
    """Issue the document a pending request asks for (once: a second issue is refused)."""
    now = now or clock.now()
    today = clock.local_date(now)
    rule = rule_for(request.document_type)
    require(user, rule.issued_by)
    with transaction.atomic():
        locked = DocumentRequest.objects.select_for_update().get(pk=request.pk)
        if locked.status != DocumentRequest.Status.PENDING:
            raise ValidationError(
                _("This request was already decided (%(status)s).")
                % {"status": locked.get_status_display()}
            )
        person = (
            Person.objects.select_for_update().select_related("station").get(pk=locked.person_id)
        )
        require(user, rule.issued_by, station=person.station)
        require(user, rule.issued_by, province=locked.office.province)
        check_journey(rule, person)
        held = current_document(person, rule.document_type, today)
        if held is not None:
            raise ValidationError(
                _("%(person)s already holds %(number)s; reissue or revoke it instead.")
                % {"person": person.display_name, "number": held.number}
            )
        valid_from = max(locked.valid_from, today)
        document = sign_new(
            user=user,
            person=person,
            rule=rule,
            office=locked.office,
            scope=scope_text(rule, person, travel_destination(rule, person, locked.destination)),
            valid_from=valid_from,
            valid_until=valid_from + dt.timedelta(days=rule.validity_days - 1),
            on=today,
            now=now,
            request=locked,
        )
        locked.status = DocumentRequest.Status.ISSUED
        locked.decided_by, locked.decided_at = user, now
        locked.save(update_fields=["status", "decided_by", "decided_at"])
        record_audit(
            user=user,
            action=AuditEntry.Action.CREATE,
            obj=document,
            person=person,
            detail={"number": document.number, "request": locked.pk},
        )
        take_granted_step(user, rule, person, document)
    request.refresh_from_db()
    return document


def refuse_request(*, user: Any, request: DocumentRequest, reason: str) -> DocumentRequest:
    rule = rule_for(request.document_type)
    require(user, rule.issued_by)
    reason = clean_text(reason, "reason")
    with transaction.atomic():
        locked = (
            DocumentRequest.objects.select_for_update()
            .select_related("person__station")
            .get(pk=request.pk)
        )
        require(user, rule.issued_by, station=locked.person.station)
        require(user, rule.issued_by, province=locked.office.province)
        if locked.status != DocumentRequest.Status.PENDING:
            raise ValidationError(_("This request was already decided."))
        locked.status = DocumentRequest.Status.REFUSED
        locked.refusal_reason = reason
        locked.decided_by, locked.decided_at = user, clock.now()
        locked.save(update_fields=["status", "refusal_reason", "decided_by", "decided_at"])
        record_audit(
            user=user,
            action=AuditEntry.Action.REFUSED,
            obj=locked,
            person=locked.person,
            reason=reason,
        )
    return locked


def _mark_expired(documents: Any, today: dt.date) -> int:
    return documents.filter(status=Document.Status.ISSUED, valid_until__lt=today).update(
        status=Document.Status.EXPIRED,
        status_reason=_("Expired"),
        status_changed_at=clock.now(),
    )


def expire_documents(today: dt.date | None = None) -> int:
    """Mark every document past its last valid day as expired; returns how many."""
    today = today or clock.today()
    with transaction.atomic():
        count = _mark_expired(Document.objects.all(), today)
        if count:
            record_audit(
                user=None,
                action=AuditEntry.Action.UPDATE,
                reason="expired",
                detail={"expired": count, "before": today.isoformat()},
            )
    return count


def log_document_view(user: Any, document: Document, action: str = AuditEntry.Action.VIEW) -> None:
    record_audit(
        user=user,
        action=action,
        obj=document,
        person=document.person,
        detail={"number": document.number},
    )
