"""Placement runs, their proposed assignments and the approved placements. A proposal's
status matches where it points; a person has at most one active placement."""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from labour.models.sites import Site, Vacancy

USER = settings.AUTH_USER_MODEL


class PlacementRun(models.Model):
    class Scope(models.TextChoices):
        STATION = "station", _("Station")
        BATCH = "batch", _("Weekly batch")
        WHAT_IF = "what_if", _("What-if")

    class Status(models.TextChoices):
        PROPOSED = "proposed", _("Proposed")
        APPROVED = "approved", _("Approved")

    scope = models.CharField(_("scope"), max_length=10, choices=Scope.choices)
    province = models.CharField(_("province"), max_length=120)
    station = models.ForeignKey(
        "stations.Station", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    batch_from = models.DateField(_("batch from"), null=True, blank=True)
    batch_to = models.DateField(_("batch to"), null=True, blank=True)
    base_run = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="what_ifs"
    )
    parameters = models.JSONField(_("weights and parameters"), default=dict)
    other_provinces = models.JSONField(
        _("other provinces of the plan"),
        default=list,
        blank=True,
        help_text=_(
            "Sites of these provinces are open too; people sent there need a travel permit."
        ),
    )
    vacancy_overrides = models.JSONField(_("vacancy overrides"), default=dict, blank=True)
    allow_moves = models.BooleanField(
        _("people already at work may be moved"),
        default=False,
        help_text=_("Set by the officer; without it, people at work keep their placements."),
    )
    inputs = models.JSONField(default=dict, editable=False)
    metrics = models.JSONField(default=dict, editable=False)
    prices = models.JSONField(default=list, editable=False)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PROPOSED
    )
    created_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("created at"))
    approved_by = models.ForeignKey(
        USER, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    approved_at = models.DateTimeField(_("approved at"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("placement run")
        verbose_name_plural = _("placement runs")
        constraints = [
            models.CheckConstraint(
                condition=~Q(scope="station") | Q(station__isnull=False),
                name="labour_station_run_has_station",
            ),
            models.CheckConstraint(
                condition=~Q(scope="batch")
                | Q(
                    batch_from__isnull=False, batch_to__isnull=False, batch_from__lte=F("batch_to")
                ),
                name="labour_batch_run_has_dates",
            ),
            models.CheckConstraint(
                condition=~Q(scope="what_if") | Q(base_run__isnull=False),
                name="labour_what_if_has_base",
            ),
            # A what-if changes vacancies only on paper: it is compared, never approved.
            models.CheckConstraint(
                condition=Q(status="proposed")
                | (
                    Q(status="approved", approved_by__isnull=False, approved_at__isnull=False)
                    & ~Q(scope="what_if")
                ),
                name="labour_run_approval_recorded",
            ),
        ]

    def __str__(self) -> str:
        return f"#{self.pk} {self.get_scope_display()} {self.created_at:%Y-%m-%d %H:%M}"


class ProposedAssignment(models.Model):
    class Status(models.TextChoices):
        PLACED = "placed", _("In a job")
        HOUSED = "housed", _("Housing only")
        UNPLACED = "unplaced", _("Not placed")

    run = models.ForeignKey(PlacementRun, on_delete=models.PROTECT, related_name="assignments")
    person = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="+")
    status = models.CharField(_("status"), max_length=10, choices=Status.choices)
    vacancy = models.ForeignKey(
        Vacancy, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    site = models.ForeignKey(
        Site, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    score = models.FloatField(_("score"), default=0.0)
    predicted_stay = models.FloatField(_("chance of staying 180 days"), null=True, blank=True)
    reason = models.TextField(_("reason"), blank=True)
    # {"alternatives": [{vacancy, site, score, eligible, reason}], "prices": {...}}
    explanation = models.JSONField(default=dict)
    edited = models.BooleanField(default=False)
    edit_reason = models.TextField(_("reason for the change"), blank=True)
    edited_by = models.ForeignKey(USER, on_delete=models.PROTECT, null=True, related_name="+")
    edited_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["run", "person"]
        verbose_name = _("proposed assignment")
        verbose_name_plural = _("proposed assignments")
        constraints = [
            models.UniqueConstraint(
                fields=["run", "person"], name="labour_one_proposal_per_person"
            ),
            models.CheckConstraint(
                condition=Q(status="placed", vacancy__isnull=False, site__isnull=False)
                | Q(status="housed", vacancy__isnull=True, site__isnull=False)
                | Q(status="unplaced", vacancy__isnull=True, site__isnull=True),
                name="labour_proposal_status_matches",
            ),
            models.CheckConstraint(
                condition=Q(status="placed") | ~Q(reason=""), name="labour_unplaced_has_reason"
            ),
            models.CheckConstraint(
                condition=Q(edited=False)
                | (~Q(edit_reason="") & Q(edited_by__isnull=False, edited_at__isnull=False)),
                name="labour_edit_has_reason",
            ),
        ]

    def __str__(self) -> str:
        return f"run {self.run_id} person {self.person_id}: {self.status}"


class Placement(models.Model):
    """An approved placement: where a person works (or, for dependants, lives)."""

    class Status(models.TextChoices):
        ACTIVE = "active", _("Active")
        ENDED = "ended", _("Ended")

    person = models.ForeignKey(
        "people.Person", on_delete=models.PROTECT, related_name="labour_placements"
    )
    vacancy = models.ForeignKey(
        Vacancy, on_delete=models.PROTECT, null=True, blank=True, related_name="placements"
    )
    site = models.ForeignKey(Site, on_delete=models.PROTECT, related_name="placements")
    run = models.ForeignKey(
        PlacementRun, on_delete=models.PROTECT, null=True, blank=True, related_name="placements"
    )
    start_date = models.DateField(_("start date"))
    end_date = models.DateField(_("end date"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=8, choices=Status.choices, default=Status.ACTIVE
    )
    end_reason = models.CharField(_("why it ended"), max_length=300, blank=True)
    created_by = models.ForeignKey(USER, on_delete=models.PROTECT, null=True, related_name="+")
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["-start_date", "-id"]
        verbose_name = _("placement")
        verbose_name_plural = _("placements")
        indexes = [
            models.Index(fields=["vacancy", "status"], name="labour_placement_vacancy"),
            # The sites page counts people housed per site and per vacancy from this index alone
            # (status is in it, so no placement row is read; a partial index on status would
            # still make SQLite read each row to test it).
            models.Index(fields=["site", "status", "vacancy"], name="labour_placement_site_active"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["person"],
                condition=Q(status="active"),
                name="labour_one_active_placement",
            ),
            models.CheckConstraint(
                condition=Q(status="active", end_date__isnull=True)
                | Q(status="ended", end_date__isnull=False, end_date__gte=F("start_date")),
                name="labour_placement_end_consistent",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person_id} at {self.site_id} from {self.start_date}"
