"""The append-only audit log: who read or changed what, when and why."""

from typing import Any

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class AuditLogIsAppendOnly(Exception):
    pass


class AuditQuerySet(models.QuerySet):
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

    at = models.DateTimeField(default=timezone.now, db_index=True)
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
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise AuditLogIsAppendOnly("Audit entries cannot be deleted.")


def _profile_of(user: Any) -> Any:
    if user is None or not getattr(user, "is_authenticated", False):
        return None
    from stations.access import staff_profile_of

    return staff_profile_of(user)


def record_audits(user: Any, action: str, persons: list[Any], reason: str = "") -> None:
    """One entry per person, written in one query (a household registers several at once)."""
    profile = _profile_of(user)
    AuditEntry.objects.bulk_create(
        AuditEntry(
            user=user if profile is not None or getattr(user, "is_authenticated", False) else None,
            role=profile.role if profile else "",
            action=action,
            object_type=person._meta.label,
            object_id=str(person.pk),
            person=person,
            station_id=person.station_id,
            reason=reason,
        )
        for person in persons
    )


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
