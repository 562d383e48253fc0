"""Outcome histories imported from elsewhere (a CSV per import), so that a new deployment can
train its retention model on another's past; each record is one placement's features and
whether the person was still there after 180 days."""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

USER = settings.AUTH_USER_MODEL


class OutcomeImport(models.Model):
    class Status(models.TextChoices):
        QUEUED = "queued", _("Queued")
        RUNNING = "running", _("Running")
        DONE = "done", _("Done")
        FAILED = "failed", _("Failed")

    source = models.CharField(_("where the outcomes come from"), max_length=160)
    file_name = models.CharField(_("file"), max_length=260)
    content = models.TextField(_("CSV content"), editable=False)
    status = models.CharField(
        _("status"), max_length=8, choices=Status.choices, default=Status.QUEUED
    )
    total_rows = models.PositiveIntegerField(_("rows"), default=0)
    done_rows = models.PositiveIntegerField(_("rows read"), default=0)
    imported = models.PositiveIntegerField(_("records imported"), default=0)
    errors = models.JSONField(_("rows refused"), default=list, blank=True)
    created_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("created at"))
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("outcome import")
        verbose_name_plural = _("outcome imports")
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=["queued", "running", "done", "failed"]),
                name="labour_outcome_import_status",
            ),
            models.CheckConstraint(
                condition=Q(done_rows__lte=F("total_rows")), name="labour_outcome_import_progress"
            ),
            models.CheckConstraint(condition=~Q(source=""), name="labour_outcome_import_source"),
        ]

    def __str__(self) -> str:
        return f"{self.source} ({self.file_name})"

    @property
    def percent(self) -> int:
        return round(100 * self.done_rows / self.total_rows) if self.total_rows else 0


class OutcomeRecord(models.Model):
    """One imported placement: the engine's pair features (labour.engine.features) by name."""

    outcome_import = models.ForeignKey(
        OutcomeImport, on_delete=models.CASCADE, related_name="records"
    )
    features = models.JSONField(_("features"))
    stayed = models.BooleanField(_("still there after 180 days"))
    outcome_date = models.DateField(_("outcome known on"), null=True, blank=True)

    class Meta:
        ordering = ["outcome_import", "id"]
        verbose_name = _("imported outcome")
        verbose_name_plural = _("imported outcomes")

    def __str__(self) -> str:
        return f"{self.outcome_import_id}: {'stayed' if self.stayed else 'left'}"
