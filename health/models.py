"""Quarantine stays, their checklist (washing, disinfection, vaccinations, examinations), the
clearance decision, disease cases, and the policy tables that set lengths and thresholds."""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from health.crypto import EncryptedTextField
from people.models import Category, Household, Person
from stations.models import Station
from waystation.i18n import in_reader_language

USER = settings.AUTH_USER_MODEL


class QuarantinePolicy(models.Model):
    """How long a stay lasts and how long a contagious household is held longer, per category;
    a row with a station overrides the default row (no station) of its category."""

    category = models.CharField(_("category"), max_length=24, choices=Category.choices)
    station = models.ForeignKey(
        Station, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    quarantine_days = models.PositiveSmallIntegerField(_("quarantine days"))
    contagious_extension_days = models.PositiveSmallIntegerField(_("extension if contagious"))

    class Meta:
        verbose_name = _("quarantine policy")
        verbose_name_plural = _("quarantine policies")
        constraints = [
            models.UniqueConstraint(
                fields=["category"],
                condition=Q(station__isnull=True),
                name="one_default_quarantine_policy",
            ),
            models.UniqueConstraint(
                fields=["category", "station"],
                condition=Q(station__isnull=False),
                name="one_station_quarantine_policy",
            ),
            models.CheckConstraint(
                condition=Q(quarantine_days__gte=1) & Q(quarantine_days__lte=90),
                name="quarantine_days_plausible",
            ),
            models.CheckConstraint(
                condition=Q(contagious_extension_days__lte=90),
                name="quarantine_extension_plausible",
            ),
            models.CheckConstraint(
                condition=Q(category__in=[c.value for c in Category]),
                name="quarantine_policy_category_known",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.category} {self.station or '*'}: {self.quarantine_days}"


class Disease(models.Model):
    """The maintained list of notifiable diseases, with ICD-10 codes."""

    icd10 = models.CharField(_("ICD-10 code"), max_length=8, unique=True)
    name_en = models.CharField(_("name (English)"), max_length=120)
    name_ko = models.CharField(_("name (Korean)"), max_length=120)
    name_zh = models.CharField(_("name (Chinese)"), max_length=120)
    is_active = models.BooleanField(_("in use"), default=True)

    class Meta:
        ordering = ["icd10"]
        verbose_name = _("disease")
        verbose_name_plural = _("diseases")
        constraints = [
            models.CheckConstraint(condition=~Q(icd10=""), name="disease_has_icd10"),
        ]

    def __str__(self) -> str:
        return f"{self.localized_name} ({self.icd10})"

    @property
    def localized_name(self) -> str:
        return in_reader_language(self.name_en, self.name_ko, self.name_zh)


class OutbreakRule(models.Model):
    """Alert when `threshold` cases of one disease in one county have their onset within
    `window_days`; a row for a disease overrides the default row (no disease)."""

    disease = models.ForeignKey(
        Disease, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    threshold = models.PositiveSmallIntegerField(_("cases that raise an alert"))
    window_days = models.PositiveSmallIntegerField(_("within days"))

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["disease"], condition=Q(disease__isnull=False), name="one_rule_per_disease"
            ),
            models.UniqueConstraint(
                fields=["threshold"], condition=Q(disease__isnull=True), name="one_default_rule"
            ),
            models.CheckConstraint(condition=Q(threshold__gte=1), name="outbreak_threshold_min"),
            models.CheckConstraint(
                condition=Q(window_days__gte=1) & Q(window_days__lte=120),
                name="outbreak_window_plausible",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.disease_id or '*'}: {self.threshold} in {self.window_days} days"


class Vaccine(models.Model):
    """Vaccines given at the stations; `doses_required` > 0 makes one part of the checklist."""

    code = models.SlugField(_("code"), max_length=32, unique=True)
    name_en = models.CharField(_("name (English)"), max_length=120)
    name_ko = models.CharField(_("name (Korean)"), max_length=120)
    name_zh = models.CharField(_("name (Chinese)"), max_length=120)
    cvx = models.CharField(_("CVX code"), max_length=8, blank=True)
    doses_required = models.PositiveSmallIntegerField(_("doses required in quarantine"))

    class Meta:
        ordering = ["code"]
        constraints = [
            models.CheckConstraint(
                condition=Q(doses_required__lte=5), name="vaccine_doses_plausible"
            )
        ]

    def __str__(self) -> str:
        return in_reader_language(self.name_en, self.name_ko, self.name_zh)


class Fitness(models.TextChoices):
    HEAVY = "heavy", _("Fit for heavy work")
    LIGHT = "light", _("Fit for light work")
    NOT_FIT = "not_fit", _("Not fit for work")


class QuarantineStay(models.Model):
    class Status(models.TextChoices):
        OPEN = "open", _("In quarantine")
        CLEARED = "cleared", _("Cleared")
        ENDED = "ended", _("Left before clearance")

    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="quarantine_stays")
    station = models.ForeignKey(Station, on_delete=models.PROTECT, related_name="+")
    household = models.ForeignKey(
        Household, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    status = models.CharField(max_length=8, choices=Status.choices, default=Status.OPEN)
    started_on = models.DateField(_("admitted on"))
    planned_days = models.PositiveSmallIntegerField(_("planned days"))
    planned_end = models.DateField(_("planned end"))
    washed_on = models.DateField(_("washed on"), null=True, blank=True)
    washed_by = models.ForeignKey(USER, on_delete=models.PROTECT, null=True, related_name="+")
    disinfected_on = models.DateField(_("disinfected on"), null=True, blank=True)
    disinfected_by = models.ForeignKey(USER, on_delete=models.PROTECT, null=True, related_name="+")
    admitted_by = models.ForeignKey(USER, on_delete=models.PROTECT, null=True, related_name="+")
    closed_on = models.DateField(null=True, blank=True)

    class Meta:
        verbose_name = _("quarantine stay")
        indexes = [
            # Covers the board's counts and its order by planned end. Beds are the supplies
            # app's (supplies.beds): a stay has none of its own.
            models.Index(fields=["station", "status", "planned_end"], name="stay_board"),
            models.Index(fields=["person", "started_on"], name="stay_person"),
            models.Index(fields=["household", "status"], name="stay_household"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["person"], condition=Q(status="open"), name="one_open_stay_per_person"
            ),
            models.CheckConstraint(
                condition=Q(planned_end__gt=F("started_on")), name="stay_ends_after_start"
            ),
            models.CheckConstraint(
                condition=Q(status__in=["open", "cleared", "ended"]), name="stay_status_known"
            ),
            models.CheckConstraint(
                condition=Q(status="open", closed_on__isnull=True)
                | (~Q(status="open") & Q(closed_on__isnull=False)),
                name="stay_closed_when_cleared",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person_id} {self.started_on}–{self.planned_end}"


class StayAdjustment(models.Model):
    """A change of a stay's planned end: by a medical officer with a reason, or by the
    household rule when a member is found contagious."""

    class Kind(models.TextChoices):
        OFFICER = "officer", _("Changed by a medical officer")
        CONTAGIOUS_HOUSEHOLD = "household", _("Household member contagious")

    stay = models.ForeignKey(QuarantineStay, on_delete=models.PROTECT, related_name="adjustments")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    previous_end = models.DateField()
    new_end = models.DateField()
    reason = EncryptedTextField(_("reason"))
    by = models.ForeignKey(USER, on_delete=models.PROTECT, null=True, related_name="+")
    at = models.DateTimeField()

    class Meta:
        ordering = ["at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(previous_end=F("new_end")), name="adjustment_changes_end"
            ),
            models.CheckConstraint(condition=~Q(reason=""), name="adjustment_has_reason"),
        ]

    def __str__(self) -> str:
        return f"{self.previous_end} -> {self.new_end}"


class Vaccination(models.Model):
    stay = models.ForeignKey(QuarantineStay, on_delete=models.PROTECT, related_name="vaccinations")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="vaccinations")
    vaccine = models.ForeignKey(Vaccine, on_delete=models.PROTECT, related_name="+")
    dose = models.PositiveSmallIntegerField(_("dose"))
    lot_number = models.CharField(_("lot number"), max_length=40)
    given_on = models.DateField(_("given on"))
    given_by = models.ForeignKey(USER, on_delete=models.PROTECT, null=True, related_name="+")
    recorded_at = models.DateTimeField()

    class Meta:
        ordering = ["given_on", "id"]
        indexes = [models.Index(fields=["person", "given_on"], name="vaccination_person")]
        constraints = [
            models.UniqueConstraint(
                fields=["person", "vaccine", "dose", "stay"], name="one_dose_per_stay"
            ),
            models.CheckConstraint(
                condition=Q(dose__gte=1) & Q(dose__lte=10), name="vaccination_dose_range"
            ),
            models.CheckConstraint(condition=~Q(lot_number=""), name="vaccination_has_lot"),
        ]

    def __str__(self) -> str:
        return f"{self.vaccine_id} #{self.dose} {self.given_on}"


class Examination(models.Model):
    stay = models.ForeignKey(QuarantineStay, on_delete=models.PROTECT, related_name="examinations")
    examined_on = models.DateField(_("examined on"))
    examined_by = models.ForeignKey(USER, on_delete=models.PROTECT, null=True, related_name="+")
    findings = EncryptedTextField(_("findings"), blank=True)
    fitness = models.CharField(_("fitness"), max_length=8, choices=Fitness.choices)
    contagious = models.BooleanField(_("contagious"))
    disease = models.ForeignKey(
        Disease, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    recorded_at = models.DateTimeField()

    class Meta:
        ordering = ["examined_on", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(fitness__in=[f.value for f in Fitness]), name="examination_fitness"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.stay_id} {self.examined_on}"


class Clearance(models.Model):
    """The medical officer's decision that ends a stay; one per stay, never a second."""

    stay = models.OneToOneField(QuarantineStay, on_delete=models.PROTECT, related_name="clearance")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="clearances")
    fitness = models.CharField(_("fitness"), max_length=8, choices=Fitness.choices)
    notes = EncryptedTextField(_("notes"), blank=True)
    decided_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    decided_on = models.DateField(_("decided on"))
    decided_at = models.DateTimeField()

    def __str__(self) -> str:
        return f"{self.person_id} {self.decided_on}"


class DiseaseCase(models.Model):
    class Outcome(models.TextChoices):
        ILL = "ill", _("Still ill")
        RECOVERED = "recovered", _("Recovered")
        DIED = "died", _("Died")
        TRANSFERRED = "transferred", _("Transferred to hospital")

    disease = models.ForeignKey(Disease, on_delete=models.PROTECT, related_name="cases")
    person = models.ForeignKey(
        Person, on_delete=models.PROTECT, null=True, blank=True, related_name="disease_cases"
    )
    station = models.ForeignKey(Station, on_delete=models.PROTECT, related_name="+")
    county = models.CharField(_("county of origin"), max_length=120)
    onset_date = models.DateField(_("onset date"))
    week = models.DateField(_("week"))  # the Monday of the onset's week, for the outbreak view
    isolated = models.BooleanField(_("isolated"))
    outcome = models.CharField(
        _("outcome"), max_length=12, choices=Outcome.choices, default=Outcome.ILL
    )
    notes = EncryptedTextField(_("notes"), blank=True)
    recorded_by = models.ForeignKey(USER, on_delete=models.PROTECT, null=True, related_name="+")
    recorded_at = models.DateTimeField()

    class Meta:
        verbose_name = _("disease case")
        indexes = [
            # Covers the outbreak view's grouping, so it never reads the table itself.
            models.Index(
                fields=["onset_date", "disease", "county", "station", "week"], name="case_watch"
            ),
            models.Index(fields=["disease", "county", "onset_date"], name="case_disease_county"),
            models.Index(fields=["station", "onset_date"], name="case_station_onset"),
        ]
        constraints = [
            models.CheckConstraint(condition=~Q(county=""), name="case_has_county"),
            models.CheckConstraint(condition=Q(week__lte=F("onset_date")), name="case_week"),
            models.CheckConstraint(
                condition=Q(outcome__in=["ill", "recovered", "died", "transferred"]),
                name="case_outcome_known",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.disease_id} {self.county} {self.onset_date}"
