"""Administrators maintain the items and the policy table here; ledgers are read-only."""

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from supplies.models import Entitlement, EntitlementIssue, Item, Movement, SleepingPlace


@admin.register(Item)
class ItemAdmin(admin.ModelAdmin):
    list_display = ("code", "name_en", "unit", "is_active")


@admin.register(Entitlement)
class EntitlementAdmin(admin.ModelAdmin):
    list_display = ("category", "code", "name_en", "item", "quantity", "amount", "currency")
    list_display += ("period", "due_when", "is_active")
    list_filter = ("category", "period", "is_active")


@admin.register(SleepingPlace)
class SleepingPlaceAdmin(admin.ModelAdmin):
    list_display = ("station", "name", "kind", "capacity", "is_active")
    list_filter = ("station", "kind")


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Movement)
class MovementAdmin(ReadOnlyAdmin):
    list_display = ("at", "station", "item", "kind", "quantity", "balance_after", "person")
    list_filter = ("station", "item", "kind")


@admin.register(EntitlementIssue)
class EntitlementIssueAdmin(ReadOnlyAdmin):
    list_display = ("at", "station", "entitlement", "period_key", "person", "amount")
    list_filter = ("station",)
    raw_id_fields = ("person", "movement")
