"""Read-mostly admin: records are changed through the services (which audit), never here."""

from django.contrib import admin

from documents.models import (
    CitizenshipApplication,
    Document,
    DocumentRequest,
    IssuingOffice,
    KeyRecord,
)


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request: object) -> bool:
        return False

    def has_change_permission(self, request: object, obj: object = None) -> bool:
        return False

    def has_delete_permission(self, request: object, obj: object = None) -> bool:
        return False


@admin.register(IssuingOffice)
class IssuingOfficeAdmin(admin.ModelAdmin):
    list_display = ("code", "name_en", "kind", "province", "signs_lists", "is_active")
    list_filter = ("kind", "province")

    def has_delete_permission(self, request: object, obj: object = None) -> bool:
        return False


@admin.register(KeyRecord)
class KeyRecordAdmin(ReadOnlyAdmin):
    list_display = ("key_id", "office", "activated_on", "retired_on", "signs_lists")
    exclude = ("private_pem_encrypted",)


@admin.register(Document)
class DocumentAdmin(ReadOnlyAdmin):
    list_display = ("number", "document_type", "office", "issued_on", "valid_until", "status")
    list_filter = ("document_type", "status", "office")
    search_fields = ("number",)
    exclude = ("qr_text",)


@admin.register(DocumentRequest)
class DocumentRequestAdmin(ReadOnlyAdmin):
    list_display = ("document_type", "person", "office", "status", "requested_at")
    list_filter = ("document_type", "status")


@admin.register(CitizenshipApplication)
class CitizenshipApplicationAdmin(ReadOnlyAdmin):
    list_display = ("kind", "person", "state", "submitted_on", "decided_on")
    list_filter = ("kind", "state")
