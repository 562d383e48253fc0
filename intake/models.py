from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from people.models import Person
from waystation import clock


class EditConflict(models.Model):
    """An edit of a person made on an out-of-date copy (usually offline) that differs from what
    the server now holds. Nothing is overwritten: a registrar chooses field by field."""

    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        RESOLVED = "resolved", _("Resolved")

    client_uuid = models.UUIDField(unique=True)
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="edit_conflicts")
    base_version = models.PositiveIntegerField()
    server_version = models.PositiveIntegerField()
    proposed = models.JSONField(help_text="The fields the late edit wanted to set.")
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    submitted_at = models.DateTimeField(default=clock.now)
    status = models.CharField(max_length=8, choices=Status.choices, default=Status.OPEN)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    resolved_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("edit conflict")
        ordering = ["-submitted_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status="open", resolved_at__isnull=True)
                | Q(status="resolved", resolved_at__isnull=False),
                name="edit_conflict_resolution_dated",
            ),
            models.CheckConstraint(
                condition=Q(server_version__gt=models.F("base_version")),
                name="edit_conflict_base_is_stale",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person} v{self.base_version}→v{self.server_version}"


class EditReceipt(models.Model):
    """Every edit sent with a client UUID, with the hash of what it asked: a resend of the same
    edit is answered without applying it again, other content under the UUID is a conflict."""

    client_uuid = models.UUIDField(unique=True)
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+")
    submission_hash = models.CharField(max_length=64)
    received_at = models.DateTimeField(default=clock.now)

    class Meta:
        constraints = [
            models.CheckConstraint(condition=~Q(submission_hash=""), name="edit_receipt_hashed")
        ]

    def __str__(self) -> str:
        return str(self.client_uuid)


class FormSubmission(models.Model):
    """A page's form as sent by a signed-in user, by the client token every form carries
    (intake/resends.py): a second post of the same form (a double click, a resend after a
    lost answer) is answered with where the first one led, and stores nothing twice."""

    class State(models.TextChoices):
        PENDING = "pending", _("Being handled")
        DONE = "done", _("Done")
        OPEN = "open", _("Answered without saving")

    token = models.UUIDField(unique=True)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    path = models.CharField(max_length=300)
    state = models.CharField(max_length=8, choices=State.choices, default=State.PENDING)
    location = models.CharField(max_length=2000, blank=True)
    sent_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(state__in=["pending", "done", "open"]), name="form_submission_state"
            ),
            models.CheckConstraint(
                condition=~Q(state="done") | ~Q(location=""), name="form_submission_done_leads"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.path} {self.token}"
