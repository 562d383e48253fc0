"""Issuing offices and their keys, document requests, issued documents, revocation lists and
citizenship applications. Nothing here is deleted: documents are revoked, expired or
superseded, requests are refused, applications are decided, keys are retired."""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from documents.signing import DocumentType as PayloadType
from waystation.i18n import in_reader_language


class DocumentType(models.TextChoices):
    TRAVEL_PASS = PayloadType.TRAVEL_PASS.value, _("Travel pass")
    PROVINCE_EXIT_PERMIT = PayloadType.PROVINCE_EXIT_PERMIT.value, _("Province exit permit")
    RESIDENCY_DOCUMENT = PayloadType.RESIDENCY_DOCUMENT.value, _("Residency document")


class IssuingOffice(models.Model):
    class Kind(models.TextChoices):
        STATION = "station", _("Reception station")
        LABOUR_BUREAU = "labour_bureau", _("Labour bureau")
        CIVIL_AFFAIRS = "civil_affairs", _("Civil affairs bureau")

    code = models.CharField(_("code"), max_length=16, unique=True)
    name_en = models.CharField(_("name (English)"), max_length=120)
    name_ko = models.CharField(_("name (Korean)"), max_length=120)
    name_zh = models.CharField(_("name (Chinese)"), max_length=120)
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    province = models.CharField(_("province"), max_length=120)
    station = models.ForeignKey(
        "stations.Station", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    # The office whose key signs the published key list and revocation list.
    signs_lists = models.BooleanField(_("signs the key and revocation lists"), default=False)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["province", "kind", "code"]
        verbose_name = _("issuing office")
        verbose_name_plural = _("issuing offices")
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=["station", "labour_bureau", "civil_affairs"]),
                name="office_kind_known",
            ),
            models.CheckConstraint(
                condition=Q(kind="station", station__isnull=False)
                | (~Q(kind="station") & Q(station__isnull=True)),
                name="office_station_iff_station_kind",
            ),
            models.CheckConstraint(condition=~Q(code=""), name="office_has_code"),
            models.CheckConstraint(condition=~Q(province=""), name="office_has_province"),
            models.UniqueConstraint(
                fields=["signs_lists"], condition=Q(signs_lists=True), name="one_list_signer"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.localized_name} ({self.code})"

    @property
    def localized_name(self) -> str:
        return in_reader_language(self.name_en, self.name_ko, self.name_zh)


class KeyRecord(models.Model):
    """An office's Ed25519 key: public part in the clear, private part encrypted (PKCS#8)."""

    office = models.ForeignKey(IssuingOffice, on_delete=models.PROTECT, related_name="keys")
    key_id = models.CharField(_("key id"), max_length=8, unique=True)
    public_key = models.CharField(_("public key (base64url)"), max_length=64)
    private_pem_encrypted = models.TextField()
    activated_on = models.DateField(_("activated on"))
    retired_on = models.DateField(_("retired on"), null=True, blank=True)
    signs_lists = models.BooleanField(default=False)
    # A stolen key is withdrawn: left out of the key list, so what it signed verifies as
    # "unknown key" and must be reissued.
    withdrawn_on = models.DateField(_("withdrawn on"), null=True, blank=True)
    withdrawn_reason = models.CharField(_("reason"), max_length=500, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["office", "activated_on", "id"]
        verbose_name = _("signing key")
        verbose_name_plural = _("signing keys")
        constraints = [
            models.UniqueConstraint(
                fields=["office"], condition=Q(retired_on__isnull=True), name="one_active_key"
            ),
            models.CheckConstraint(
                condition=Q(retired_on__isnull=True) | Q(retired_on__gte=models.F("activated_on")),
                name="key_retired_after_activation",
            ),
            models.CheckConstraint(
                condition=Q(withdrawn_on__isnull=True)
                | (Q(retired_on__isnull=False) & ~Q(withdrawn_reason="")),
                name="withdrawn_key_is_retired_with_reason",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.office.code} {self.key_id}"


class NumberCounter(models.Model):
    """The last number used in one series: per office, document type and year."""

    office = models.ForeignKey(IssuingOffice, on_delete=models.PROTECT, related_name="+")
    document_type = models.CharField(max_length=2, choices=DocumentType.choices)
    year = models.PositiveSmallIntegerField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["office", "document_type", "year"], name="one_counter_per_series"
            )
        ]

    def __str__(self) -> str:
        return f"{self.document_type}-{self.office_id}-{self.year}: {self.last}"


class DocumentRequest(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", _("Pending")
        ISSUED = "issued", _("Issued")
        REFUSED = "refused", _("Refused")

    client_uuid = models.UUIDField(unique=True, default=uuid.uuid4)
    person = models.ForeignKey(
        "people.Person", on_delete=models.PROTECT, related_name="document_requests"
    )
    document_type = models.CharField(_("document"), max_length=2, choices=DocumentType.choices)
    office = models.ForeignKey(IssuingOffice, on_delete=models.PROTECT, related_name="requests")
    destination = models.CharField(_("destination, province or address"), max_length=100)
    valid_from = models.DateField(_("valid from"))
    note = models.CharField(_("note"), max_length=500, blank=True)
    status = models.CharField(max_length=8, choices=Status.choices, default=Status.PENDING)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    requested_at = models.DateTimeField()
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    refusal_reason = models.CharField(_("reason"), max_length=500, blank=True)

    class Meta:
        ordering = ["requested_at", "id"]
        verbose_name = _("document request")
        verbose_name_plural = _("document requests")
        constraints = [
            models.UniqueConstraint(
                fields=["person", "document_type"],
                condition=Q(status="pending"),
                name="one_pending_request_per_type",
            ),
            models.CheckConstraint(
                condition=Q(status__in=["pending", "issued", "refused"]),
                name="request_status_known",
            ),
            models.CheckConstraint(
                condition=~Q(status="refused") | ~Q(refusal_reason=""),
                name="refusal_needs_reason",
            ),
            models.CheckConstraint(condition=~Q(destination=""), name="request_has_destination"),
        ]
        indexes = [models.Index(fields=["status", "requested_at"], name="request_queue")]

    def __str__(self) -> str:
        return f"{self.get_document_type_display()} · {self.person_id}"


class Document(models.Model):
    class Status(models.TextChoices):
        ISSUED = "issued", _("Valid")
        EXPIRED = "expired", _("Expired")
        REVOKED = "revoked", _("Revoked")

    number = models.CharField(_("number"), max_length=40, unique=True)
    document_type = models.CharField(_("document"), max_length=2, choices=DocumentType.choices)
    office = models.ForeignKey(IssuingOffice, on_delete=models.PROTECT, related_name="documents")
    key = models.ForeignKey(KeyRecord, on_delete=models.PROTECT, related_name="documents")
    person = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="documents")
    request = models.OneToOneField(
        DocumentRequest, on_delete=models.PROTECT, null=True, blank=True, related_name="document"
    )
    supersedes = models.OneToOneField(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="superseded_by"
    )
    # The signed fields, exactly as in the QR code.
    name_hangul = models.CharField(max_length=80)
    name_latin = models.CharField(max_length=80)
    date_of_birth = models.CharField(max_length=10)
    scope = models.CharField(_("route, province or address"), max_length=120)
    issued_on = models.DateField(_("issued on"))
    valid_from = models.DateField(_("valid from"))
    valid_until = models.DateField(_("valid until"))
    qr_text = models.TextField()
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    issued_at = models.DateTimeField()
    status = models.CharField(
        _("status"), max_length=8, choices=Status.choices, default=Status.ISSUED
    )
    status_changed_at = models.DateTimeField(null=True, blank=True)
    status_changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    status_reason = models.CharField(_("reason"), max_length=500, blank=True)
    revoked_on = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["-issued_at", "-id"]
        verbose_name = _("document")
        verbose_name_plural = _("documents")
        constraints = [
            # A person holds at most one current document of each type: a second travel
            # pass is a reissue (which revokes the first), never a double issue.
            models.UniqueConstraint(
                fields=["person", "document_type"],
                condition=Q(status="issued"),
                name="one_current_document_per_type",
            ),
            models.CheckConstraint(
                condition=Q(status__in=["issued", "expired", "revoked"]),
                name="document_status_known",
            ),
            models.CheckConstraint(
                condition=Q(valid_from__lte=models.F("valid_until")),
                name="document_validity_ordered",
            ),
            models.CheckConstraint(
                condition=~Q(status="revoked")
                | (~Q(status_reason="") & Q(revoked_on__isnull=False)),
                name="revocation_needs_reason_and_date",
            ),
            models.CheckConstraint(condition=~Q(qr_text=""), name="document_is_signed"),
        ]
        indexes = [
            models.Index(fields=["office", "issued_on"], name="document_office_day"),
            models.Index(fields=["issued_on"], name="document_day"),
            # The office page counts current documents, and the station page current travel
            # passes, from this index and the holders' rows alone, without reading each
            # document's row for its holder and type.
            models.Index(
                fields=["status", "valid_until", "person", "document_type"],
                name="document_current_holder",
            ),
            # The office page's most recent documents: read newest first, stop at twenty.
            models.Index(fields=["issued_at", "id"], name="document_issued_at"),
            # The daily page counts a kind of document per day and office from this alone.
            models.Index(
                fields=["document_type", "issued_on", "office", "person"],
                name="document_type_day",
            ),
        ]

    def __str__(self) -> str:
        return self.number


class PublishedRevocationList(models.Model):
    """Every revocation list published, signed; the newest one is served for download."""

    sequence = models.PositiveIntegerField(unique=True)
    issued_at = models.DateTimeField()
    entries = models.PositiveIntegerField()
    signed_json = models.TextField()

    class Meta:
        ordering = ["-sequence"]

    def __str__(self) -> str:
        return f"revocation list #{self.sequence}"


class CitizenshipApplication(models.Model):
    class Kind(models.TextChoices):
        RENUNCIATION = "renunciation", _("Renunciation of citizenship")
        NATURALISATION = "naturalisation", _("Naturalisation")
        RESIDENCY = "residency", _("Residency status")

    class State(models.TextChoices):
        SUBMITTED = "submitted", _("Submitted")
        UNDER_REVIEW = "under_review", _("Under review")
        GRANTED = "granted", _("Granted")
        REFUSED = "refused", _("Refused")
        UNDECIDED = "undecided", _("Undecided by policy")

    client_uuid = models.UUIDField(unique=True, default=uuid.uuid4)
    person = models.ForeignKey(
        "people.Person", on_delete=models.PROTECT, related_name="citizenship_applications"
    )
    kind = models.CharField(_("application"), max_length=16, choices=Kind.choices)
    lodged_at = models.CharField(_("lodged at"), max_length=120)
    submitted_on = models.DateField(_("submitted on"))
    state = models.CharField(
        _("state"), max_length=16, choices=State.choices, default=State.SUBMITTED
    )
    decision = models.TextField(_("decision"), blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decided_on = models.DateField(_("decided on"), null=True, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )

    class Meta:
        ordering = ["-submitted_on", "-id"]
        verbose_name = _("citizenship or status application")
        verbose_name_plural = _("citizenship and status applications")
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=["renunciation", "naturalisation", "residency"]),
                name="application_kind_known",
            ),
            models.CheckConstraint(
                condition=Q(
                    state__in=["submitted", "under_review", "granted", "refused", "undecided"]
                ),
                name="application_state_known",
            ),
            models.CheckConstraint(
                condition=Q(state__in=["submitted", "under_review"])
                | (Q(decided_on__isnull=False) & ~Q(decision="")),
                name="decision_has_date_and_text",
            ),
            models.UniqueConstraint(
                fields=["person", "kind"],
                condition=Q(state__in=["submitted", "under_review", "undecided"]),
                name="one_open_application_per_kind",
            ),
        ]
        indexes = [
            models.Index(fields=["state", "kind"], name="application_state_kind"),
            # The applications page lists the newest first, fifty at a time.
            models.Index(fields=["submitted_on", "id"], name="application_submitted"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} · {self.person_id}"


class ApplicationEvent(models.Model):
    """The history of an application's states, append-only."""

    application = models.ForeignKey(
        CitizenshipApplication, on_delete=models.PROTECT, related_name="events"
    )
    from_state = models.CharField(max_length=16, blank=True)
    to_state = models.CharField(max_length=16)
    at = models.DateTimeField()
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    note = models.TextField(blank=True)

    class Meta:
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.from_state or '-'} -> {self.to_state}"


class HolderPhoto(models.Model):
    """A photo of the person taken for their documents. A new photo supersedes the old one,
    which is kept (is_current false): nothing is deleted."""

    person = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="+")
    # Stored in the database rather than on disk, so a backup of the database is complete.
    jpeg = models.BinaryField(_("photo (JPEG)"))
    taken_at = models.DateTimeField(_("taken at"))
    taken_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    is_current = models.BooleanField(default=True)

    class Meta:
        verbose_name = _("holder's photo")
        verbose_name_plural = _("holders' photos")
        constraints = [
            models.UniqueConstraint(
                fields=["person"], condition=Q(is_current=True), name="one_current_photo"
            ),
        ]

    def __str__(self) -> str:
        return f"photo {self.pk} of {self.person_id}"


from documents.models_batches import BatchPrint  # noqa: E402, F401 - a model of this app
from documents.models_counts import IssuedCount  # noqa: E402, F401 - a model of this app
