"""Employers, their sites and the vacancies at each, by occupation and requirements."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

USER = settings.AUTH_USER_MODEL


class SiteKind(models.TextChoices):
    # Values are the engine's sectors (labour.engine.model.SECTORS).
    MINE = "mine", _("Mine")
    FARM = "farm", _("Farming commune")
    FACTORY = "factory", _("Factory")
    INSTITUTE = "institute", _("Institute")
    CENTRAL_DEPARTMENT = "central_department", _("Central department")


class HousingType(models.TextChoices):
    # Values are the engine's housing types (labour.engine.model.HOUSING_TYPES).
    DORMITORY = "dormitory", _("Dormitory")
    MIXED = "mixed", _("Mixed (rooms and flats)")
    FAMILY = "family", _("Family flats")


class Heaviness(models.TextChoices):
    # Values are the engine's heaviness levels (labour.engine.model.HEAVINESS_LEVELS).
    LIGHT = "light", _("Light work")
    MEDIUM = "medium", _("Medium work")
    HEAVY = "heavy", _("Heavy work")


class SkillLevel(models.IntegerChoices):
    ELEMENTARY = 0, _("Elementary (no training)")
    SEMI_SKILLED = 1, _("Semi-skilled (some schooling or training)")
    SKILLED = 2, _("Skilled (certificate)")
    PROFESSIONAL = 3, _("Professional (diploma and higher education)")


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
    housing_type = models.CharField(
        _("housing type"), max_length=12, choices=HousingType.choices, default=HousingType.MIXED
    )
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
            models.CheckConstraint(
                condition=Q(housing_type__in=HousingType.values), name="labour_site_housing_type"
            ),
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
    heavy_work = models.BooleanField(
        _("needs fitness for heavy work"),
        default=False,
        help_text=_("When ticked, the work counts as heavy whatever its heaviness says."),
    )
    min_age = models.PositiveSmallIntegerField(_("minimum age"), default=16)
    language = models.CharField(_("language needed"), max_length=8, blank=True)
    difficulty = models.FloatField(_("difficulty (0 light – 1 hardest)"), default=0.5)
    heaviness = models.CharField(
        _("heaviness of the work"),
        max_length=8,
        choices=Heaviness.choices,
        default=Heaviness.MEDIUM,
        help_text=_("Heavy work needs fitness for heavy work; other work fitness for work."),
    )
    skill_level = models.PositiveSmallIntegerField(
        _("skill level"), choices=SkillLevel.choices, default=SkillLevel.ELEMENTARY
    )
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
            models.CheckConstraint(
                condition=Q(heaviness__in=Heaviness.values), name="labour_vacancy_heaviness"
            ),
            models.CheckConstraint(
                condition=Q(skill_level__lte=3), name="labour_vacancy_skill_level"
            ),
            # A skilled post is only as good as the proof behind it (the cable's liars).
            models.CheckConstraint(
                condition=Q(skilled=False) | ~Q(required_credential=""),
                name="labour_skilled_needs_credential",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.occupation} · {self.site.name}"
