"""Versioned edits of a person: an edit names the version it was based on; an edit based on an
old version that would change something is kept as a conflict for a registrar to settle field by
field. Nothing here ever lets the last writer win."""

import datetime as dt
import uuid
from dataclasses import dataclass, fields, replace
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from intake.models import EditConflict, EditReceipt
from people.models import Person
from people.records import apply_changes
from people.services import REGISTERING_ROLES, PersonInput, validate_person
from people.submissions import IdempotencyConflict, submission_hash
from stations.access import require
from waystation import clock

EDITABLE_FIELDS: tuple[str, ...] = tuple(
    f.name for f in fields(PersonInput) if f.name != "client_uuid"
)


BIRTH_FIELDS = frozenset({"birth_date", "birth_date_precision", "document_number"})


@dataclass
class EditOutcome:
    person: Person
    applied: bool
    conflict: EditConflict | None = None


def _check_user(user: Any, person: Person) -> None:
    require(user, REGISTERING_ROLES, station=person.station)


def current_fields(person: Person) -> dict[str, Any]:
    return {name: getattr(person, name) for name in EDITABLE_FIELDS}


def _as_value(name: str, value: Any) -> Any:
    if name == "birth_date" and isinstance(value, str) and value:
        return dt.date.fromisoformat(value)
    return value


def _clean_changes(person: Person, changes: dict[str, Any]) -> dict[str, Any]:
    """Validate the person as it would be after the edit; return only the cleaned changed keys."""
    unknown = sorted(set(changes) - set(EDITABLE_FIELDS))
    if unknown:
        raise ValidationError({name: [_("This field cannot be changed here.")] for name in unknown})
    merged = replace(
        PersonInput(**current_fields(person)),
        **{name: _as_value(name, value) for name, value in changes.items()},
    )
    cleaned = validate_person(merged)
    # The birth date and its precision are cleaned together (an unknown date is cleared, a
    # resident ID fills one in): a change to either, or to the ID, carries both.
    changed = set(changes)
    if changed & BIRTH_FIELDS:
        changed |= {"birth_date", "birth_date_precision"}
    return {name: getattr(cleaned, name) for name in sorted(changed)}


def _json_safe(values: dict[str, Any]) -> dict[str, Any]:
    return {k: v.isoformat() if isinstance(v, dt.date) else v for k, v in values.items()}


def edit_person(
    *,
    user: Any,
    person: Person,
    base_version: int,
    changes: dict[str, Any],
    client_uuid: uuid.UUID | None = None,
) -> EditOutcome:
    """Apply an edit made on version `base_version` of the person.

    Same version: applied. Older version whose values already match (a resend after a lost
    answer, or two people making the same correction): nothing to do. Older version with
    differences: an EditConflict is recorded (once per client UUID) and nothing is changed."""
    _check_user(user, person)
    client_uuid = client_uuid or uuid.uuid4()
    digest = submission_hash(
        {"person": person.pk, "version": base_version, "changes": _json_safe(changes)}
    )
    with transaction.atomic():
        locked = Person.objects.select_for_update().select_related("station").get(pk=person.pk)
        receipt = EditReceipt.objects.filter(client_uuid=client_uuid).first()
        if receipt is not None:
            # A resend: answered as the first was, never applied twice; other content under
            # the same UUID is a conflict of submissions, not an edit.
            if receipt.person_id != locked.pk or receipt.submission_hash != digest:
                raise IdempotencyConflict(
                    _("This edit's identifier was already used for a different edit.")
                )
            earlier = EditConflict.objects.filter(client_uuid=client_uuid).first()
            return EditOutcome(locked, applied=False, conflict=earlier)
        if base_version > locked.version or base_version < 1:
            raise ValidationError({"version": [_("This version of the person does not exist.")]})
        cleaned = _clean_changes(locked, changes)
        EditReceipt.objects.create(client_uuid=client_uuid, person=locked, submission_hash=digest)
        if base_version == locked.version:
            applied = apply_changes(user, locked, cleaned, _("Edited"))
            return EditOutcome(locked, applied=bool(applied))
        differing = {k: v for k, v in cleaned.items() if getattr(locked, k) != v}
        if not differing:
            return EditOutcome(locked, applied=False)
        conflict = EditConflict.objects.create(
            client_uuid=client_uuid,
            person=locked,
            base_version=base_version,
            server_version=locked.version,
            proposed=_json_safe(differing),
            submitted_by=user,
        )
        return EditOutcome(locked, applied=False, conflict=conflict)


def _shown(name: str, value: Any) -> Any:
    """The value as a registrar reads it: choice labels, not codes; languages as a list."""
    choices = dict(Person._meta.get_field(name).flatchoices)
    if choices:
        return choices.get(value, value)
    if isinstance(value, list):
        return ", ".join(str(item) for item in value)
    return value


def conflict_rows(conflict: EditConflict) -> list[dict[str, Any]]:
    """One row per field in dispute: the value on the server now and the late edit's value."""
    person = conflict.person
    return [
        {
            "name": name,
            "label": Person._meta.get_field(name).verbose_name,
            "server": _shown(name, getattr(person, name)),
            "mine": _shown(name, _as_value(name, value)),
        }
        for name, value in conflict.proposed.items()
    ]


def resolve_conflict(
    *, user: Any, conflict: EditConflict, take_mine: set[str], seen_version: int
) -> EditOutcome:
    """Settle a conflict: the fields in `take_mine` get the late edit's value, the others keep
    the server's. `seen_version` is the version shown on the conflict page; if the person has
    changed again since, the registrar must look again."""
    _check_user(user, conflict.person)
    with transaction.atomic():
        locked = EditConflict.objects.select_for_update().get(pk=conflict.pk)
        if locked.status != EditConflict.Status.OPEN:
            raise ValidationError({"__all__": [_("This conflict has already been settled.")]})
        person = Person.objects.select_for_update().get(pk=locked.person_id)
        if person.version != seen_version:
            raise ValidationError(
                {
                    "__all__": [
                        _("The person was changed again meanwhile; look at the fields again.")
                    ]
                }
            )
        chosen = {k: _as_value(k, v) for k, v in locked.proposed.items() if k in take_mine}
        if chosen:
            apply_changes(user, person, _clean_changes(person, chosen), _("Edit conflict settled"))
        locked.status = EditConflict.Status.RESOLVED
        locked.resolved_by = user
        locked.resolved_at = clock.now()
        locked.save(update_fields=["status", "resolved_by", "resolved_at"])
    return EditOutcome(person, applied=bool(chosen))
