"""Stock, entitlements and beds.

Stock is an append-only ledger per (station, item): every movement carries its sequence number
and the balance after it. The database checks the chain (a trigger: the balance after is the
previous balance plus the quantity, see migration 0002), refuses a negative balance (a check
constraint) and refuses two movements with the same place in the chain (a unique constraint),
so a balance can never go below zero even if two requests race past the service's lock.
"""

import uuid
from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from people.models import Category, Household, Person
from stations.models import Station
from waystation.i18n import in_reader_language


class LedgerIsAppendOnly(Exception):
    pass


class AppendOnlyQuerySet(models.QuerySet):
    def update(self, **kwargs: Any) -> int:
        raise LedgerIsAppendOnly("Ledger entries cannot be changed.")

    def delete(self) -> tuple[int, dict[str, int]]:
        raise LedgerIsAppendOnly("Ledger entries cannot be deleted.")


class AppendOnlyModel(models.Model):
    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        abstract = True

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None and not self._state.adding:
            raise LedgerIsAppendOnly("Ledger entries cannot be changed.")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise LedgerIsAppendOnly("Ledger entries cannot be deleted.")


class LocalizedName(models.Model):
    name_en = models.CharField(_("name (English)"), max_length=120)
    name_ko = models.CharField(_("name (Korean)"), max_length=120, blank=True)
    name_zh = models.CharField(_("name (Chinese)"), max_length=120, blank=True)

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return self.localized_name

    @property
    def localized_name(self) -> str:
        return in_reader_language(self.name_en, self.name_ko, self.name_zh)


class Unit(models.TextChoices):
    PIECE = "piece", _("piece")
    SET = "set", _("set")
    BAR = "bar", _("bar")
    RATION = "ration", _("ration")
    COUPON = "coupon", _("coupon")


class Item(LocalizedName):
    code = models.SlugField(_("code"), max_length=40, unique=True)
    unit = models.CharField(_("unit"), max_length=16, choices=Unit.choices)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["name_en"]
        verbose_name = _("item")
        verbose_name_plural = _("items")
        constraints = [
            models.CheckConstraint(
                condition=Q(unit__in=[u.value for u in Unit]), name="item_unit_known"
            ),
            models.CheckConstraint(condition=~Q(name_en=""), name="item_has_english_name"),
        ]


class StockLock(models.Model):
    """One row per (station, item): writers lock it (SELECT ... FOR UPDATE) before appending."""

    station = models.ForeignKey(Station, on_delete=models.PROTECT, related_name="+")
    item = models.ForeignKey(Item, on_delete=models.PROTECT, related_name="+")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["station", "item"], name="one_lock_per_station_item")
        ]

    def __str__(self) -> str:
        return f"lock {self.item_id}@{self.station_id}"


class Movement(AppendOnlyModel):
    class Kind(models.TextChoices):
        RECEIPT = "receipt", _("Receipt")
        TRANSFER_IN = "transfer_in", _("Transfer in")
        TRANSFER_OUT = "transfer_out", _("Transfer out")
        ISSUE = "issue", _("Issue to a person")
        WRITE_OFF = "write_off", _("Write-off")

    INCOMING = (Kind.RECEIPT, Kind.TRANSFER_IN)

    client_uuid = models.UUIDField(unique=True, default=uuid.uuid4, editable=False)
    station = models.ForeignKey(Station, on_delete=models.PROTECT, related_name="+")
    item = models.ForeignKey(Item, on_delete=models.PROTECT, related_name="movements")
    seq = models.PositiveIntegerField()
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    quantity = models.IntegerField(_("quantity"))
    balance_after = models.IntegerField(_("balance after"))
    person = models.ForeignKey(
        Person, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    counterpart = models.ForeignKey(
        Station, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    transfer_id = models.UUIDField(null=True, blank=True)
    reason = models.CharField(_("reason"), max_length=300, blank=True)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    at = models.DateTimeField(_("at"))

    class Meta:
        ordering = ["station", "item", "seq"]
        verbose_name = _("stock movement")
        verbose_name_plural = _("stock movements")
        # On PostgreSQL a balance is also added up from an index of (station, item, quantity)
        # alone (migration 0008); SQLite is left without it.
        indexes = [models.Index(fields=["station", "at"], name="movement_station_time")]
        constraints = [
            models.UniqueConstraint(
                fields=["station", "item", "seq"], name="movement_one_place_in_chain"
            ),
            models.CheckConstraint(condition=Q(seq__gte=1), name="movement_seq_positive"),
            models.CheckConstraint(
                condition=Q(balance_after__gte=0), name="movement_balance_not_negative"
            ),
            models.CheckConstraint(
                condition=Q(kind__in=["receipt", "transfer_in"], quantity__gt=0)
                | Q(kind__in=["issue", "transfer_out", "write_off"], quantity__lt=0),
                name="movement_sign_matches_kind",
            ),
            models.CheckConstraint(
                condition=~Q(kind="issue") | Q(person__isnull=False),
                name="movement_issue_has_person",
            ),
            models.CheckConstraint(
                condition=~Q(kind="write_off") | ~Q(reason=""),
                name="movement_write_off_has_reason",
            ),
            models.CheckConstraint(
                condition=~Q(kind__in=["transfer_in", "transfer_out"])
                | (Q(counterpart__isnull=False) & Q(transfer_id__isnull=False)),
                name="movement_transfer_has_counterpart",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.quantity:+d} {self.item_id}@{self.station_id} #{self.seq}"


class Period(models.TextChoices):
    ONCE = "once", _("once")
    WINTER = "winter", _("once per winter")
    MONTH = "month", _("per month")
    WEEK = "week", _("per week")


class DueWhen(models.TextChoices):
    ARRIVAL = "arrival", _("from arrival")
    PLACEMENT = "placement", _("at placement")


class Entitlement(LocalizedName):
    """A line of the policy table: what a person of a category receives, and when."""

    category = models.CharField(_("category"), max_length=24, choices=Category.choices)
    code = models.SlugField(_("code"), max_length=40)
    item = models.ForeignKey(Item, on_delete=models.PROTECT, null=True, blank=True)
    quantity = models.PositiveIntegerField(_("quantity"), default=0)
    amount = models.DecimalField(
        _("amount"), max_digits=10, decimal_places=2, null=True, blank=True
    )
    currency = models.CharField(_("currency"), max_length=3, blank=True)
    period = models.CharField(_("period"), max_length=8, choices=Period.choices)
    due_when = models.CharField(_("due"), max_length=12, choices=DueWhen.choices)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["category", "code"]
        verbose_name = _("entitlement")
        verbose_name_plural = _("entitlements")
        constraints = [
            models.UniqueConstraint(fields=["category", "code"], name="entitlement_code_unique"),
            models.CheckConstraint(
                condition=(Q(item__isnull=False) & Q(quantity__gt=0) & Q(amount__isnull=True))
                | (Q(item__isnull=True) & Q(amount__gt=0) & ~Q(currency="")),
                name="entitlement_is_goods_or_money",
            ),
            models.CheckConstraint(
                condition=Q(period__in=[p.value for p in Period]), name="entitlement_period_known"
            ),
        ]


class EntitlementIssue(AppendOnlyModel):
    """One entitlement paid to one person for one period (once, a winter, a month, a week)."""

    client_uuid = models.UUIDField(unique=True, default=uuid.uuid4, editable=False)
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+")
    entitlement = models.ForeignKey(Entitlement, on_delete=models.PROTECT, related_name="issues")
    period_key = models.CharField(_("period"), max_length=16)
    station = models.ForeignKey(Station, on_delete=models.PROTECT, related_name="+")
    movement = models.OneToOneField(
        Movement, on_delete=models.PROTECT, null=True, blank=True, related_name="entitlement"
    )
    quantity = models.PositiveIntegerField(default=0)
    amount = models.DecimalField(max_digits=10, decimal_places=2, null=True, blank=True)
    currency = models.CharField(max_length=3, blank=True)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    at = models.DateTimeField()
    # A second hand-out in a period (or more than the policy's quantity) only with an
    # administrator's written reason, kept here with who gave it (supplies.ledger).
    override_reason = models.CharField(
        _("override reason"), max_length=300, blank=True, default="", db_default=""
    )
    override_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-at", "-id"]
        verbose_name = _("entitlement issued")
        verbose_name_plural = _("entitlements issued")
        indexes = [models.Index(fields=["station", "at"], name="entitlement_issue_station")]
        constraints = [
            models.UniqueConstraint(
                fields=["person", "entitlement", "period_key"],
                condition=Q(override_reason=""),
                name="entitlement_paid_once",
            ),
            models.CheckConstraint(
                condition=Q(override_reason="") | Q(override_by__isnull=False),
                name="entitlement_override_names_who",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.entitlement_id} {self.period_key} -> {self.person_id}"


class SleepingPlace(models.Model):
    class Kind(models.TextChoices):
        SCHOOL = "school", _("School")
        BUILDING = "building", _("Building")
        ROOM = "room", _("Room")

    station = models.ForeignKey(Station, on_delete=models.PROTECT, related_name="sleeping_places")
    name = models.CharField(_("name"), max_length=120)
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices)
    capacity = models.PositiveIntegerField(_("capacity"))
    is_active = models.BooleanField(_("in use"), default=True)

    class Meta:
        ordering = ["station", "name"]
        verbose_name = _("sleeping place")
        verbose_name_plural = _("sleeping places")
        constraints = [
            models.UniqueConstraint(fields=["station", "name"], name="sleeping_place_name_unique"),
            models.CheckConstraint(condition=Q(capacity__gt=0), name="sleeping_place_has_beds"),
            models.CheckConstraint(condition=~Q(name=""), name="sleeping_place_has_name"),
        ]

    def __str__(self) -> str:
        return self.name


class BedAssignment(models.Model):
    """A person sleeping at a place from assigned_at until released_at (open while null)."""

    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+")
    place = models.ForeignKey(SleepingPlace, on_delete=models.PROTECT, related_name="assignments")
    station = models.ForeignKey(Station, on_delete=models.PROTECT, related_name="+")
    household = models.ForeignKey(
        Household, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    assigned_at = models.DateTimeField(_("assigned at"))
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    released_at = models.DateTimeField(_("released at"), null=True, blank=True)
    released_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    release_reason = models.CharField(_("reason"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("bed assignment")
        verbose_name_plural = _("bed assignments")
        indexes = [
            models.Index(
                fields=["place"], condition=Q(released_at__isnull=True), name="bed_open_by_place"
            ),
            # Covering: a station's beds in use, counted by place from the index alone.
            models.Index(
                fields=["station", "place"],
                condition=Q(released_at__isnull=True),
                name="bed_open_by_station_place",
            ),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["person"],
                condition=Q(released_at__isnull=True),
                name="one_open_bed_per_person",
            ),
            models.CheckConstraint(
                condition=Q(released_at__isnull=True) | Q(released_at__gte=models.F("assigned_at")),
                name="bed_released_after_assigned",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person_id} @ {self.place_id}"


class AbsencePass(models.Model):
    """A check-out pass: a person away from the station (their bed kept) until checked back in.
    Away more than ABSENCE_FLAG_DAYS is flagged on the station page."""

    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+")
    station = models.ForeignKey(Station, on_delete=models.PROTECT, related_name="+")
    left_at = models.DateTimeField(_("left at"))
    reason = models.CharField(_("reason"), max_length=300)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    returned_at = models.DateTimeField(_("returned at"), null=True, blank=True)
    returned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("pass")
        verbose_name_plural = _("passes")
        constraints = [
            models.UniqueConstraint(
                fields=["person"], condition=Q(returned_at__isnull=True), name="one_open_pass"
            ),
            models.CheckConstraint(condition=~Q(reason=""), name="pass_has_reason"),
            models.CheckConstraint(
                condition=Q(returned_at__isnull=True) | Q(returned_at__gte=models.F("left_at")),
                name="pass_returned_after_leaving",
            ),
        ]

    def __str__(self) -> str:
        return f"pass {self.person_id} {self.left_at:%Y-%m-%d}"


class StationTransfer(models.Model):
    """A person sent from a full (or closing) station to another one, with their bed there."""

    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="station_transfers")
    household = models.ForeignKey(
        Household, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    from_station = models.ForeignKey(Station, on_delete=models.PROTECT, related_name="+")
    to_station = models.ForeignKey(Station, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(_("transferred at"))
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    reason = models.CharField(_("reason"), max_length=300)

    class Meta:
        verbose_name = _("station transfer")
        verbose_name_plural = _("station transfers")
        indexes = [
            models.Index(fields=["from_station", "at"], name="transfer_out"),
            models.Index(fields=["to_station", "at"], name="transfer_in"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~Q(from_station=models.F("to_station")),
                name="transfer_between_two_stations",
            ),
            models.CheckConstraint(condition=~Q(reason=""), name="transfer_has_reason"),
        ]

    def __str__(self) -> str:
        return f"{self.person_id}: {self.from_station_id} -> {self.to_station_id}"


from supplies.models_daily import DailyMovement  # noqa: E402, F401 - a model of this app
