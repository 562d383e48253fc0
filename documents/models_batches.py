"""A day's documents of one office printed as one PDF, made by the task queue's worker."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class BatchPrint(models.Model):
    """The documents an office issued on one day, laid out as one PDF for printing by the
    task queue's worker (two hundred documents take about ten seconds, longer than a page may
    hold a request). The PDF holds personal data: only the officer who asked for it may
    download it, and it is erased a day after it was made (documents.batches)."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("Waiting for the worker")
        RUNNING = "running", _("Being laid out")
        DONE = "done", _("Ready")
        FAILED = "failed", _("Could not be made")

    office = models.ForeignKey(
        "documents.IssuingOffice", on_delete=models.PROTECT, related_name="+"
    )
    day = models.DateField()
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    requested_at = models.DateTimeField()
    status = models.CharField(max_length=8, choices=Status.choices, default=Status.QUEUED)
    # chosen when asked for, within what the officer may see
    document_ids = models.JSONField(default=list)
    done = models.PositiveIntegerField(default=0)
    pdf = models.BinaryField(null=True, editable=False)
    finished_at = models.DateTimeField(null=True, blank=True)
    erased_at = models.DateTimeField(null=True, blank=True)
    problem = models.TextField(blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["office", "day", "requested_by"],
                condition=Q(status__in=("queued", "running")),
                name="documents_one_batch_under_way",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.office_id} {self.day} ({self.status})"

    @property
    def total(self) -> int:
        return len(self.document_ids)

    @property
    def percent(self) -> int:
        return round(100 * self.done / self.total) if self.total else 0

    @property
    def waiting(self) -> bool:
        return self.status in (self.Status.QUEUED, self.Status.RUNNING)
