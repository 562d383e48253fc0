from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from stations.roles import GLOBAL_ROLES, PROVINCE_ROLES, STATION_ROLES, Role
from waystation.i18n import in_reader_language


class Province(models.Model):
    """A province whose stations Waystation serves. Stations and province-wide staff name it by
    its English name (`Station.province`), so renaming one is a set-up change of its own."""

    name = models.CharField(_("name (English)"), max_length=120, unique=True)
    name_ko = models.CharField(_("name (Korean)"), max_length=120, blank=True)
    name_zh = models.CharField(_("name (Chinese)"), max_length=120, blank=True)
    office_prefix = models.CharField(
        _("office code prefix"),
        max_length=8,
        blank=True,
        help_text=_("Begins the codes of the province's issuing offices, e.g. NH for NH-LAB."),
    )

    class Meta:
        ordering = ["name"]
        verbose_name = _("province")
        verbose_name_plural = _("provinces")
        constraints = [
            models.CheckConstraint(condition=~Q(name=""), name="province_has_name"),
            models.UniqueConstraint(
                fields=["office_prefix"],
                condition=~Q(office_prefix=""),
                name="province_office_prefix_unique",
            ),
        ]

    def __str__(self) -> str:
        return self.localized_name

    @property
    def localized_name(self) -> str:
        return in_reader_language(self.name, self.name_ko, self.name_zh)


class Station(models.Model):
    code = models.SlugField(_("code"), max_length=32, unique=True)
    name_en = models.CharField(_("name (English)"), max_length=120)
    name_ko = models.CharField(_("name (Korean)"), max_length=120)
    name_zh = models.CharField(_("name (Chinese)"), max_length=120)
    county = models.CharField(_("county"), max_length=120)
    province = models.CharField(_("province"), max_length=120)
    # Beds are the supplies app's sleeping places (supplies.beds), not a number here.
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["name_en"]
        verbose_name = _("station")
        verbose_name_plural = _("stations")
        constraints = [
            models.CheckConstraint(condition=~Q(name_en=""), name="station_has_english_name"),
            models.CheckConstraint(condition=~Q(province=""), name="station_has_province"),
        ]

    def __str__(self) -> str:
        return self.localized_name

    @property
    def localized_name(self) -> str:
        return in_reader_language(self.name_en, self.name_ko, self.name_zh)


class StaffProfile(models.Model):
    """Who a user is at work: one role, in one station or one province or everywhere."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="staff_profile"
    )
    role = models.CharField(_("role"), max_length=32, choices=Role.choices)
    station = models.ForeignKey(
        Station, on_delete=models.PROTECT, null=True, blank=True, related_name="staff"
    )
    province = models.CharField(_("province"), max_length=120, blank=True)

    class Meta:
        verbose_name = _("staff profile")
        constraints = [
            models.CheckConstraint(
                condition=Q(role__in=[r.value for r in Role]), name="staff_role_known"
            ),
            models.CheckConstraint(
                condition=~Q(role__in=sorted(r.value for r in STATION_ROLES))
                | Q(station__isnull=False),
                name="station_role_has_station",
            ),
            models.CheckConstraint(
                condition=~Q(role__in=sorted(r.value for r in PROVINCE_ROLES)) | ~Q(province=""),
                name="province_role_has_province",
            ),
            models.CheckConstraint(
                condition=~Q(role__in=sorted(r.value for r in GLOBAL_ROLES))
                | (Q(station__isnull=True) & Q(province="")),
                name="global_role_unscoped",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} ({self.get_role_display()})"
