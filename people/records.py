"""Changing what a person's record says: one way for every caller (an edit, a settled
conflict, a returning person's new registration, a merge), so the search forms, the files
check's keys and the audit log follow every change."""

from __future__ import annotations

from typing import Any

from people.audit import AuditEntry, record_audit
from people.models import Person, PersonName
from people.names import name_forms_of

# Besides the names, what the files check's keys are derived from.
KEYED_FIELDS = frozenset(
    {"birth_date", "birth_date_precision", "sex", "place_of_origin", "document_number"}
)
# What a later registration may add to a record that lacks it (never overwriting a value).
FILLABLE_FIELDS = (
    "family_name_hangul",
    "given_name_hangul",
    "family_name_hanzi",
    "given_name_hanzi",
    "family_name_latin",
    "given_name_latin",
    "place_of_origin",
    "document_number",
    "occupation",
    "languages",
)


def refresh_derived(persons: list[Person], names_changed: bool, keys_changed: bool) -> None:
    """Rebuild what is derived from persons' fields: the search forms and the files check's
    keys. Both are derived rows, recomputed from the person, so replacing them loses nothing."""
    from identity.keys import store_keys

    if names_changed:
        PersonName.objects.filter(person__in=persons).delete()
        PersonName.objects.bulk_create([form for p in persons for form in name_forms_of(p)])
    if names_changed or keys_changed:
        store_keys(persons)


def apply_changes(user: Any, locked: Person, changes: dict[str, Any], reason: str) -> list[str]:
    """Write the changed fields of a locked person, bump its version, refresh what is derived
    from them and audit the field names (the audit log must not become a second copy of
    personal data). Returns the names of the fields that changed."""
    changed = [name for name, value in changes.items() if getattr(locked, name) != value]
    if not changed:
        return []
    for name in changed:
        setattr(locked, name, changes[name])
    locked.version += 1
    locked.save(update_fields=[*changed, "version"])
    refresh_derived(
        [locked],
        names_changed=any("name" in name for name in changed),
        keys_changed=bool(KEYED_FIELDS & set(changed)),
    )
    record_audit(
        user=user,
        action=AuditEntry.Action.UPDATE,
        obj=locked,
        person=locked,
        reason=reason,
        detail={"fields": changed, "version": locked.version},
    )
    return changed


def blanks_filled_by(person: Person, values: dict[str, Any]) -> dict[str, Any]:
    """The values another registration of the same person adds where the record has none."""
    return {
        name: values[name]
        for name in FILLABLE_FIELDS
        if values.get(name) and not getattr(person, name)
    }
