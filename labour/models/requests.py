"""A placement run asked for on the labour page: the engine works it out on the task queue's
worker, so a province-wide run never holds a request, and the page follows its progress."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from labour.models.runs import PlacementRun


class PlacementRequest(models.Model):
    class Status(models.TextChoices):
        QUEUED = "queued", _("Waiting for the worker")
        RUNNING = "running", _("Being worked out")
        DONE = "done", _("Done")
        FAILED = "failed", _("Refused")

    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("asked at"))
    province = models.CharField(_("province"), max_length=120)
    station = models.ForeignKey(
        "stations.Station", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    # what the officer chose on the form: batch dates, weights, moves, other provinces
    asked = models.JSONField(default=dict)
    status = models.CharField(
        _("status"), max_length=8, choices=Status.choices, default=Status.QUEUED
    )
    run = models.OneToOneField(
        PlacementRun, on_delete=models.SET_NULL, null=True, blank=True, related_name="request"
    )
    problem = models.TextField(_("why it was refused"), blank=True, default="")
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("placement request")
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=["queued", "running", "done", "failed"]),
                name="labour_placement_request_status",
            ),
            models.CheckConstraint(
                condition=~Q(status="done") | Q(run__isnull=False),
                name="labour_placement_request_done_has_run",
            ),
        ]

    def __str__(self) -> str:
        return f"placement request {self.pk} ({self.status})"


class ApprovalRequest(models.Model):
    """An officer's approval of a proposed run, carried out on the task queue's worker: on a
    province-wide run the placements, journey steps and travel passes take seconds, which
    must not hold the officer's request. At most one is pending per run, so a second click
    or an edit cannot race the one under way."""

    Status = PlacementRequest.Status

    run = models.ForeignKey(PlacementRun, on_delete=models.PROTECT, related_name="approvals")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("asked at"))
    travel_passes = models.BooleanField(_("request travel passes"), default=False)
    # the officer's language, so that a refusal is written in it by the worker
    language = models.CharField(max_length=10, blank=True, default="")
    status = models.CharField(
        _("status"), max_length=8, choices=Status.choices, default=Status.QUEUED
    )
    # counts from approve_run: placed, skipped, moved, kept, passes_requested, passes_refused
    outcome = models.JSONField(default=dict, blank=True)
    problem = models.TextField(_("why it was refused"), blank=True, default="")
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("approval request")
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=["queued", "running", "done", "failed"]),
                name="labour_approval_request_status",
            ),
            models.UniqueConstraint(
                fields=["run"],
                condition=Q(status__in=["queued", "running"]),
                name="labour_one_pending_approval_per_run",
            ),
        ]

    def __str__(self) -> str:
        return f"approval request {self.pk} of run {self.run_id} ({self.status})"

    @property
    def pending(self) -> bool:
        return self.status in (self.Status.QUEUED, self.Status.RUNNING)
