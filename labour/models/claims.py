"""What a person brings and wants: claimed and verified credentials, ranked preferences.
Verification needs evidence; a rejected claim is kept."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from labour.models.sites import SiteKind

USER = settings.AUTH_USER_MODEL


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
