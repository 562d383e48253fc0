"""The append-only audit log: who read or changed what, when and why.

Entries are hash-chained: each stores an HMAC-SHA256 of its canonical content together with
the previous entry's hash, keyed with AUDIT_CHAIN_KEY, which is kept outside the database. So
a row changed or removed behind the application's back (by someone with database access, past
the append-only triggers) breaks the chain at that row, and someone who recomputes every hash
after a change cannot make them right without the key; `manage.py verify_audit_chain` names
what it finds (people/audit_chain.py). Entries cut off the end are found against the heads the
application records now and then outside the database (people/audit_chain.py as well).
"""

import base64
import hashlib
import hmac
import json
import os
from collections.abc import Iterable
from datetime import UTC
from functools import cache
from typing import Any

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import connection, models, transaction
from django.utils.translation import gettext_lazy as _

from waystation import clock
from waystation.rows import insert_instances


class AuditLogIsAppendOnly(Exception):
    pass


# Any constant fits; it only has to be the same for every writer of this database.
CHAIN_LOCK_KEY = 0x57A7_A0D1


def canonical_content(entry: "AuditEntry") -> str:
    """The fields that make an entry what it is, in one stable text form. The id is left out
    (bulk inserts learn it only afterwards); order is kept by the chain itself."""
    at = entry.at.astimezone(UTC).isoformat(timespec="microseconds")
    content = {
        "at": at,
        "user": entry.user_id,
        "role": str(entry.role),
        "action": str(entry.action),
        "object_type": str(entry.object_type),
        "object_id": str(entry.object_id),
        "person": entry.person_id,
        "station": entry.station_id,
        "reason": str(entry.reason),
        "detail": entry.detail,
    }
    return json.dumps(content, sort_keys=True, ensure_ascii=False, separators=(",", ":"))


KEY_VARIABLE = "AUDIT_CHAIN_KEY"


@cache
def _chain_key(raw: str, debug: bool, secret_key: str) -> bytes:
    if raw:
        return raw.encode("utf-8")
    if not debug:
        raise ImproperlyConfigured(
            f"Set {KEY_VARIABLE} in the environment: it keys the audit log's hash chain "
            "(any long random text; keep it apart from the database and its backups)."
        )
    # A development key, only as secret as SECRET_KEY: fine for the demo and the tests.
    return base64.b64encode(
        hashlib.sha256(b"waystation-audit-chain:" + secret_key.encode()).digest()
    )


def audit_chain_key() -> bytes:
    return _chain_key(os.environ.get(KEY_VARIABLE, ""), bool(settings.DEBUG), settings.SECRET_KEY)


def keyed_digest(text: str) -> str:
    return hmac.new(audit_chain_key(), text.encode("utf-8"), hashlib.sha256).hexdigest()


def chain_hash(previous_hash: str, entry: "AuditEntry") -> str:
    return keyed_digest(previous_hash + "\n" + canonical_content(entry))


def _lock_chain_and_read_head() -> str:
    """Serialise appenders until the caller's transaction ends, then read the chain's head.

    PostgreSQL: a transaction-scoped advisory lock (released on commit or rollback). SQLite:
    every transaction is BEGIN IMMEDIATE (settings), which already holds the database's single
    write lock, so no two appenders can read the same head.
    """
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [CHAIN_LOCK_KEY])
    with connection.cursor() as cursor:  # every write of the app passes here: no ORM compile
        cursor.execute(
            f"SELECT entry_hash FROM {AuditEntry._meta.db_table} ORDER BY id DESC LIMIT 1"  # noqa: S608
        )
        last = cursor.fetchone()
    return last[0] if last else ""


def _link(entries: Iterable["AuditEntry"], previous_hash: str) -> None:
    for entry in entries:
        # Round-trip the detail through JSON so the hash is of what the database gives back.
        entry.detail = json.loads(json.dumps(entry.detail or {}))
        entry.prev_hash = previous_hash
        entry.entry_hash = chain_hash(previous_hash, entry)
        previous_hash = entry.entry_hash


class AuditQuerySet(models.QuerySet):
    def bulk_create(self, objs: Iterable[Any], *args: Any, **kwargs: Any) -> list[Any]:
        """Chain the whole batch under one lock and insert it in order (one query per batch)."""
        objs = list(objs)
        # The atomic block only makes sure the lock and the insert share a transaction; inside
        # a caller's transaction a savepoint would add two statements to every registration.
        with transaction.atomic(using=self.db, savepoint=False):
            _link(objs, _lock_chain_and_read_head())
            created = super().bulk_create(objs, *args, **kwargs)
            _head_recorder()
            return created

    def update(self, **kwargs: Any) -> int:
        raise AuditLogIsAppendOnly("Audit entries cannot be changed.")

    def delete(self) -> tuple[int, dict[str, int]]:
        raise AuditLogIsAppendOnly("Audit entries cannot be deleted.")


class AuditEntry(models.Model):
    class Action(models.TextChoices):
        VIEW = "view", _("Viewed")
        CREATE = "create", _("Created")
        UPDATE = "update", _("Changed")
        TRANSITION = "transition", _("Moved along the journey")
        OVERRIDE = "override", _("Overrode a rule")
        REFUSED = "refused", _("Was refused")
        SEARCH = "search", _("Searched")
        EXPORT = "export", _("Exported")

    at = models.DateTimeField(default=clock.now, db_index=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    role = models.CharField(max_length=32, blank=True)
    action = models.CharField(max_length=16, choices=Action.choices)
    object_type = models.CharField(max_length=40)
    object_id = models.CharField(max_length=64, blank=True)
    person = models.ForeignKey(
        "people.Person", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    station = models.ForeignKey(
        "stations.Station", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    reason = models.TextField(blank=True)
    detail = models.JSONField(default=dict, blank=True)
    prev_hash = models.CharField(max_length=64, blank=True, editable=False)
    entry_hash = models.CharField(max_length=64, blank=True, editable=False)

    objects = AuditQuerySet.as_manager()

    class Meta:
        ordering = ["-at", "-id"]
        verbose_name = _("audit entry")
        verbose_name_plural = _("audit log")
        indexes = [
            models.Index(fields=["person", "at"], name="audit_person_time"),
            models.Index(fields=["user", "at"], name="audit_user_time"),
            models.Index(fields=["action", "at"], name="audit_action_time"),
        ]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.action} {self.object_type} {self.object_id}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None and not self._state.adding:
            raise AuditLogIsAppendOnly("Audit entries cannot be changed.")
        with transaction.atomic(using=kwargs.get("using"), savepoint=False):
            _link([self], _lock_chain_and_read_head())
            super().save(*args, **kwargs)
            _head_recorder()

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise AuditLogIsAppendOnly("Audit entries cannot be deleted.")


def _head_recorder() -> None:
    """Now and then, once the append commits, record the chain's signed head outside the
    database (people/audit_chain.py)."""
    from people.audit_chain import record_head_now_and_then

    transaction.on_commit(record_head_now_and_then)


def _profile_of(user: Any) -> Any:
    if user is None or not getattr(user, "is_authenticated", False):
        return None
    from stations.access import staff_profile_of

    return staff_profile_of(user)


def audit_entries(user: Any, action: str, persons: list[Any], reason: str = "") -> list[AuditEntry]:
    """One entry per person, not yet chained nor saved (append_entries does both)."""
    profile = _profile_of(user)
    return [
        AuditEntry(
            user=user if profile is not None or getattr(user, "is_authenticated", False) else None,
            role=profile.role if profile else "",
            action=action,
            object_type=person._meta.label,
            object_id=str(person.pk),
            person_id=person.pk,
            station_id=person.station_id,
            reason=reason,
        )
        for person in persons
    ]


def append_entries(entries: list[AuditEntry]) -> None:
    """Chain entries as bulk_create chains them, but insert them as plain rows: nothing
    needs their ids, and the ORM's per-value compilation was a tenth of a registration."""
    with transaction.atomic(savepoint=False):
        _link(entries, _lock_chain_and_read_head())
        insert_instances(AuditEntry, entries)
        _head_recorder()


def record_audits(user: Any, action: str, persons: list[Any], reason: str = "") -> None:
    """One entry per person, written in one query (a household registers several at once)."""
    append_entries(audit_entries(user, action, persons, reason))


def record_audit(
    *,
    user: Any,
    action: str,
    obj: models.Model | None = None,
    person: Any = None,
    station: Any = None,
    reason: str = "",
    detail: dict | None = None,
) -> AuditEntry:
    """Write one audit entry. Callers pass the acting user; the role is snapshotted so the
    entry stays true even after the user's role changes."""
    profile = _profile_of(user)
    return AuditEntry.objects.create(
        user=user if getattr(user, "is_authenticated", False) else None,
        role=profile.role if profile else "",
        action=action,
        object_type=obj._meta.label if obj is not None else "",
        object_id=str(obj.pk) if obj is not None else "",
        person=person,
        station=station if station is not None else getattr(person, "station", None),
        reason=reason,
        detail=detail or {},
    )


def record_persons_shown(
    user: Any,
    persons: Iterable[Any],
    *,
    reason: str,
    searched: bool = False,
    detail: dict | None = None,
) -> AuditEntry:
    """One entry for a list, a search or a check that showed persons: which ones, in the order
    shown. What was typed stays out (the log must not become a second copy of personal data);
    that a search was made, and with which non-personal filters, is kept."""
    profile = _profile_of(user)
    return AuditEntry.objects.create(
        user=user if getattr(user, "is_authenticated", False) else None,
        role=profile.role if profile else "",
        action=AuditEntry.Action.SEARCH if searched else AuditEntry.Action.VIEW,
        object_type="people.Person",
        reason=reason,
        detail={"shown": [person.pk for person in persons], **(detail or {})},
    )


def verify_chain(entries: Iterable[AuditEntry]) -> tuple[int | None, str] | None:
    """Walk the entries in id order; the first broken link as (entry id, why), or None."""
    from people.audit_chain import walk_chain

    report = walk_chain(entries)
    return (report.findings[0].entry_id, report.findings[0].text) if report.findings else None
