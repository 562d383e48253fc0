"""Imports of existing data from a spreadsheet: a job per file (its rows, how its columns map
to fields, progress and every refusal) and the source keys that make importing the same
register again add nobody twice."""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from people.models import Person
from stations.models import Station


class ImportJob(models.Model):
    class Kind(models.TextChoices):
        REGISTER = "register", _("Register of persons")
        LABOUR_PLAN = "labour_plan", _("Labour plan (sites, vacancies, housing)")

    class Status(models.TextChoices):
        UPLOADED = "uploaded", _("Columns to map")
        QUEUED = "queued", _("Waiting to run")
        RUNNING = "running", _("Running")
        DONE = "done", _("Done")
        FAILED = "failed", _("Failed")

    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    # the register's name: its keys are unique within it (e.g. "Onsong county register 1961")
    source = models.CharField(_("source"), max_length=120)
    station = models.ForeignKey(
        Station, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    file_name = models.CharField(_("file"), max_length=200)
    header = models.JSONField(default=list)
    rows = models.JSONField(default=list)
    mapping = models.JSONField(default=dict, blank=True)
    dry_run = models.BooleanField(_("dry run"), default=True)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.UPLOADED
    )
    done = models.PositiveIntegerField(default=0)
    total = models.PositiveIntegerField(default=0)
    refusals = models.JSONField(default=list, blank=True)
    counts = models.JSONField(default=dict, blank=True)
    error = models.TextField(blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("uploaded at"))
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    # when the rows' values were erased (imports/erasure.py): after the import, or once a file
    # that was only dry-run is older than the retention period
    rows_erased_at = models.DateTimeField(_("uploaded values erased at"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("import")
        verbose_name_plural = _("imports")
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=["register", "labour_plan"]), name="import_kind_known"
            ),
            models.CheckConstraint(
                condition=Q(status__in=["uploaded", "queued", "running", "done", "failed"]),
                name="import_status_known",
            ),
            models.CheckConstraint(condition=Q(done__lte=F("total")), name="import_done_le_total"),
            models.CheckConstraint(
                condition=~Q(kind="register") | Q(station__isnull=False),
                name="import_register_has_station",
            ),
            models.CheckConstraint(condition=~Q(source=""), name="import_has_source"),
        ]

    def __str__(self) -> str:
        return f"{self.file_name} ({self.get_kind_display()})"

    @property
    def percent(self) -> int:
        return int(100 * self.done / self.total) if self.total else 0

    @property
    def is_active(self) -> bool:
        return self.status in (self.Status.QUEUED, self.Status.RUNNING)


class SourceKey(models.Model):
    """A row of an imported register and the person it became: importing the register again
    finds the key and adds nobody twice."""

    source = models.CharField(_("source"), max_length=120)
    key = models.CharField(_("key"), max_length=120)
    # the row's household value in the register: a row added to it later joins the household
    household = models.CharField(_("household"), max_length=120, blank=True)
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+")
    job = models.ForeignKey(ImportJob, on_delete=models.PROTECT, related_name="keys")

    class Meta:
        verbose_name = _("source key")
        constraints = [
            models.UniqueConstraint(fields=["source", "key"], name="source_key_unique"),
            models.CheckConstraint(condition=~Q(key=""), name="source_key_not_empty"),
        ]
        indexes = [models.Index(fields=["source", "household"], name="source_key_household")]

    def __str__(self) -> str:
        return f"{self.source}: {self.key}"
