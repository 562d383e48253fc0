"""The labour office maintains the list of reasons for leaving a job here. Reasons are
retired (unticked "in use"), never deleted, so old outcomes keep their reason."""

from django.contrib import admin
from django.http import HttpRequest

from reports.models import LeaveReason


@admin.register(LeaveReason)
class LeaveReasonAdmin(admin.ModelAdmin):
    list_display = (
        "code",
        "label_en",
        "label_ko",
        "label_zh",
        "needs_text",
        "is_active",
        "position",
    )
    list_editable = ("is_active", "position")
    ordering = ("position", "code")

    def has_delete_permission(self, request: HttpRequest, obj: LeaveReason | None = None) -> bool:
        return False
