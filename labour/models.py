"""Employers, sites and vacancies; credentials and preferences; placement runs, their proposed
assignments and the approved placements. The database enforces the invariants: verification
needs evidence, a proposal's status matches where it points, one active placement per person."""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

USER = settings.AUTH_USER_MODEL


class SiteKind(models.TextChoices):
    # Values are the engine's sectors (labour.engine.model.SECTORS).
    MINE = "mine", _("Mine")
    FARM = "farm", _("Farming commune")
    FACTORY = "factory", _("Factory")
    INSTITUTE = "institute", _("Institute")
    CENTRAL_DEPARTMENT = "central_department", _("Central department")


class Employer(models.Model):
    name = models.CharField(_("name"), max_length=160, unique=True)
    kind = models.CharField(_("kind"), max_length=24, choices=SiteKind.choices)
    province = models.CharField(_("province"), max_length=120)

    class Meta:
        ordering = ["name"]
        verbose_name = _("employer")
        verbose_name_plural = _("employers")
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=SiteKind.values), name="labour_employer_kind_known"
            ),
            models.CheckConstraint(condition=~Q(name=""), name="labour_employer_has_name"),
            models.CheckConstraint(condition=~Q(province=""), name="labour_employer_has_province"),
        ]

    def __str__(self) -> str:
        return self.name


class Site(models.Model):
    employer = models.ForeignKey(Employer, on_delete=models.PROTECT, related_name="sites")
    name = models.CharField(_("name"), max_length=160)
    kind = models.CharField(_("kind"), max_length=24, choices=SiteKind.choices)
    province = models.CharField(_("province"), max_length=120)
    county = models.CharField(_("county"), max_length=120)
    housing_places = models.PositiveIntegerField(_("housing places"))
    # Planar km on a province map: the engine only uses distances (to relatives).
    x_km = models.FloatField(_("east (km)"), default=0.0)
    y_km = models.FloatField(_("north (km)"), default=0.0)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["province", "county", "name"]
        verbose_name = _("site")
        verbose_name_plural = _("sites")
        constraints = [
            models.UniqueConstraint(fields=["employer", "name"], name="labour_site_unique_name"),
            models.CheckConstraint(
                condition=Q(kind__in=SiteKind.values), name="labour_site_kind_known"
            ),
            models.CheckConstraint(
                condition=Q(housing_places__gte=0), name="labour_site_housing_not_negative"
            ),
            models.CheckConstraint(condition=~Q(province=""), name="labour_site_has_province"),
            models.CheckConstraint(condition=~Q(county=""), name="labour_site_has_county"),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.county})"


class Vacancy(models.Model):
    """Positions for one occupation at one site; slots counts all of them, filled or not."""

    site = models.ForeignKey(Site, on_delete=models.PROTECT, related_name="vacancies")
    occupation = models.CharField(_("occupation"), max_length=120)
    slots = models.PositiveIntegerField(_("positions"))
    required_credential = models.CharField(
        _("verified credential needed"), max_length=120, blank=True
    )
    heavy_work = models.BooleanField(_("needs fitness for heavy work"), default=False)
    min_age = models.PositiveSmallIntegerField(_("minimum age"), default=16)
    language = models.CharField(_("language needed"), max_length=8, blank=True)
    difficulty = models.FloatField(_("difficulty (0 light – 1 hardest)"), default=0.5)
    skilled = models.BooleanField(_("skilled post"), default=False)
    is_open = models.BooleanField(_("open"), default=True)

    class Meta:
        ordering = ["site", "occupation"]
        verbose_name = _("vacancy")
        verbose_name_plural = _("vacancies")
        constraints = [
            models.UniqueConstraint(
                fields=["site", "occupation"], name="labour_vacancy_one_per_occupation"
            ),
            models.CheckConstraint(condition=~Q(occupation=""), name="labour_vacancy_occupation"),
            models.CheckConstraint(
                condition=Q(min_age__gte=14, min_age__lte=70), name="labour_vacancy_min_age"
            ),
            models.CheckConstraint(
                condition=Q(difficulty__gte=0, difficulty__lte=1),
                name="labour_vacancy_difficulty_range",
            ),
            # A skilled post is only as good as the proof behind it (the cable's liars).
            models.CheckConstraint(
                condition=Q(skilled=False) | ~Q(required_credential=""),
                name="labour_skilled_needs_credential",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.occupation} · {self.site.name}"


class Credential(models.Model):
    """A claimed education or skill; verified only with evidence, rejected claims kept."""

    class Kind(models.TextChoices):
        EDUCATION = "education", _("Education (diploma)")
        SKILL = "skill", _("Skill (certificate)")

    class Status(models.TextChoices):
        CLAIMED = "claimed", _("Claimed")
        VERIFIED = "verified", _("Verified")
        REJECTED = "rejected", _("Rejected")

    class Evidence(models.TextChoices):
        NONE = "", _("None")
        DOCUMENT = "document", _("Document seen")
        PRACTICAL_TEST = "practical_test", _("Practical test")

    person = models.ForeignKey(
        "people.Person", on_delete=models.PROTECT, related_name="credentials"
    )
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices)
    name = models.CharField(_("credential"), max_length=120)
    years = models.PositiveSmallIntegerField(_("years of study"), default=0)
    claimed_institution = models.CharField(
        _("institution (as claimed)"), max_length=200, blank=True
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.CLAIMED
    )
    evidence = models.CharField(_("evidence"), max_length=16, choices=Evidence.choices, blank=True)
    document_seen = models.CharField(_("document seen"), max_length=200, blank=True)
    issuing_institution = models.CharField(_("issuing institution"), max_length=200, blank=True)
    test_result = models.CharField(_("practical test result"), max_length=200, blank=True)
    decision_note = models.CharField(_("note or reason"), max_length=500, blank=True)
    decided_by = models.ForeignKey(USER, on_delete=models.PROTECT, null=True, related_name="+")
    decided_on = models.DateField(_("decided on"), null=True, blank=True)
    claimed_at = models.DateTimeField(_("claimed at"))
    recorded_by = models.ForeignKey(USER, on_delete=models.PROTECT, null=True, related_name="+")

    class Meta:
        ordering = ["person", "claimed_at", "id"]
        verbose_name = _("credential")
        verbose_name_plural = _("credentials")
        indexes = [models.Index(fields=["person", "status"], name="labour_credential_status")]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=["claimed", "verified", "rejected"]),
                name="labour_credential_status_known",
            ),
            models.CheckConstraint(condition=~Q(name=""), name="labour_credential_has_name"),
            models.CheckConstraint(
                condition=~Q(status="verified")
                | (
                    Q(evidence="document") & ~Q(document_seen="") & ~Q(issuing_institution="")
                    | Q(evidence="practical_test") & ~Q(test_result="")
                ),
                name="labour_verified_has_evidence",
            ),
            models.CheckConstraint(
                condition=Q(status="claimed", decided_by__isnull=True, decided_on__isnull=True)
                | (~Q(status="claimed") & Q(decided_by__isnull=False, decided_on__isnull=False)),
                name="labour_credential_decision_recorded",
            ),
            models.CheckConstraint(
                condition=~Q(status="rejected") | ~Q(decision_note=""),
                name="labour_rejection_has_reason",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.get_status_display()})"


class Preference(models.Model):
    """One ranked wish of a household (or of a person without a household)."""

    class Kind(models.TextChoices):
        SECTOR = "sector", _("Kind of work")
        PLACE = "place", _("Place")
        NEAR_RELATIVES = "near_relatives", _("Near relatives")

    person = models.ForeignKey(
        "people.Person", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    household = models.ForeignKey(
        "people.Household",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="labour_preferences",
    )
    rank = models.PositiveSmallIntegerField(_("rank"))
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    sector = models.CharField(
        _("kind of work"), max_length=24, choices=SiteKind.choices, blank=True
    )
    county = models.CharField(_("county"), max_length=120, blank=True)
    stated_at = models.DateTimeField(_("stated at"))
    # Restated wishes supersede the old ones, which are kept.
    superseded_at = models.DateTimeField(null=True, blank=True)
    recorded_by = models.ForeignKey(USER, on_delete=models.PROTECT, null=True, related_name="+")

    class Meta:
        ordering = ["household", "person", "rank"]
        verbose_name = _("preference")
        verbose_name_plural = _("preferences")
        constraints = [
            models.CheckConstraint(
                condition=Q(person__isnull=True) ^ Q(household__isnull=True),
                name="labour_preference_one_owner",
            ),
            models.CheckConstraint(condition=Q(rank__gte=1), name="labour_preference_rank"),
            models.CheckConstraint(
                condition=~Q(kind="sector") | ~Q(sector=""), name="labour_preference_sector"
            ),
            models.CheckConstraint(
                condition=Q(kind="sector") | ~Q(county=""), name="labour_preference_place"
            ),
            models.UniqueConstraint(
                fields=["household", "rank"],
                condition=Q(household__isnull=False, superseded_at__isnull=True),
                name="labour_preference_household_rank",
            ),
            models.UniqueConstraint(
                fields=["person", "rank"],
                condition=Q(person__isnull=False, superseded_at__isnull=True),
                name="labour_preference_person_rank",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.rank}. {self.get_kind_display()} {self.sector or self.county}"


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
        indexes = [models.Index(fields=["vacancy", "status"], name="labour_placement_vacancy")]
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
