"""Claimed education and skills, their verification (only with evidence) or rejection, and
a household's ranked preferences. Every change is audited."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from labour.models import Credential, Preference, SiteKind
from labour.services.access import ACTING_ROLES, CLAIM_RECORDING_ROLES
from people.audit import AuditEntry, record_audit
from people.models import Person
from stations.access import require
from waystation import clock
from waystation.text import invisible_problem


def _text(value: Any, limit: int = 200) -> str:
    return " ".join(str(value or "").split())[:limit]


def record_claim(
    *, user: Any, person: Person, kind: str, name: str, years: int = 0, institution: str = ""
) -> Credential:
    """A claim as the person states it; it counts for nothing until verified."""
    require(user, CLAIM_RECORDING_ROLES, station=person.station)
    name, institution = _text(name, 120), _text(institution)
    if not name:
        raise ValidationError({"name": [_("Name the diploma, certificate or skill.")]})
    for field, text in (("name", name), ("institution", institution)):
        if problem := invisible_problem(text):
            raise ValidationError({field: [problem]})
    if kind not in Credential.Kind.values:
        raise ValidationError({"kind": [_("Choose education or skill.")]})
    if not 0 <= int(years) <= 12:
        raise ValidationError({"years": [_("Years of study are between 0 and 12.")]})
    credential = Credential.objects.create(
        person=person,
        kind=kind,
        name=name,
        years=int(years),
        claimed_institution=institution,
        claimed_at=clock.now(),
        recorded_by=user,
    )
    record_audit(user=user, action=AuditEntry.Action.CREATE, obj=credential, person=person)
    return credential


def _decidable(credential: Credential) -> Credential:
    locked = Credential.objects.select_for_update().get(pk=credential.pk)
    if locked.status != Credential.Status.CLAIMED:
        raise ValidationError(
            _("This claim was already decided (%(status)s); record a new claim instead.")
            % {"status": locked.get_status_display()}
        )
    return locked


def verify(
    *,
    user: Any,
    credential: Credential,
    evidence: str,
    document_seen: str = "",
    issuing_institution: str = "",
    test_result: str = "",
    note: str = "",
) -> Credential:
    """Verified only with evidence: a document seen and its issuing institution, or the result
    of a practical test. A claim without evidence stays claimed."""
    require(user, ACTING_ROLES, province=credential.person.station.province)
    document_seen, issuing_institution = _text(document_seen), _text(issuing_institution)
    test_result = _text(test_result)
    if evidence == Credential.Evidence.DOCUMENT:
        if not document_seen or not issuing_institution:
            raise ValidationError(
                {"evidence": [_("Name the document seen and the institution that issued it.")]}
            )
        test_result = ""
    elif evidence == Credential.Evidence.PRACTICAL_TEST:
        if not test_result:
            raise ValidationError({"evidence": [_("Write the result of the practical test.")]})
        document_seen = issuing_institution = ""
    else:
        raise ValidationError(
            {"evidence": [_("A claim is verified only with a document seen or a practical test.")]}
        )
    with transaction.atomic():
        locked = _decidable(credential)
        locked.status, locked.evidence = Credential.Status.VERIFIED, evidence
        locked.document_seen, locked.issuing_institution = document_seen, issuing_institution
        locked.test_result, locked.decision_note = test_result, _text(note, 500)
        locked.decided_by, locked.decided_on = user, clock.today()
        locked.save()
        record_audit(
            user=user,
            action=AuditEntry.Action.UPDATE,
            obj=locked,
            person=locked.person,
            reason=_("Credential verified"),
            detail={"evidence": evidence},
        )
    return locked


def reject(*, user: Any, credential: Credential, reason: str) -> Credential:
    """A rejected claim is kept, with the reason, so nobody is referred on it again."""
    require(user, ACTING_ROLES, province=credential.person.station.province)
    reason = _text(reason, 500)
    if not reason:
        raise ValidationError({"reason": [_("Write why the claim is rejected.")]})
    with transaction.atomic():
        locked = _decidable(credential)
        locked.status, locked.decision_note = Credential.Status.REJECTED, reason
        locked.decided_by, locked.decided_on = user, clock.today()
        locked.save()
        record_audit(
            user=user,
            action=AuditEntry.Action.UPDATE,
            obj=locked,
            person=locked.person,
            reason=reason,
        )
    return locked


def set_preferences(
    *, user: Any, person: Person, wishes: list[tuple[str, str]]
) -> list[Preference]:
    """Replace the ranked wishes of the person's household (or of the person alone): each
    wish is (kind, value) where value is a sector for 'sector' and a county otherwise."""
    require(user, ACTING_ROLES, province=person.station.province)
    owner = {"household": person.household} if person.household_id else {"person": person}
    made = []
    now = clock.now()
    for rank, (kind, value) in enumerate(wishes, start=1):
        value = _text(value, 120)
        if kind not in Preference.Kind.values or not value:
            raise ValidationError({"preferences": [_("Each wish needs a kind and a value.")]})
        if kind == Preference.Kind.SECTOR and value not in SiteKind.values:
            raise ValidationError({"preferences": [_("Unknown kind of work.")]})
        made.append(
            Preference(
                **owner,
                rank=rank,
                kind=kind,
                sector=value if kind == Preference.Kind.SECTOR else "",
                county="" if kind == Preference.Kind.SECTOR else value,
                stated_at=now,
                recorded_by=user,
            )
        )
    with transaction.atomic():
        Preference.objects.filter(**owner, superseded_at__isnull=True).update(superseded_at=now)
        Preference.objects.bulk_create(made)
        record_audit(
            user=user,
            action=AuditEntry.Action.UPDATE,
            obj=person,
            person=person,
            reason=_("Preferences stated"),
            detail={"wishes": [[kind, value] for kind, value in wishes]},
        )
    return made
